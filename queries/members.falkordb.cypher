// name: members
// description: FalkorDB text of members.cypher: the same rows, as a breadth-first search written per level.
//
// Why: FalkorDB variant of members.cypher: FalkorDB has neither quantified path patterns nor SHORTEST, and
// enumerating the paths (`*1..8`) is exponential on a dense member_of graph, so this is a breadth-first
// search written out level by level (the `for` block below is repeated for N = 1..8, see
// queries/templates.py). Each row is an entity reached so far: n, sk (its depth, then the ids along its
// chain, '|'-separated), r (its membership on that chain) and via (the names of the umbrellas between it
// and the one asked about). Each level extends the rows of the last one by one relationship, and an
// entity keeps its entry of smallest sk: its shallowest chain and, of those, the one of the smallest ids
// (keys of equal depth never prefix one another, so extending the smallest key gives the smallest key;
// keys are unique, so min([sk, r, via]) is decided by sk). Only umbrellas have members, so the search
// walks umbrellas only and adds each umbrella's groups at the end.
MATCH (u:Entity {id: $umbrella})
WITH u, u AS n, '0' + u.id + '|' AS sk, null AS r, [] AS via
// for N in 1..8:
WITH u, n, sk, r, via, CASE WHEN sk STARTS WITH '{{N - 1}}' AND ({{N}} = 1 OR NOT $direct) THEN n END AS x
OPTIONAL MATCH (m:Umbrella)-[mr:MEMBER_OF]->(x)
WHERE mr.support IN $support AND ($as_of IS NULL OR mr.valid_from <= $as_of < mr.valid_to)
WITH u, n, sk, r, via, collect(CASE WHEN m IS NULL THEN null
    ELSE [m, '{{N}}' + m.id + '|' + substring(sk, 1), mr, CASE WHEN n = u THEN [] ELSE [n.name] + via END] END) AS next
UNWIND [[n, sk, r, via]] + next AS c
WITH u, c[0] AS n, min([c[1], c[2], c[3]]) AS best
WITH u, n, best[0] AS sk, best[1] AS r, best[2] AS via
// end for
// The groups in each umbrella reached, one level deeper (within the eight levels).
WITH u, n, sk, r, via, CASE WHEN NOT sk STARTS WITH '8' AND (NOT $direct OR n = u) THEN n END AS x
OPTIONAL MATCH (m:Group)-[mr:MEMBER_OF]->(x)
WHERE mr.support IN $support AND ($as_of IS NULL OR mr.valid_from <= $as_of < mr.valid_to)
WITH u, n, sk, r, via, collect(CASE WHEN m IS NULL THEN null
    ELSE [m, toString(toInteger(left(sk, 1)) + 1) + m.id + '|' + substring(sk, 1), mr,
          CASE WHEN n = u THEN [] ELSE [n.name] + via END] END) AS next
UNWIND [[n, sk, r, via]] + next AS c
WITH c[0] AS m, min([c[1], c[2], c[3]]) AS best
WITH m, best[0] AS sk, best[1] AS r, best[2] AS via
WHERE NOT sk STARTS WITH '0'
RETURN m.name AS name, m.id AS id, m.kind AS kind, via, r.since AS since, r.until AS until,
       r.status AS status, r.sources AS sources, r.contested AS contested, r.denied_by AS denied_by
ORDER BY size(via), name, id
