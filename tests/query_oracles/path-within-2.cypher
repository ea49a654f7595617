// name: path
// description: The shortest connection between two entities over any relation, either direction, one row per step.
// param: from  Id of the first entity
// param: to  Id of the second entity
// param: max_hops  Longest connection to look for, at most 6 (default 4)
// param: support  Relations that count (default ['asserted'])
// example:
// :param from => 'kataib-hezbollah'
// :param to => 'al-qaim'
// :param max_hops => 4
// :param support => ['asserted']
//
// path.cypher stopping at two steps: the same answer for max_hops <= 2.
MATCH (a:Entity {id: $from})
MATCH (b:Entity {id: $to})
MATCH p = (a)-[*1..2]-(b)
WHERE a <> b AND length(p) <= $max_hops AND all(r IN relationships(p) WHERE r.support IN $support)
// Each path as its lists of nodes and relationships: FalkorDB 4.16.3 can crash (Path_Clone) ordering rows
// that hold path values, and later (a corrupted heap) after reduce() over a CASE of string literals.
WITH nodes(p) AS ns, relationships(p) AS rs
ORDER BY size(rs), reduce(key = '', n IN ns | key + n.id + '|'),
         reduce(key = '', r IN rs | key + r.relation + '|'),
         [i IN range(0, size(rs) - 1) | CASE WHEN endNode(rs[i]) = ns[i + 1] THEN 'a' ELSE 'b' END]
LIMIT 1
UNWIND range(0, size(rs) - 1) AS i
WITH i, rs[i] AS r, ns[i] AS x, ns[i + 1] AS y
// A symmetric relation reads forward either way round; any other, forward where it points to the next step.
RETURN i + 1 AS step, x.name AS `from`, x.id AS from_id, r.relation AS relation,
       CASE WHEN r.symmetric OR endNode(r) = y THEN 'forward' ELSE 'backward' END AS direction,
       y.name AS `to`, y.id AS to_id, r.status AS status, r.sources AS sources,
       r.contested AS contested, r.denied_by AS denied_by
ORDER BY step
