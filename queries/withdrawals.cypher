// name: withdrawals
// description: Who withdrew from where and when, optionally for one group, from places within one place, between dates.
// param: group entity  Id of the group (default null)
// param: from entity  Id of a place or state; places located within it count (default null)
// param: since date  Only withdrawals on or after this YYYY-MM-DD date (default null)
// param: until date  Only withdrawals on or before this YYYY-MM-DD date (default null)
// param: support list  Relations that count: 'asserted'; add 'announced' or 'denied' to follow those too (default ['asserted'])
// example:
// :param group => null
// :param from => 'syria'
// :param since => '2024-01-01'
// :param until => null
// :param support => ['asserted']
//
// Each branch starts where its filter points: the places within $from (found once), the one $group, or,
// with neither, every withdrawal. A branch whose filter is absent unwinds an empty list and reads nothing.
// The path variable keeps FalkorDB from pruning the variable-length match (without one it can miss nodes).
CALL {
  MATCH (target:Entity {id: $from})
  MATCH inside = (place:Entity)-[:LOCATED_IN*0..6]->(target)
  WHERE all(l IN relationships(inside) WHERE l.support IN $support)
  WITH DISTINCT place
  MATCH (g:Entity)-[r:WITHDREW_FROM]->(place)
  RETURN g, r, place AS pl
  UNION ALL
  UNWIND CASE WHEN $from IS NULL THEN [$group] ELSE [] END AS gid
  MATCH (g:Entity {id: gid})-[r:WITHDREW_FROM]->(pl:Entity)
  RETURN g, r, pl
  UNION ALL
  UNWIND CASE WHEN $from IS NULL AND $group IS NULL THEN [1] ELSE [] END AS everything
  MATCH (g:Entity)-[r:WITHDREW_FROM]->(pl:Entity)
  RETURN g, r, pl
}
WITH g, r, pl
WHERE r.support IN $support
  AND ($group IS NULL OR g.id = $group)
  AND ($since IS NULL OR r.on_lo >= $since)
  AND ($until IS NULL OR r.on_lo <= $until)
RETURN g.name AS group, g.id AS id, pl.name AS `from`, r.on AS `on`, r.status AS status, r.sources AS sources,
       r.contested AS contested, r.denied_by AS denied_by
ORDER BY r.on_lo, group, id, `from`
