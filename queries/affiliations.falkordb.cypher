// name: affiliations
// description: FalkorDB text of affiliations.cypher: the same rows, as a breadth-first search written per level.
//
// Why: FalkorDB variant of affiliations.cypher (no quantified path patterns or SHORTEST there): a breadth-first
// search written out level by level (the `for` block is repeated for N = 1..8, see queries/templates.py).
// Each row is an entity reached so far: n, sk (its depth, then the ids along its chain, '|'-separated),
// the relationship that reached it (rel, its name first: member_of is preferred where both join the same
// two) and chain (the names along it). Each level extends the rows of the last one by one relationship, and
// an entity keeps its entry of smallest [sk, relation name]: its shallowest chain and, of those, the one of
// the smallest ids (keys of equal depth never prefix one another, so extending the smallest key gives the
// smallest key).
MATCH (e:Entity {id: $id})
WITH e AS n, '0' + e.id + '|' AS sk, null AS rel, null AS r, [] AS chain
// for N in 1..8:
WITH n, sk, rel, r, chain, CASE WHEN sk STARTS WITH '{{N - 1}}' THEN n END AS x
OPTIONAL MATCH (x)-[mr:MEMBER_OF|PART_OF]->(m:Entity)
WHERE mr.support IN $support AND ($as_of IS NULL OR mr.valid_from <= $as_of < mr.valid_to)
WITH n, sk, rel, r, chain, collect(CASE WHEN m IS NULL THEN null
    ELSE [m, '{{N}}' + substring(sk, 1) + m.id + '|', mr.relation, mr, chain + [m.name]] END) AS next
UNWIND [[n, sk, rel, r, chain]] + next AS c
WITH c[0] AS n, min([c[1], c[2], c[3], c[4]]) AS best
WITH n, best[0] AS sk, best[1] AS rel, best[2] AS r, best[3] AS chain
// end for
WITH n AS a, sk, r, chain
WHERE NOT sk STARTS WITH '0'
RETURN a.name AS name, a.id AS id, a.kind AS kind, size(chain) AS depth, r.relation AS relation,
       chain[..-1] AS via, r.since AS since, r.until AS until, r.status AS status,
       r.sources AS sources, r.contested AS contested, r.denied_by AS denied_by
ORDER BY depth, name, id
