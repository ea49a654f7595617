// name: co-located
// description: Other groups that share an operating place with a group.
// param: id entity  Id of the group or umbrella
// param: as_of date  Only relations valid on this YYYY-MM-DD date (default null)
// param: support list  Relations that count: 'asserted'; add 'announced' or 'denied' to follow those too (default ['asserted'])
// example:
// :param id => 'pro-iranian-militias-iraq'
// :param as_of => null
// :param support => ['asserted']
MATCH (g:Entity {id: $id})-[r:OPERATES_IN]->(pl:Entity)<-[r2:OPERATES_IN]-(o:Entity)
WHERE o <> g
  AND r.support IN $support AND ($as_of IS NULL OR r.valid_from <= $as_of < r.valid_to)
  AND r2.support IN $support AND ($as_of IS NULL OR r2.valid_from <= $as_of < r2.valid_to)
WITH o, pl
ORDER BY pl.name
WITH o, collect(DISTINCT pl.name) AS places
RETURN o.name AS group, o.id AS id, places
ORDER BY size(places) DESC, group, id
