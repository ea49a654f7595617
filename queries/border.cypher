// name: border
// description: Groups operating in places that lie in one state and border the other (directly or through a containing place).
// param: state_a entity  Id of one state
// param: state_b entity  Id of the other state
// param: as_of date  Only relations valid on this YYYY-MM-DD date (default null)
// param: support list  Relations that count: 'asserted'; add 'announced' or 'denied' to follow those too (default ['asserted'])
// example:
// :param state_a => 'iraq'
// :param state_b => 'syria'
// :param as_of => null
// :param support => ['asserted']
MATCH (a:Entity {id: $state_a})
MATCH (b:Entity {id: $state_b})
// Start from the two states: the places that border them, then everything inside those places.
UNWIND [a, b] AS s
MATCH (s)-[sb:BORDERS]-(x:Entity)
WHERE NOT x:State AND sb.support IN $support
MATCH reach = (pl:Entity)-[:LOCATED_IN*0..6]->(x)
WHERE pl <> a AND pl <> b AND all(l IN relationships(reach) WHERE l.support IN $support)
WITH a, b, pl, s
ORDER BY s.name
WITH a, b, pl, collect(DISTINCT s) AS bordered
// Which of the two states contain the place: one walk up from it.
// The path variables are deliberate: FalkorDB can drop rows of an unnamed variable-length pattern.
OPTIONAL MATCH up = (pl)-[:LOCATED_IN*1..6]->(inside:Entity)
WHERE (inside = a OR inside = b) AND all(l IN relationships(up) WHERE l.support IN $support)
WITH pl, bordered, inside
ORDER BY inside.name
WITH pl, bordered, collect(DISTINCT inside) AS within
WITH pl, bordered, within
WHERE size(bordered) = 2 OR any(s IN bordered WHERE any(w IN within WHERE w <> s))
// Per place, not per group operating there.
WITH pl, pl.name AS place, [x IN CASE WHEN size(within) = 0 THEN bordered ELSE within END | x.name] AS state
MATCH (g:Entity)-[r:OPERATES_IN]->(pl)
WHERE r.support IN $support AND ($as_of IS NULL OR r.valid_from <= $as_of < r.valid_to)
RETURN g.name AS group, g.id AS id, place, state,
       r.since AS since, r.until AS until, r.status AS status, r.sources AS sources, r.contested AS contested,
       r.denied_by AS denied_by
ORDER BY group, id, place
