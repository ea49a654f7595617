// name: path
// description: The shortest connection between two entities over any relation, either direction, one row per step.
// param: from  Id of the first entity
// param: to  Id of the second entity
// param: max_hops  Longest connection to look for, at most 6 (default 4)
// example:
// :param from => 'kataib-hezbollah'
// :param to => 'al-qaim'
// :param max_hops => 4
//
// Enumerating every path of up to 6 steps from one end blows up on a dense graph (degree^6), so each length
// is tried in turn, only while no shorter connection was found, and each meets in the middle: half the
// steps from each end, joined on the node where they meet (a hash join), degree^(k/2) per side instead of
// degree^k; the longer half of an odd length is walked from the end with fewer relations. The first length
// that connects the two is the shortest; only its paths are ordered. Guards unwind an empty list, so a
// length (or half) that is not needed expands nothing. $from and $to must differ.
MATCH (a:Entity {id: $from})
MATCH (b:Entity {id: $to})
WHERE a <> b
WITH a, b, $max_hops AS hops
OPTIONAL MATCH p = (a)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(b)
WHERE hops >= 1
WITH a, b, hops, collect(CASE WHEN p IS NULL THEN null ELSE [nodes(p), relationships(p)] END) AS found
OPTIONAL MATCH (a)-[ra:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(:Entity)
WITH a, b, hops, found, count(ra) AS da
OPTIONAL MATCH (b)-[rb:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(:Entity)
WITH a, b, hops, found, da, count(rb) AS db
WITH a, b, hops, found, da <= db AS a_first
CALL {
  WITH a, b, hops, found, a_first
  UNWIND CASE WHEN size(found) = 0 AND hops >= 2 THEN [1] ELSE [] END AS go
  MATCH p1 = (a)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(m1:Entity)
  MATCH p2 = (b)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(m2:Entity)
  WHERE id(m1) = id(m2)
  RETURN collect([nodes(p1) + reverse(nodes(p2))[1..], relationships(p1) + reverse(relationships(p2))]) AS more
}
WITH a, b, hops, found + more AS found, a_first
CALL {
  WITH a, b, hops, found, a_first
  UNWIND CASE WHEN size(found) = 0 AND hops >= 3 AND NOT a_first THEN [1] ELSE [] END AS go
  MATCH p1 = (a)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(m1:Entity)
  MATCH p2 = (b)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(:Entity)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(m2:Entity)
  WHERE id(m1) = id(m2)
  RETURN collect([nodes(p1) + reverse(nodes(p2))[1..], relationships(p1) + reverse(relationships(p2))]) AS more
}
WITH a, b, hops, found + more AS found, a_first
CALL {
  WITH a, b, hops, found, a_first
  UNWIND CASE WHEN size(found) = 0 AND hops >= 3 AND a_first THEN [1] ELSE [] END AS go
  MATCH p1 = (a)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(:Entity)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(m1:Entity)
  MATCH p2 = (b)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(m2:Entity)
  WHERE id(m1) = id(m2)
  RETURN collect([nodes(p1) + reverse(nodes(p2))[1..], relationships(p1) + reverse(relationships(p2))]) AS more
}
WITH a, b, hops, found + more AS found, a_first
CALL {
  WITH a, b, hops, found, a_first
  UNWIND CASE WHEN size(found) = 0 AND hops >= 4 THEN [1] ELSE [] END AS go
  MATCH p1 = (a)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(:Entity)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(m1:Entity)
  MATCH p2 = (b)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(:Entity)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(m2:Entity)
  WHERE id(m1) = id(m2)
  RETURN collect([nodes(p1) + reverse(nodes(p2))[1..], relationships(p1) + reverse(relationships(p2))]) AS more
}
WITH a, b, hops, found + more AS found, a_first
CALL {
  WITH a, b, hops, found, a_first
  UNWIND CASE WHEN size(found) = 0 AND hops >= 5 AND NOT a_first THEN [1] ELSE [] END AS go
  MATCH p1 = (a)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(:Entity)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(m1:Entity)
  MATCH p2 = (b)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(:Entity)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(:Entity)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(m2:Entity)
  WHERE id(m1) = id(m2)
  RETURN collect([nodes(p1) + reverse(nodes(p2))[1..], relationships(p1) + reverse(relationships(p2))]) AS more
}
WITH a, b, hops, found + more AS found, a_first
CALL {
  WITH a, b, hops, found, a_first
  UNWIND CASE WHEN size(found) = 0 AND hops >= 5 AND a_first THEN [1] ELSE [] END AS go
  MATCH p1 = (a)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(:Entity)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(:Entity)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(m1:Entity)
  MATCH p2 = (b)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(:Entity)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(m2:Entity)
  WHERE id(m1) = id(m2)
  RETURN collect([nodes(p1) + reverse(nodes(p2))[1..], relationships(p1) + reverse(relationships(p2))]) AS more
}
WITH a, b, hops, found + more AS found, a_first
CALL {
  WITH a, b, hops, found, a_first
  UNWIND CASE WHEN size(found) = 0 AND hops >= 6 THEN [1] ELSE [] END AS go
  MATCH p1 = (a)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(:Entity)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(:Entity)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(m1:Entity)
  MATCH p2 = (b)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(:Entity)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(:Entity)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(m2:Entity)
  WHERE id(m1) = id(m2)
  RETURN collect([nodes(p1) + reverse(nodes(p2))[1..], relationships(p1) + reverse(relationships(p2))]) AS more
}
WITH a, b, hops, found + more AS found, a_first
UNWIND found AS p
WITH p[0] AS ns, p[1] AS rs
ORDER BY reduce(key = '', n IN ns | key + n.id + '|'), reduce(key = '', r IN rs | key + r.relation + '|')
LIMIT 1
UNWIND range(0, size(rs) - 1) AS i
WITH i, rs[i] AS r, ns[i] AS x, ns[i + 1] AS y
RETURN i + 1 AS step, x.name AS `from`,
       CASE WHEN startNode(r) = x OR r.relation IN ['borders', 'allied_with'] THEN r.relation
            ELSE r.relation + ' (reversed)' END AS relation,
       y.name AS `to`
ORDER BY step
