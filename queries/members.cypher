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
// search written out level by level. Each row is an entity reached so far: n, sk (its depth, then the ids
// along its chain, '|'-separated), r (its membership on that chain) and via (the names of the umbrellas
// between it and the one asked about). Each level extends the rows of the last one by one relationship,
// and an entity keeps its entry of smallest sk: its shallowest chain and, of those, the one of the smallest
// ids (keys of equal depth never prefix one another, so extending the smallest key gives the smallest key;
// keys are unique, so min([sk, r, via]) is decided by sk). Only umbrellas have members, so the search walks
// umbrellas only and adds each umbrella's groups at the end.
MATCH (u:Entity {id: $umbrella})
WITH u, u AS n, '0' + u.id + '|' AS sk, null AS r, [] AS via
WITH u, n, sk, r, via, CASE WHEN sk STARTS WITH '0' THEN n END AS x
OPTIONAL MATCH (m:Umbrella)-[mr:MEMBER_OF]->(x)
WHERE $as_of IS NULL
   OR ((mr.since_lo IS NULL OR mr.since_lo <= $as_of) AND (mr.until_hi IS NULL OR mr.until_hi > $as_of))
WITH u, n, sk, r, via, collect(CASE WHEN m IS NULL THEN null
    ELSE [m, '1' + m.id + '|' + substring(sk, 1), mr, CASE WHEN n = u THEN [] ELSE [n.name] + via END] END) AS next
UNWIND [[n, sk, r, via]] + next AS c
WITH u, c[0] AS n, min([c[1], c[2], c[3]]) AS best
WITH u, n, best[0] AS sk, best[1] AS r, best[2] AS via
WITH u, n, sk, r, via, CASE WHEN sk STARTS WITH '1' AND NOT $direct THEN n END AS x
OPTIONAL MATCH (m:Umbrella)-[mr:MEMBER_OF]->(x)
WHERE $as_of IS NULL
   OR ((mr.since_lo IS NULL OR mr.since_lo <= $as_of) AND (mr.until_hi IS NULL OR mr.until_hi > $as_of))
WITH u, n, sk, r, via, collect(CASE WHEN m IS NULL THEN null
    ELSE [m, '2' + m.id + '|' + substring(sk, 1), mr, CASE WHEN n = u THEN [] ELSE [n.name] + via END] END) AS next
UNWIND [[n, sk, r, via]] + next AS c
WITH u, c[0] AS n, min([c[1], c[2], c[3]]) AS best
WITH u, n, best[0] AS sk, best[1] AS r, best[2] AS via
WITH u, n, sk, r, via, CASE WHEN sk STARTS WITH '2' AND NOT $direct THEN n END AS x
OPTIONAL MATCH (m:Umbrella)-[mr:MEMBER_OF]->(x)
WHERE $as_of IS NULL
   OR ((mr.since_lo IS NULL OR mr.since_lo <= $as_of) AND (mr.until_hi IS NULL OR mr.until_hi > $as_of))
WITH u, n, sk, r, via, collect(CASE WHEN m IS NULL THEN null
    ELSE [m, '3' + m.id + '|' + substring(sk, 1), mr, CASE WHEN n = u THEN [] ELSE [n.name] + via END] END) AS next
UNWIND [[n, sk, r, via]] + next AS c
WITH u, c[0] AS n, min([c[1], c[2], c[3]]) AS best
WITH u, n, best[0] AS sk, best[1] AS r, best[2] AS via
WITH u, n, sk, r, via, CASE WHEN sk STARTS WITH '3' AND NOT $direct THEN n END AS x
OPTIONAL MATCH (m:Umbrella)-[mr:MEMBER_OF]->(x)
WHERE $as_of IS NULL
   OR ((mr.since_lo IS NULL OR mr.since_lo <= $as_of) AND (mr.until_hi IS NULL OR mr.until_hi > $as_of))
WITH u, n, sk, r, via, collect(CASE WHEN m IS NULL THEN null
    ELSE [m, '4' + m.id + '|' + substring(sk, 1), mr, CASE WHEN n = u THEN [] ELSE [n.name] + via END] END) AS next
UNWIND [[n, sk, r, via]] + next AS c
WITH u, c[0] AS n, min([c[1], c[2], c[3]]) AS best
WITH u, n, best[0] AS sk, best[1] AS r, best[2] AS via
WITH u, n, sk, r, via, CASE WHEN sk STARTS WITH '4' AND NOT $direct THEN n END AS x
OPTIONAL MATCH (m:Umbrella)-[mr:MEMBER_OF]->(x)
WHERE $as_of IS NULL
   OR ((mr.since_lo IS NULL OR mr.since_lo <= $as_of) AND (mr.until_hi IS NULL OR mr.until_hi > $as_of))
WITH u, n, sk, r, via, collect(CASE WHEN m IS NULL THEN null
    ELSE [m, '5' + m.id + '|' + substring(sk, 1), mr, CASE WHEN n = u THEN [] ELSE [n.name] + via END] END) AS next
UNWIND [[n, sk, r, via]] + next AS c
WITH u, c[0] AS n, min([c[1], c[2], c[3]]) AS best
WITH u, n, best[0] AS sk, best[1] AS r, best[2] AS via
WITH u, n, sk, r, via, CASE WHEN sk STARTS WITH '5' AND NOT $direct THEN n END AS x
OPTIONAL MATCH (m:Umbrella)-[mr:MEMBER_OF]->(x)
WHERE $as_of IS NULL
   OR ((mr.since_lo IS NULL OR mr.since_lo <= $as_of) AND (mr.until_hi IS NULL OR mr.until_hi > $as_of))
WITH u, n, sk, r, via, collect(CASE WHEN m IS NULL THEN null
    ELSE [m, '6' + m.id + '|' + substring(sk, 1), mr, CASE WHEN n = u THEN [] ELSE [n.name] + via END] END) AS next
UNWIND [[n, sk, r, via]] + next AS c
WITH u, c[0] AS n, min([c[1], c[2], c[3]]) AS best
WITH u, n, best[0] AS sk, best[1] AS r, best[2] AS via
WITH u, n, sk, r, via, CASE WHEN sk STARTS WITH '6' AND NOT $direct THEN n END AS x
OPTIONAL MATCH (m:Umbrella)-[mr:MEMBER_OF]->(x)
WHERE $as_of IS NULL
   OR ((mr.since_lo IS NULL OR mr.since_lo <= $as_of) AND (mr.until_hi IS NULL OR mr.until_hi > $as_of))
WITH u, n, sk, r, via, collect(CASE WHEN m IS NULL THEN null
    ELSE [m, '7' + m.id + '|' + substring(sk, 1), mr, CASE WHEN n = u THEN [] ELSE [n.name] + via END] END) AS next
UNWIND [[n, sk, r, via]] + next AS c
WITH u, c[0] AS n, min([c[1], c[2], c[3]]) AS best
WITH u, n, best[0] AS sk, best[1] AS r, best[2] AS via
WITH u, n, sk, r, via, CASE WHEN sk STARTS WITH '7' AND NOT $direct THEN n END AS x
OPTIONAL MATCH (m:Umbrella)-[mr:MEMBER_OF]->(x)
WHERE $as_of IS NULL
   OR ((mr.since_lo IS NULL OR mr.since_lo <= $as_of) AND (mr.until_hi IS NULL OR mr.until_hi > $as_of))
WITH u, n, sk, r, via, collect(CASE WHEN m IS NULL THEN null
    ELSE [m, '8' + m.id + '|' + substring(sk, 1), mr, CASE WHEN n = u THEN [] ELSE [n.name] + via END] END) AS next
UNWIND [[n, sk, r, via]] + next AS c
WITH u, c[0] AS n, min([c[1], c[2], c[3]]) AS best
WITH u, n, best[0] AS sk, best[1] AS r, best[2] AS via
// The groups in each umbrella reached, one level deeper (within the eight levels).
WITH u, n, sk, r, via, CASE WHEN NOT sk STARTS WITH '8' AND (NOT $direct OR n = u) THEN n END AS x
OPTIONAL MATCH (m:Group)-[mr:MEMBER_OF]->(x)
WHERE $as_of IS NULL
   OR ((mr.since_lo IS NULL OR mr.since_lo <= $as_of) AND (mr.until_hi IS NULL OR mr.until_hi > $as_of))
WITH u, n, sk, r, via, collect(CASE WHEN m IS NULL THEN null
    ELSE [m, toString(toInteger(left(sk, 1)) + 1) + m.id + '|' + substring(sk, 1), mr,
          CASE WHEN n = u THEN [] ELSE [n.name] + via END] END) AS next
UNWIND [[n, sk, r, via]] + next AS c
WITH c[0] AS m, min([c[1], c[2], c[3]]) AS best
WITH m, best[0] AS sk, best[1] AS r, best[2] AS via
WHERE NOT sk STARTS WITH '0'
RETURN m.name AS name, m.id AS id, m.kind AS kind, via, r.since AS since, r.until AS until,
       r.status AS status, r.sources AS sources
ORDER BY size(via), name
