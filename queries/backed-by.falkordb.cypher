// name: backed-by
// description: FalkorDB text of backed-by.cypher: the same rows, as a breadth-first search written per level.
//
// Why: FalkorDB variant of backed-by.cypher (no quantified path patterns or SHORTEST there): a breadth-first
// search written out level by level (the `for` block is repeated for N = 1..6, see queries/templates.py).
// Each row is an entity reached so far: n, sk (its depth, then the ids along its chain, '|'-separated) and
// b (the backing edge of the chain's root). Each level extends the rows of the last one by one
// relationship, and an entity keeps its smallest sk: its shallowest chain and, of those, the one of the
// smallest ids (keys of equal depth never prefix one another, so extending the smallest key gives the
// smallest key; keys are unique, so min([sk, b]) is decided by sk). Only umbrellas have members, so the
// search walks umbrellas only and adds each umbrella's groups at the end; the names along each chain are
// read last.
CALL {
  MATCH (s:Entity {id: $state})<-[b:BACKED_BY]-(x:Entity)
  WHERE b.support IN $support AND ($as_of IS NULL OR b.valid_from <= $as_of < b.valid_to)
  WITH x, b WHERE NOT x:Umbrella
  RETURN x AS n, '0' + x.id + '|' AS sk, b
  UNION ALL
  MATCH (s:Entity {id: $state})<-[b:BACKED_BY]-(x:Umbrella)
  WHERE b.support IN $support AND ($as_of IS NULL OR b.valid_from <= $as_of < b.valid_to)
  WITH x AS n, '0' + x.id + '|' AS sk, b
// for N in 1..6:
  WITH n, sk, b, CASE WHEN sk STARTS WITH '{{N - 1}}' THEN n END AS x
  OPTIONAL MATCH (m:Umbrella)-[r:MEMBER_OF]->(x)
  WHERE r.support IN $support AND ($as_of IS NULL OR r.valid_from <= $as_of < r.valid_to)
  WITH n, sk, b, collect(CASE WHEN m IS NULL THEN null ELSE [m, '{{N}}' + m.id + '|' + substring(sk, 1), b] END) AS next
  UNWIND [[n, sk, b]] + next AS c
  WITH c[0] AS n, min([c[1], c[2]]) AS best
  WITH n, best[0] AS sk, best[1] AS b
// end for
  // The groups in each umbrella reached, one level deeper (within the six levels).
  WITH n, sk, b, CASE WHEN NOT sk STARTS WITH '6' THEN n END AS x
  OPTIONAL MATCH (m:Group)-[r:MEMBER_OF]->(x)
  WHERE r.support IN $support AND ($as_of IS NULL OR r.valid_from <= $as_of < r.valid_to)
  WITH n, sk, b, collect(CASE WHEN m IS NULL THEN null
                             ELSE [m, toString(toInteger(left(sk, 1)) + 1) + m.id + '|' + substring(sk, 1), b] END) AS next
  UNWIND [[n, sk, b]] + next AS c
  RETURN c[0] AS n, c[1] AS sk, c[2] AS b
}
WITH n AS g, min([sk, b]) AS best
WITH g, best[1] AS b, split(substring(best[0], 1), '|') AS ids
// ids: the group, the umbrellas in between, the backed root, ''.
UNWIND CASE WHEN size(ids) > 2 THEN range(1, size(ids) - 2) ELSE [null] END AS i
OPTIONAL MATCH (v:Entity {id: ids[i]})
WITH g, b, i, v
ORDER BY i
WITH g, b, collect(v.name) AS via
RETURN g.name AS group, g.id AS id, via, b.since AS since, b.until AS until, b.status AS status,
       b.sources AS sources, b.contested AS contested, b.denied_by AS denied_by
ORDER BY size(via), group, id
