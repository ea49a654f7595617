// name: co-located
// description: Other groups that share an operating place with a group.
// param: id  Id of the group or umbrella
// param: as_of  Only relations valid on this YYYY-MM-DD date (default null)
// example:
// :param id => 'pro-iranian-militias-iraq'
// :param as_of => null
MATCH (g:Entity {id: $id})-[r:OPERATES_IN]->(pl:Entity)<-[r2:OPERATES_IN]-(o:Entity)
WHERE o <> g
  AND ($as_of IS NULL
    OR ((r.since_lo IS NULL OR r.since_lo <= $as_of) AND (r.until_hi IS NULL OR r.until_hi > $as_of)
      AND (r2.since_lo IS NULL OR r2.since_lo <= $as_of) AND (r2.until_hi IS NULL OR r2.until_hi > $as_of)))
WITH o, pl
ORDER BY pl.name
WITH o, collect(DISTINCT pl.name) AS places
RETURN o.name AS group, o.id AS id, places
ORDER BY size(places) DESC, group
