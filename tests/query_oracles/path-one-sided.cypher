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
// Enumerating every path of up to 6 steps blows up on a dense graph (and FalkorDB's algo.SPpaths searches
// depth first, no better), so each length is tried in turn, only while no shorter connection was found:
// the first length that connects the two is the shortest, and only its paths are ordered. The guards
// name only bound variables (hops, not $max_hops), so FalkorDB checks them before it expands.
MATCH (a:Entity {id: $from})
MATCH (b:Entity {id: $to})
WITH a, b, [] AS found, $max_hops AS hops
OPTIONAL MATCH p = (a)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(b)
WHERE size(found) = 0 AND hops >= 1
WITH a, b, hops, found, collect(p) AS more
WITH a, b, hops, found + more AS found
OPTIONAL MATCH p = (a)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(:Entity)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(b)
WHERE size(found) = 0 AND hops >= 2
WITH a, b, hops, found, collect(p) AS more
WITH a, b, hops, found + more AS found
OPTIONAL MATCH p = (a)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(:Entity)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(:Entity)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(b)
WHERE size(found) = 0 AND hops >= 3
WITH a, b, hops, found, collect(p) AS more
WITH a, b, hops, found + more AS found
OPTIONAL MATCH p = (a)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(:Entity)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(:Entity)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(:Entity)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(b)
WHERE size(found) = 0 AND hops >= 4
WITH a, b, hops, found, collect(p) AS more
WITH a, b, hops, found + more AS found
OPTIONAL MATCH p = (a)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(:Entity)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(:Entity)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(:Entity)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(:Entity)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(b)
WHERE size(found) = 0 AND hops >= 5
WITH a, b, hops, found, collect(p) AS more
WITH a, b, hops, found + more AS found
OPTIONAL MATCH p = (a)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(:Entity)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(:Entity)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(:Entity)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(:Entity)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(:Entity)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH]-(b)
WHERE size(found) = 0 AND hops >= 6
WITH a, b, hops, found, collect(p) AS more
WITH a, b, hops, found + more AS found
UNWIND found AS p
WITH p
ORDER BY reduce(key = '', n IN nodes(p) | key + n.id + '|'),
         reduce(key = '', r IN relationships(p) | key + r.relation + '|')
LIMIT 1
UNWIND range(0, length(p) - 1) AS i
WITH i, relationships(p)[i] AS r, nodes(p)[i] AS x, nodes(p)[i + 1] AS y
RETURN i + 1 AS step, x.name AS `from`,
       CASE WHEN startNode(r) = x OR r.relation IN ['borders', 'allied_with'] THEN r.relation
            ELSE r.relation + ' (reversed)' END AS relation,
       y.name AS `to`
ORDER BY step
