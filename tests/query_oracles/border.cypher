// name: border
// description: Groups operating in places that lie in one state and border the other (directly or through a containing place).
// param: state_a  Id of one state
// param: state_b  Id of the other state
// param: as_of  Only relations valid on this YYYY-MM-DD date (default null)
// param: support  Relations that count (default ['asserted'])
// example:
// :param state_a => 'iraq'
// :param state_b => 'syria'
// :param as_of => null
// :param support => ['asserted']
//
// Geography (located_in, borders) is read whatever the date, but only where its support is asked for.
MATCH (a:Entity {id: $state_a})
MATCH (b:Entity {id: $state_b})
// The path variables are deliberate: FalkorDB can drop rows of an unnamed variable-length pattern.
MATCH reach = (pl:Entity)-[:LOCATED_IN*0..6]->(x:Entity)-[:BORDERS]-(s:Entity)
WHERE (s = a OR s = b) AND pl <> a AND pl <> b AND NOT x:State
  AND all(l IN relationships(reach) WHERE l.support IN $support)
WITH a, b, pl, s
ORDER BY s.name
WITH a, b, pl, collect(DISTINCT s) AS bordered
OPTIONAL MATCH chain = (pl)-[:LOCATED_IN*1..6]->(inside:Entity)
WHERE (inside = a OR inside = b) AND all(l IN relationships(chain) WHERE l.support IN $support)
WITH pl, bordered, inside
ORDER BY inside.name
WITH pl, bordered, collect(DISTINCT inside) AS within
WITH pl, bordered, within
WHERE size(bordered) = 2 OR any(s IN bordered WHERE any(w IN within WHERE w <> s))
MATCH (g:Entity)-[r:OPERATES_IN]->(pl)
WHERE r.support IN $support AND ($as_of IS NULL OR (r.valid_from <= $as_of AND $as_of < r.valid_to))
RETURN g.name AS group, g.id AS id, pl.name AS place,
       [x IN CASE WHEN size(within) = 0 THEN bordered ELSE within END | x.name] AS state,
       r.since AS since, r.until AS until, r.status AS status, r.sources AS sources,
       r.contested AS contested, r.denied_by AS denied_by
ORDER BY group, id, place
