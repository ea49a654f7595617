// name: path
// description: The shortest connection between two entities over any relation, either direction, one row per step.
// param: from entity  Id of the first entity
// param: to entity  Id of the second entity
// param: max_hops integer  Longest connection to look for, at most 6 (default 4)
// param: support list  Relations that count: 'asserted'; add 'announced' or 'denied' to follow those too (default ['asserted'])
// example:
// :param from => 'kataib-hezbollah'
// :param to => 'al-qaim'
// :param max_hops => 4
// :param support => ['asserted']
//
// Of the shortest connections, the one whose ids, then relations, then directions (forward first) come
// first: two relations of one name can join the same two entities, one each way (a member_of b and b
// member_of a), and only the direction tells those paths apart. Only relations between entities carry
// `support`, so the pattern never strays through claims or sources.
MATCH (a:Entity {id: $from})
MATCH (b:Entity {id: $to})
MATCH p = ALL SHORTEST (a)-[r WHERE r.support IN $support]-{1,6}(b)
WHERE a <> b AND length(p) <= $max_hops
WITH p
ORDER BY reduce(ids = '', n IN nodes(p) | ids + n.id + '|'), [r IN relationships(p) | r.relation],
         [i IN range(0, length(p) - 1) | startNode(relationships(p)[i]) <> nodes(p)[i]]
LIMIT 1
UNWIND range(0, length(p) - 1) AS i
WITH i, relationships(p)[i] AS r, nodes(p)[i] AS x, nodes(p)[i + 1] AS y
RETURN i + 1 AS step, x.name AS `from`, x.id AS from_id, r.relation AS relation,
       CASE WHEN startNode(r) = x OR r.symmetric THEN 'forward' ELSE 'backward' END AS direction,
       y.name AS `to`, y.id AS to_id, r.status AS status, r.sources AS sources,
       r.contested AS contested, r.denied_by AS denied_by
ORDER BY step
