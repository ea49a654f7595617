// name: where
// description: Where a group operates, with the places containing each one; unless direct, also where its umbrellas operate (via).
// param: id  Id of the group or umbrella
// param: direct  Only the group's own operates_in relations (default false)
// param: as_of  Only relations valid on this YYYY-MM-DD date (default null)
// example:
// :param id => 'pro-iranian-militias-iraq'
// :param direct => false
// :param as_of => null
MATCH (g:Entity {id: $id})
MATCH chain = (g)-[:MEMBER_OF*0..4]->(x:Entity)
WHERE (NOT $direct OR length(chain) = 0)
  AND all(m IN relationships(chain) WHERE $as_of IS NULL
      OR ((m.since_lo IS NULL OR m.since_lo <= $as_of) AND (m.until_hi IS NULL OR m.until_hi > $as_of)))
WITH DISTINCT x, CASE WHEN x = g THEN null ELSE x.name END AS via
MATCH (x)-[r:OPERATES_IN]->(pl:Entity)
WHERE $as_of IS NULL
   OR ((r.since_lo IS NULL OR r.since_lo <= $as_of) AND (r.until_hi IS NULL OR r.until_hi > $as_of))
// The containers of each place are looked up once, not once per group operating there.
WITH pl, collect([via, r]) AS uses
OPTIONAL MATCH up = (pl)-[:LOCATED_IN*1..6]->(c:Entity)
WITH pl, uses, c, min(length(up)) AS distance
ORDER BY distance, c.name
WITH pl, uses, collect(c.name) AS within
UNWIND uses AS use
WITH pl, within, use[0] AS via, use[1] AS r
RETURN pl.name AS place, pl.id AS id, pl.kind AS kind, within, r.since AS since, r.until AS until,
       r.status AS status, r.sources AS sources, via
ORDER BY via IS NOT NULL, via, place
