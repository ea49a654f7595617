// name: where
// description: Where a group operates, with the places containing each one; unless direct, also where its umbrellas operate (via).
// param: id entity  Id of the group or umbrella
// param: direct boolean  Only the group's own operates_in relations (default false)
// param: as_of date  Only relations valid on this YYYY-MM-DD date (default null)
// param: support list  Relations that count: 'asserted'; add 'announced' or 'denied' to follow those too (default ['asserted'])
// example:
// :param id => 'pro-iranian-militias-iraq'
// :param direct => false
// :param as_of => null
// :param support => ['asserted']
MATCH (g:Entity {id: $id})
MATCH chain = (g)-[:MEMBER_OF*0..4]->(x:Entity)
WHERE (NOT $direct OR length(chain) = 0)
  AND all(m IN relationships(chain)
          WHERE m.support IN $support AND ($as_of IS NULL OR m.valid_from <= $as_of < m.valid_to))
WITH DISTINCT x, CASE WHEN x = g THEN null ELSE x.name END AS via
MATCH (x)-[r:OPERATES_IN]->(pl:Entity)
WHERE r.support IN $support AND ($as_of IS NULL OR r.valid_from <= $as_of < r.valid_to)
// The containers of each place are looked up once, not once per group operating there.
WITH pl, collect([via, r]) AS uses
OPTIONAL MATCH up = (pl)-[:LOCATED_IN*1..6]->(c:Entity)
WHERE all(l IN relationships(up) WHERE l.support IN $support)
WITH pl, uses, c, min(length(up)) AS distance
ORDER BY distance, c.name
WITH pl, uses, collect(c.name) AS within
UNWIND uses AS use
WITH pl, within, use[0] AS via, use[1] AS r
RETURN pl.name AS place, pl.id AS id, pl.kind AS kind, within, r.since AS since, r.until AS until,
       r.status AS status, r.sources AS sources, r.contested AS contested, r.denied_by AS denied_by, via
ORDER BY via IS NOT NULL, via, place
