// name: operating-in
// description: Groups operating in a place or anywhere located within it.
// param: place entity  Id of the place or state
// param: as_of date  Only relations valid on this YYYY-MM-DD date (default null)
// param: support list  Relations that count: 'asserted'; add 'announced' or 'denied' to follow those too (default ['asserted'])
// example:
// :param place => 'anbar'
// :param as_of => null
// :param support => ['asserted']
MATCH (target:Entity {id: $place})
// The path variable is not used but needed: without one, FalkorDB prunes the variable-length match and
// misses places reachable both directly and through a longer chain (278 of 336 on the 100k bench corpus).
MATCH inside = (pl:Entity)-[:LOCATED_IN*0..6]->(target)
WHERE all(l IN relationships(inside) WHERE l.support IN $support)
WITH DISTINCT pl
MATCH (g:Entity)-[r:OPERATES_IN]->(pl)
WHERE r.support IN $support AND ($as_of IS NULL OR r.valid_from <= $as_of < r.valid_to)
RETURN g.name AS group, g.id AS id, pl.name AS place, r.since AS since, r.until AS until,
       r.status AS status, r.sources AS sources, r.contested AS contested,
       r.denied_by AS denied_by
ORDER BY group, id, place
