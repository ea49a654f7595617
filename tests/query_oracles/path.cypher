// name: path
// description: The shortest connection between two entities over any relation, either direction, one row per step.
// param: from  Id of the first entity
// param: to  Id of the second entity
// param: max_hops  Longest connection to look for, at most 6 (default 4)
// example:
// :param from => 'kataib-hezbollah'
// :param to => 'al-qaim'
// :param max_hops => 4
MATCH (a:Entity {id: $from})
MATCH (b:Entity {id: $to})
MATCH p = (a)-[:MEMBER_OF|PART_OF|OPERATES_IN|WITHDREW_FROM|LOCATED_IN|BORDERS|BACKED_BY|ATTACKED|ALLIED_WITH*1..6]-(b)
WHERE length(p) <= $max_hops
WITH p
ORDER BY length(p), reduce(key = '', n IN nodes(p) | key + n.id + '|'),
         reduce(key = '', r IN relationships(p) | key + r.relation + '|')
LIMIT 1
UNWIND range(0, length(p) - 1) AS i
WITH i, relationships(p)[i] AS r, nodes(p)[i] AS x, nodes(p)[i + 1] AS y
RETURN i + 1 AS step, x.name AS `from`,
       CASE WHEN startNode(r) = x OR r.relation IN ['borders', 'allied_with'] THEN r.relation
            ELSE r.relation + ' (reversed)' END AS relation,
       y.name AS `to`
ORDER BY step
