// name: path
// description: FalkorDB variant of path.cypher: a breadth-first search (algo.SPpaths) instead of enumerating paths.
MATCH (a:Entity {id: $from})
MATCH (b:Entity {id: $to})
CALL algo.SPpaths({sourceNode: a, targetNode: b, relTypes: ['MEMBER_OF', 'PART_OF', 'OPERATES_IN', 'WITHDREW_FROM', 'LOCATED_IN', 'BORDERS', 'BACKED_BY', 'ATTACKED', 'ALLIED_WITH'],
                     relDirection: 'both', maxLen: $max_hops, pathCount: 0})
YIELD path
WITH path AS p
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
