// name: members
// description: Members of an umbrella, through nested umbrellas unless direct (one row per member, its shortest chain).
// param: umbrella  Id of the umbrella
// param: direct  Only direct members (default false)
// param: as_of  Only memberships valid on this YYYY-MM-DD date (default null)
// example:
// :param umbrella => 'popular-mobilization-units'
// :param direct => false
// :param as_of => null
//
// Enumerating the paths (`*1..8`) is exponential on a dense member_of graph, so this is a breadth-first
// search written out level by level. Each row is an entity reached so far: n and sk (its depth, then the
// ids along its chain, '|'-separated). Each level extends the rows of the last one by one relationship,
// and an entity keeps its smallest sk: its shallowest chain and, of those, the one of the smallest ids
// (keys of equal depth never prefix one another, so extending the smallest key gives the smallest key).
// The names along each chain are read at the end.
MATCH (u:Entity {id: $umbrella})
WITH u AS n, '0' + u.id + '|' AS sk
WITH n, sk, CASE WHEN sk STARTS WITH '0' THEN n END AS x
OPTIONAL MATCH (m:Entity)-[r:MEMBER_OF]->(x)
WHERE $as_of IS NULL
   OR ((r.since_lo IS NULL OR r.since_lo <= $as_of) AND (r.until_hi IS NULL OR r.until_hi > $as_of))
WITH n, sk, collect(CASE WHEN m IS NULL THEN null ELSE [m, '1' + m.id + '|' + substring(sk, 1)] END) AS next
UNWIND [[n, sk]] + next AS c
WITH c[0] AS n, min(c[1]) AS sk
WITH n, sk, CASE WHEN sk STARTS WITH '1' AND NOT $direct THEN n END AS x
OPTIONAL MATCH (m:Entity)-[r:MEMBER_OF]->(x)
WHERE $as_of IS NULL
   OR ((r.since_lo IS NULL OR r.since_lo <= $as_of) AND (r.until_hi IS NULL OR r.until_hi > $as_of))
WITH n, sk, collect(CASE WHEN m IS NULL THEN null ELSE [m, '2' + m.id + '|' + substring(sk, 1)] END) AS next
UNWIND [[n, sk]] + next AS c
WITH c[0] AS n, min(c[1]) AS sk
WITH n, sk, CASE WHEN sk STARTS WITH '2' AND NOT $direct THEN n END AS x
OPTIONAL MATCH (m:Entity)-[r:MEMBER_OF]->(x)
WHERE $as_of IS NULL
   OR ((r.since_lo IS NULL OR r.since_lo <= $as_of) AND (r.until_hi IS NULL OR r.until_hi > $as_of))
WITH n, sk, collect(CASE WHEN m IS NULL THEN null ELSE [m, '3' + m.id + '|' + substring(sk, 1)] END) AS next
UNWIND [[n, sk]] + next AS c
WITH c[0] AS n, min(c[1]) AS sk
WITH n, sk, CASE WHEN sk STARTS WITH '3' AND NOT $direct THEN n END AS x
OPTIONAL MATCH (m:Entity)-[r:MEMBER_OF]->(x)
WHERE $as_of IS NULL
   OR ((r.since_lo IS NULL OR r.since_lo <= $as_of) AND (r.until_hi IS NULL OR r.until_hi > $as_of))
WITH n, sk, collect(CASE WHEN m IS NULL THEN null ELSE [m, '4' + m.id + '|' + substring(sk, 1)] END) AS next
UNWIND [[n, sk]] + next AS c
WITH c[0] AS n, min(c[1]) AS sk
WITH n, sk, CASE WHEN sk STARTS WITH '4' AND NOT $direct THEN n END AS x
OPTIONAL MATCH (m:Entity)-[r:MEMBER_OF]->(x)
WHERE $as_of IS NULL
   OR ((r.since_lo IS NULL OR r.since_lo <= $as_of) AND (r.until_hi IS NULL OR r.until_hi > $as_of))
WITH n, sk, collect(CASE WHEN m IS NULL THEN null ELSE [m, '5' + m.id + '|' + substring(sk, 1)] END) AS next
UNWIND [[n, sk]] + next AS c
WITH c[0] AS n, min(c[1]) AS sk
WITH n, sk, CASE WHEN sk STARTS WITH '5' AND NOT $direct THEN n END AS x
OPTIONAL MATCH (m:Entity)-[r:MEMBER_OF]->(x)
WHERE $as_of IS NULL
   OR ((r.since_lo IS NULL OR r.since_lo <= $as_of) AND (r.until_hi IS NULL OR r.until_hi > $as_of))
WITH n, sk, collect(CASE WHEN m IS NULL THEN null ELSE [m, '6' + m.id + '|' + substring(sk, 1)] END) AS next
UNWIND [[n, sk]] + next AS c
WITH c[0] AS n, min(c[1]) AS sk
WITH n, sk, CASE WHEN sk STARTS WITH '6' AND NOT $direct THEN n END AS x
OPTIONAL MATCH (m:Entity)-[r:MEMBER_OF]->(x)
WHERE $as_of IS NULL
   OR ((r.since_lo IS NULL OR r.since_lo <= $as_of) AND (r.until_hi IS NULL OR r.until_hi > $as_of))
WITH n, sk, collect(CASE WHEN m IS NULL THEN null ELSE [m, '7' + m.id + '|' + substring(sk, 1)] END) AS next
UNWIND [[n, sk]] + next AS c
WITH c[0] AS n, min(c[1]) AS sk
WITH n, sk, CASE WHEN sk STARTS WITH '7' AND NOT $direct THEN n END AS x
OPTIONAL MATCH (m:Entity)-[r:MEMBER_OF]->(x)
WHERE $as_of IS NULL
   OR ((r.since_lo IS NULL OR r.since_lo <= $as_of) AND (r.until_hi IS NULL OR r.until_hi > $as_of))
WITH n, sk, collect(CASE WHEN m IS NULL THEN null ELSE [m, '8' + m.id + '|' + substring(sk, 1)] END) AS next
UNWIND [[n, sk]] + next AS c
WITH c[0] AS n, min(c[1]) AS sk
WITH n AS m, sk, split(substring(sk, 1), '|') AS ids
WHERE NOT sk STARTS WITH '0'
// ids: the member, the umbrellas in between, the umbrella asked about, ''.
UNWIND CASE WHEN size(ids) > 3 THEN range(1, size(ids) - 3) ELSE [null] END AS i
OPTIONAL MATCH (v:Entity {id: ids[i]})
WITH m, ids, i, v
ORDER BY i
WITH m, ids, collect(v.name) AS via
MATCH (x:Entity {id: ids[1]})
MATCH (m)-[r:MEMBER_OF]->(x)
RETURN m.name AS name, m.id AS id, m.kind AS kind, via, r.since AS since, r.until AS until,
       r.status AS status, r.sources AS sources
ORDER BY size(via), name
