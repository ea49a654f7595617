// name: backed-by
// description: Groups backed by a state, directly or as members of a backed umbrella (via), one row per group.
// param: state  Id of the state
// param: as_of  Only relations valid on this YYYY-MM-DD date (default null)
// example:
// :param state => 'iran'
// :param as_of => null
//
// Enumerating the paths (`*1..6`) is exponential on a dense member_of graph, so this is a breadth-first
// search written out level by level. Each row is an entity reached so far: n and sk (its depth, then the
// ids along its chain, '|'-separated). Each level extends the rows of the last one by one relationship,
// and an entity keeps its smallest sk: its shallowest chain and, of those, the one of the smallest ids
// (keys of equal depth never prefix one another, so extending the smallest key gives the smallest key).
// Only umbrellas have members, so the search walks umbrellas only (a few hundred rows, not every group
// reached) and adds each umbrella's groups at the end; the names along each chain are read last.
CALL {
  MATCH (s:Entity {id: $state})<-[r:BACKED_BY]-(x:Entity)
  WHERE $as_of IS NULL
     OR ((r.since_lo IS NULL OR r.since_lo <= $as_of) AND (r.until_hi IS NULL OR r.until_hi > $as_of))
  WITH x WHERE NOT x:Umbrella
  RETURN x AS n, '0' + x.id + '|' AS sk
  UNION ALL
  MATCH (s:Entity {id: $state})<-[r:BACKED_BY]-(x:Umbrella)
  WHERE $as_of IS NULL
     OR ((r.since_lo IS NULL OR r.since_lo <= $as_of) AND (r.until_hi IS NULL OR r.until_hi > $as_of))
  WITH x AS n, '0' + x.id + '|' AS sk
  WITH n, sk, CASE WHEN sk STARTS WITH '0' THEN n END AS x
  OPTIONAL MATCH (m:Umbrella)-[r:MEMBER_OF]->(x)
  WHERE $as_of IS NULL
     OR ((r.since_lo IS NULL OR r.since_lo <= $as_of) AND (r.until_hi IS NULL OR r.until_hi > $as_of))
  WITH n, sk, collect(CASE WHEN m IS NULL THEN null ELSE [m, '1' + m.id + '|' + substring(sk, 1)] END) AS next
  UNWIND [[n, sk]] + next AS c
  WITH c[0] AS n, min(c[1]) AS sk
  WITH n, sk, CASE WHEN sk STARTS WITH '1' THEN n END AS x
  OPTIONAL MATCH (m:Umbrella)-[r:MEMBER_OF]->(x)
  WHERE $as_of IS NULL
     OR ((r.since_lo IS NULL OR r.since_lo <= $as_of) AND (r.until_hi IS NULL OR r.until_hi > $as_of))
  WITH n, sk, collect(CASE WHEN m IS NULL THEN null ELSE [m, '2' + m.id + '|' + substring(sk, 1)] END) AS next
  UNWIND [[n, sk]] + next AS c
  WITH c[0] AS n, min(c[1]) AS sk
  WITH n, sk, CASE WHEN sk STARTS WITH '2' THEN n END AS x
  OPTIONAL MATCH (m:Umbrella)-[r:MEMBER_OF]->(x)
  WHERE $as_of IS NULL
     OR ((r.since_lo IS NULL OR r.since_lo <= $as_of) AND (r.until_hi IS NULL OR r.until_hi > $as_of))
  WITH n, sk, collect(CASE WHEN m IS NULL THEN null ELSE [m, '3' + m.id + '|' + substring(sk, 1)] END) AS next
  UNWIND [[n, sk]] + next AS c
  WITH c[0] AS n, min(c[1]) AS sk
  WITH n, sk, CASE WHEN sk STARTS WITH '3' THEN n END AS x
  OPTIONAL MATCH (m:Umbrella)-[r:MEMBER_OF]->(x)
  WHERE $as_of IS NULL
     OR ((r.since_lo IS NULL OR r.since_lo <= $as_of) AND (r.until_hi IS NULL OR r.until_hi > $as_of))
  WITH n, sk, collect(CASE WHEN m IS NULL THEN null ELSE [m, '4' + m.id + '|' + substring(sk, 1)] END) AS next
  UNWIND [[n, sk]] + next AS c
  WITH c[0] AS n, min(c[1]) AS sk
  WITH n, sk, CASE WHEN sk STARTS WITH '4' THEN n END AS x
  OPTIONAL MATCH (m:Umbrella)-[r:MEMBER_OF]->(x)
  WHERE $as_of IS NULL
     OR ((r.since_lo IS NULL OR r.since_lo <= $as_of) AND (r.until_hi IS NULL OR r.until_hi > $as_of))
  WITH n, sk, collect(CASE WHEN m IS NULL THEN null ELSE [m, '5' + m.id + '|' + substring(sk, 1)] END) AS next
  UNWIND [[n, sk]] + next AS c
  WITH c[0] AS n, min(c[1]) AS sk
  WITH n, sk, CASE WHEN sk STARTS WITH '5' THEN n END AS x
  OPTIONAL MATCH (m:Umbrella)-[r:MEMBER_OF]->(x)
  WHERE $as_of IS NULL
     OR ((r.since_lo IS NULL OR r.since_lo <= $as_of) AND (r.until_hi IS NULL OR r.until_hi > $as_of))
  WITH n, sk, collect(CASE WHEN m IS NULL THEN null ELSE [m, '6' + m.id + '|' + substring(sk, 1)] END) AS next
  UNWIND [[n, sk]] + next AS c
  WITH c[0] AS n, min(c[1]) AS sk
  // The groups in each umbrella reached, one level deeper (within the six levels).
  WITH n, sk, CASE WHEN NOT sk STARTS WITH '6' THEN n END AS x
  OPTIONAL MATCH (m:Group)-[r:MEMBER_OF]->(x)
  WHERE $as_of IS NULL
     OR ((r.since_lo IS NULL OR r.since_lo <= $as_of) AND (r.until_hi IS NULL OR r.until_hi > $as_of))
  WITH n, sk, collect(CASE WHEN m IS NULL THEN null
                          ELSE [m, toString(toInteger(left(sk, 1)) + 1) + m.id + '|' + substring(sk, 1)] END) AS next
  UNWIND [[n, sk]] + next AS c
  RETURN c[0] AS n, c[1] AS sk
}
WITH n, min(sk) AS sk
WITH n AS g, split(substring(sk, 1), '|') AS ids
// ids: the group, the umbrellas in between, the backed root, ''.
UNWIND CASE WHEN size(ids) > 3 THEN range(1, size(ids) - 3) ELSE [null] END AS i
OPTIONAL MATCH (v:Entity {id: ids[i]})
WITH g, ids, i, v
ORDER BY i
WITH g, ids, collect(v.name) AS between
// Each chain's root (backed by the state) is looked up once, not once per group under it, and bound before
// its backing edge is read: from the root, not from the state's thousands.
WITH ids[size(ids) - 2] AS root, collect([g, between]) AS under
MATCH (x:Entity {id: root})
WITH x, under
MATCH (x)-[b:BACKED_BY]->(s:Entity)
WHERE s.id = $state
UNWIND under AS u
WITH u[0] AS g, u[1] + [x.name] AS via, x, b
RETURN g.name AS group, g.id AS id, CASE WHEN x = g THEN [] ELSE via END AS via, b.since AS since,
       b.until AS until, b.status AS status, b.sources AS sources
ORDER BY size(via), group
