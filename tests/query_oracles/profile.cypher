// name: profile
// description: One entity with every relation it has, in both directions, and the sources behind them.
// param: id  Id of the entity
// param: as_of  Only relations valid on this YYYY-MM-DD date (default null)
// example:
// :param id => 'kataib-hezbollah'
// :param as_of => null
MATCH (e:Entity {id: $id})
OPTIONAL MATCH (e)-[r]-(o:Entity)
WHERE $as_of IS NULL
   OR ((r.since_lo IS NULL OR r.since_lo <= $as_of) AND (r.until_hi IS NULL OR r.until_hi > $as_of))
WITH e, collect(CASE WHEN r IS NULL THEN null ELSE {
  relation: r.relation, outgoing: startNode(r) = e, name: o.name, id: o.id, kind: o.kind,
  since: r.since, until: r.until, on: r.on, status: r.status, sources: r.sources
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
