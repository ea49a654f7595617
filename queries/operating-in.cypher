// name: operating-in
// description: Groups operating in a place or anywhere located within it.
// param: place  Id of the place or state
// param: as_of  Only relations valid on this YYYY-MM-DD date (default null)
// example:
// :param place => 'anbar'
// :param as_of => null
MATCH (target:Entity {id: $place})
// The path variable is not used but needed: without one, FalkorDB prunes the variable-length match and
// misses places reachable both directly and through a longer chain (278 of 336 on the 100k bench corpus).
MATCH inside = (pl:Entity)-[:LOCATED_IN*0..6]->(target)
WITH DISTINCT pl
MATCH (g:Entity)-[r:OPERATES_IN]->(pl)
WHERE $as_of IS NULL
   OR ((r.since_lo IS NULL OR r.since_lo <= $as_of) AND (r.until_hi IS NULL OR r.until_hi > $as_of))
RETURN g.name AS group, g.id AS id, pl.name AS place, r.since AS since, r.until AS until,
       r.status AS status, r.sources AS sources
ORDER BY group, place
