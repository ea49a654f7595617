// name: path
// description: FalkorDB text of path.cypher: the same rows, each length tried in turn, meeting in the middle.
//
// Why: FalkorDB variant of path.cypher (no SHORTEST there, and its shortestPath takes no filter on the
// relationships). Enumerating every path of up to 6 steps from one end blows up on a dense graph
// (degree^6), so each length L is tried in turn (the `for` block, L = 2..6, see queries/templates.py),
// only while no shorter connection was found, and each meets in the middle: half the steps from each end,
// joined on the node where they meet (a hash join), degree^(L/2) per side instead of degree^L; the longer
// half of an odd length is walked from the end with fewer relations (the second CALL; for an even length
// its guard is false). The first length that connects the two is the shortest; only its paths are
// ordered. Guards unwind an empty list, so a length (or half) that is not needed expands nothing.
// Only relations between entities carry `support`, so the walk never strays through claims or sources.
MATCH (a:Entity {id: $from})
MATCH (b:Entity {id: $to})
WHERE a <> b
WITH a, b, $max_hops AS hops
OPTIONAL MATCH p = (a)-[r]-(b)
WHERE hops >= 1 AND r.support IN $support
WITH a, b, hops, collect(CASE WHEN p IS NULL THEN null ELSE [nodes(p), relationships(p)] END) AS found
OPTIONAL MATCH (a)-[ra]-(:Entity)
WHERE ra.support IN $support
WITH a, b, hops, found, count(ra) AS da
OPTIONAL MATCH (b)-[rb]-(:Entity)
WHERE rb.support IN $support
WITH a, b, hops, found, da, count(rb) AS db
WITH a, b, hops, found, da <= db AS a_first
// for L in 2..6:
CALL {
  WITH a, b, hops, found, a_first
  UNWIND CASE WHEN size(found) = 0 AND hops >= {{L}} AND {{'NOT a_first' if L % 2 else 'true'}} THEN [1] ELSE [] END AS go
  MATCH p1 = (a){{steps(L // 2)}}(m1:Entity)
  MATCH p2 = (b){{steps(L - L // 2)}}(m2:Entity)
  WHERE id(m1) = id(m2) AND all(r IN relationships(p1) + relationships(p2) WHERE r.support IN $support)
  RETURN collect([nodes(p1) + reverse(nodes(p2))[1..], relationships(p1) + reverse(relationships(p2))]) AS more
}
WITH a, b, hops, found + more AS found, a_first
CALL {
  WITH a, b, hops, found, a_first
  UNWIND CASE WHEN size(found) = 0 AND hops >= {{L}} AND {{'a_first' if L % 2 else 'false'}} THEN [1] ELSE [] END AS go
  MATCH p1 = (a){{steps(L - L // 2)}}(m1:Entity)
  MATCH p2 = (b){{steps(L // 2)}}(m2:Entity)
  WHERE id(m1) = id(m2) AND all(r IN relationships(p1) + relationships(p2) WHERE r.support IN $support)
  RETURN collect([nodes(p1) + reverse(nodes(p2))[1..], relationships(p1) + reverse(relationships(p2))]) AS more
}
WITH a, b, hops, found + more AS found, a_first
// end for
UNWIND found AS p
WITH p[0] AS ns, p[1] AS rs
ORDER BY reduce(ids = '', n IN ns | ids + n.id + '|'), [r IN rs | r.relation],
         [i IN range(0, size(rs) - 1) | startNode(rs[i]) <> ns[i]]
LIMIT 1
UNWIND range(0, size(rs) - 1) AS i
WITH i, rs[i] AS r, ns[i] AS x, ns[i + 1] AS y
RETURN i + 1 AS step, x.name AS `from`, x.id AS from_id, r.relation AS relation,
       CASE WHEN startNode(r) = x OR r.symmetric THEN 'forward' ELSE 'backward' END AS direction,
       y.name AS `to`, y.id AS to_id, r.status AS status, r.sources AS sources,
       r.contested AS contested, r.denied_by AS denied_by
ORDER BY step
