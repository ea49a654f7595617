// name: profile
// description: One entity with every relation it has, in both directions, and the sources behind them.
// param: id entity  Id of the entity
// param: as_of date  Only relations valid on this YYYY-MM-DD date (default null)
// param: support list  Relations that count: 'asserted'; add 'announced' or 'denied' to follow those too (default ['asserted'])
// example:
// :param id => 'kataib-hezbollah'
// :param as_of => null
// :param support => ['asserted']
//
// A busy entity has thousands of relations: the sources are read one by one by id from the unwound
// source lists (not `s.id IN <list>`, a scan of every source, after a quadratic reduce() to build the
// list), and both lists are pattern comprehensions on one row, so neither is copied into another's rows.
MATCH (e:Entity {id: $id})
WITH e, [(e)-[r]-(:Entity)
         WHERE r.support IN $support AND ($as_of IS NULL OR r.valid_from <= $as_of < r.valid_to)
         | r.sources] AS lists
UNWIND [[null]] + lists AS list
UNWIND list AS sid
WITH DISTINCT e, sid
OPTIONAL MATCH (s:Source {id: sid})
WITH e, s
ORDER BY s.id
WITH e, collect(CASE WHEN s IS NULL THEN null ELSE {
  id: s.id, title: s.title, publisher: s.publisher, published: s.published, url: s.url
} END) AS sources
// The relations in a stated order (relation, outgoing first, then the other end's name and id), so that
// every back end lists them alike: a pattern comprehension has no order of its own.
CALL {
  WITH e
  OPTIONAL MATCH (e)-[r]-(o:Entity)
  WHERE r.support IN $support AND ($as_of IS NULL OR r.valid_from <= $as_of < r.valid_to)
  WITH e, r, o
  ORDER BY r.relation, startNode(r) <> e, o.name, o.id
  RETURN collect(CASE WHEN r IS NULL THEN null ELSE {
    relation: r.relation, outgoing: startNode(r) = e, name: o.name, id: o.id, kind: o.kind,
    since: r.since, until: r.until, on: r.on, status: r.status, sources: r.sources,
    contested: r.contested, denied_by: r.denied_by} END) AS relations
}
RETURN e.id AS id, e.name AS name, e.kind AS kind, e.aliases AS aliases, e.description AS description,
       relations, sources
