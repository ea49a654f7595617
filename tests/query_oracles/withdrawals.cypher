// name: withdrawals
// description: Who withdrew from where and when, optionally for one group, from places within one place, between dates.
// param: group  Id of the group (default null)
// param: from  Id of a place or state; places located within it count (default null)
// param: since  Only withdrawals on or after this YYYY-MM-DD date (default null)
// param: until  Only withdrawals on or before this YYYY-MM-DD date (default null)
// param: support  Relations that count (default ['asserted'])
// example:
// :param group => null
// :param from => 'syria'
// :param since => '2024-01-01'
// :param until => null
// :param support => ['asserted']
//
// Every withdrawal that counts, kept if it is from $from or a place within it by located_in links that count.
MATCH (g:Entity)-[r:WITHDREW_FROM]->(pl:Entity)
WHERE r.support IN $support
  AND ($group IS NULL OR g.id = $group)
  AND ($since IS NULL OR r.on_lo >= $since)
  AND ($until IS NULL OR r.on_lo <= $until)
OPTIONAL MATCH inside = (pl)-[:LOCATED_IN*0..6]->(:Entity {id: $from})
WHERE all(l IN relationships(inside) WHERE l.support IN $support)
WITH g, r, pl, count(inside) AS within
WHERE $from IS NULL OR within > 0
RETURN g.name AS group, g.id AS id, pl.name AS `from`, r.on AS `on`, r.status AS status, r.sources AS sources,
       r.contested AS contested, r.denied_by AS denied_by
ORDER BY r.on_lo, group, id, `from`
