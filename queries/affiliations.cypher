// name: affiliations
// description: The chain upward from an entity through member_of and part_of (one row per umbrella or state reached).
// param: id  Id of the group or umbrella
// param: as_of  Only relations valid on this YYYY-MM-DD date (default null)
// example:
// :param id => 'kataib-hezbollah'
// :param as_of => null
//
// Enumerating the paths (`*1..8`) is exponential on a dense member_of graph, so this is a breadth-first
// search written out level by level. Each row is an entity reached so far: n, sk (its depth, then the ids
// along its chain, '|'-separated) and chain (the names along it). Each level extends the rows of the last
// one by one relationship, and an entity keeps its entry of smallest sk: its shallowest chain and, of
// those, the one of the smallest ids (keys of equal depth never prefix one another, so extending the
// smallest key gives the smallest key).
MATCH (e:Entity {id: $id})
WITH e AS n, '0' + e.id + '|' AS sk, [] AS chain
WITH n, sk, chain, CASE WHEN sk STARTS WITH '0' THEN n END AS x
OPTIONAL MATCH (x)-[r:MEMBER_OF|PART_OF]->(m:Entity)
WHERE $as_of IS NULL
   OR ((r.since_lo IS NULL OR r.since_lo <= $as_of) AND (r.until_hi IS NULL OR r.until_hi > $as_of))
WITH n, sk, chain, collect(CASE WHEN m IS NULL THEN null ELSE [m, '1' + substring(sk, 1) + m.id + '|', chain + [m.name]] END) AS next
UNWIND [[n, sk, chain]] + next AS c
WITH c
ORDER BY c[1]
WITH c[0] AS n, collect(c)[0] AS c
WITH n, c[1] AS sk, c[2] AS chain
WITH n, sk, chain, CASE WHEN sk STARTS WITH '1' THEN n END AS x
OPTIONAL MATCH (x)-[r:MEMBER_OF|PART_OF]->(m:Entity)
WHERE $as_of IS NULL
   OR ((r.since_lo IS NULL OR r.since_lo <= $as_of) AND (r.until_hi IS NULL OR r.until_hi > $as_of))
WITH n, sk, chain, collect(CASE WHEN m IS NULL THEN null ELSE [m, '2' + substring(sk, 1) + m.id + '|', chain + [m.name]] END) AS next
UNWIND [[n, sk, chain]] + next AS c
WITH c
ORDER BY c[1]
WITH c[0] AS n, collect(c)[0] AS c
WITH n, c[1] AS sk, c[2] AS chain
WITH n, sk, chain, CASE WHEN sk STARTS WITH '2' THEN n END AS x
OPTIONAL MATCH (x)-[r:MEMBER_OF|PART_OF]->(m:Entity)
WHERE $as_of IS NULL
   OR ((r.since_lo IS NULL OR r.since_lo <= $as_of) AND (r.until_hi IS NULL OR r.until_hi > $as_of))
WITH n, sk, chain, collect(CASE WHEN m IS NULL THEN null ELSE [m, '3' + substring(sk, 1) + m.id + '|', chain + [m.name]] END) AS next
UNWIND [[n, sk, chain]] + next AS c
WITH c
ORDER BY c[1]
WITH c[0] AS n, collect(c)[0] AS c
WITH n, c[1] AS sk, c[2] AS chain
WITH n, sk, chain, CASE WHEN sk STARTS WITH '3' THEN n END AS x
OPTIONAL MATCH (x)-[r:MEMBER_OF|PART_OF]->(m:Entity)
WHERE $as_of IS NULL
   OR ((r.since_lo IS NULL OR r.since_lo <= $as_of) AND (r.until_hi IS NULL OR r.until_hi > $as_of))
WITH n, sk, chain, collect(CASE WHEN m IS NULL THEN null ELSE [m, '4' + substring(sk, 1) + m.id + '|', chain + [m.name]] END) AS next
UNWIND [[n, sk, chain]] + next AS c
WITH c
ORDER BY c[1]
WITH c[0] AS n, collect(c)[0] AS c
WITH n, c[1] AS sk, c[2] AS chain
WITH n, sk, chain, CASE WHEN sk STARTS WITH '4' THEN n END AS x
OPTIONAL MATCH (x)-[r:MEMBER_OF|PART_OF]->(m:Entity)
WHERE $as_of IS NULL
   OR ((r.since_lo IS NULL OR r.since_lo <= $as_of) AND (r.until_hi IS NULL OR r.until_hi > $as_of))
WITH n, sk, chain, collect(CASE WHEN m IS NULL THEN null ELSE [m, '5' + substring(sk, 1) + m.id + '|', chain + [m.name]] END) AS next
UNWIND [[n, sk, chain]] + next AS c
WITH c
ORDER BY c[1]
WITH c[0] AS n, collect(c)[0] AS c
WITH n, c[1] AS sk, c[2] AS chain
WITH n, sk, chain, CASE WHEN sk STARTS WITH '5' THEN n END AS x
OPTIONAL MATCH (x)-[r:MEMBER_OF|PART_OF]->(m:Entity)
WHERE $as_of IS NULL
   OR ((r.since_lo IS NULL OR r.since_lo <= $as_of) AND (r.until_hi IS NULL OR r.until_hi > $as_of))
WITH n, sk, chain, collect(CASE WHEN m IS NULL THEN null ELSE [m, '6' + substring(sk, 1) + m.id + '|', chain + [m.name]] END) AS next
UNWIND [[n, sk, chain]] + next AS c
WITH c
ORDER BY c[1]
WITH c[0] AS n, collect(c)[0] AS c
WITH n, c[1] AS sk, c[2] AS chain
WITH n, sk, chain, CASE WHEN sk STARTS WITH '6' THEN n END AS x
OPTIONAL MATCH (x)-[r:MEMBER_OF|PART_OF]->(m:Entity)
WHERE $as_of IS NULL
   OR ((r.since_lo IS NULL OR r.since_lo <= $as_of) AND (r.until_hi IS NULL OR r.until_hi > $as_of))
WITH n, sk, chain, collect(CASE WHEN m IS NULL THEN null ELSE [m, '7' + substring(sk, 1) + m.id + '|', chain + [m.name]] END) AS next
UNWIND [[n, sk, chain]] + next AS c
WITH c
ORDER BY c[1]
WITH c[0] AS n, collect(c)[0] AS c
WITH n, c[1] AS sk, c[2] AS chain
WITH n, sk, chain, CASE WHEN sk STARTS WITH '7' THEN n END AS x
OPTIONAL MATCH (x)-[r:MEMBER_OF|PART_OF]->(m:Entity)
WHERE $as_of IS NULL
   OR ((r.since_lo IS NULL OR r.since_lo <= $as_of) AND (r.until_hi IS NULL OR r.until_hi > $as_of))
WITH n, sk, chain, collect(CASE WHEN m IS NULL THEN null ELSE [m, '8' + substring(sk, 1) + m.id + '|', chain + [m.name]] END) AS next
UNWIND [[n, sk, chain]] + next AS c
WITH c
ORDER BY c[1]
WITH c[0] AS n, collect(c)[0] AS c
WITH n, c[1] AS sk, c[2] AS chain
WITH n AS a, sk, chain, split(substring(sk, 1), '|') AS ids
WHERE NOT sk STARTS WITH '0'
MATCH (p:Entity {id: ids[size(ids) - 3]})
MATCH (p)-[r:MEMBER_OF|PART_OF]->(a)
WHERE $as_of IS NULL
     OR ((r.since_lo IS NULL OR r.since_lo <= $as_of) AND (r.until_hi IS NULL OR r.until_hi > $as_of))
WITH a, sk, chain, r
ORDER BY r.relation
WITH a, sk, chain, collect(r)[0] AS r
RETURN a.name AS name, a.id AS id, a.kind AS kind, size(chain) AS depth, r.relation AS relation,
       chain[..-1] AS via, r.since AS since, r.until AS until, r.status AS status
ORDER BY depth, name
