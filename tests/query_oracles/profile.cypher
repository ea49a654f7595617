// name: profile
// description: One entity with every relation it has, in both directions, and the sources behind them.
// param: id  Id of the entity
// param: as_of  Only relations valid on this YYYY-MM-DD date (default null)
// param: support  Relations that count (default ['asserted'])
// example:
// :param id => 'kataib-hezbollah'
// :param as_of => null
// :param support => ['asserted']
MATCH (e:Entity {id: $id})
OPTIONAL MATCH (e)-[r]-(o:Entity)
WHERE r.support IN $support AND ($as_of IS NULL OR (r.valid_from <= $as_of AND $as_of < r.valid_to))
WITH e, r, o
ORDER BY r.relation, startNode(r) <> e, o.name, o.id
WITH e, collect(CASE WHEN r IS NULL THEN null ELSE {
  relation: r.relation, outgoing: startNode(r) = e, name: o.name, id: o.id, kind: o.kind,
  since: r.since, until: r.until, on: r.on, status: r.status, sources: r.sources,
  contested: r.contested, denied_by: r.denied_by
} END) AS relations
WITH e, relations, reduce(ids = [], x IN relations | ids + x.sources) AS source_ids
OPTIONAL MATCH (s:Source)
WHERE s.id IN source_ids
WITH e, relations, s
ORDER BY s.id
RETURN e.id AS id, e.name AS name, e.kind AS kind, e.aliases AS aliases, e.description AS description,
       relations,
       collect(CASE WHEN s IS NULL THEN null ELSE {
         id: s.id, title: s.title, publisher: s.publisher, published: s.published, url: s.url
       } END) AS sources
