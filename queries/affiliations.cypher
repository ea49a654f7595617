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
// along its chain, '|'-separated), the relationship that reached it (rel, its name first: member_of is
// preferred where both join the same two) and chain (the names along it). Each level extends the rows of
// the last one by one relationship, and an entity keeps its entry of smallest [sk, relation name]: its
// shallowest chain and, of those, the one of the smallest ids (keys of equal depth never prefix one another,
// so extending the smallest key gives the smallest key).
MATCH (e:Entity {id: $id})
WITH e AS n, '0' + e.id + '|' AS sk, null AS rel, null AS r, [] AS chain
WITH n, sk, rel, r, chain, CASE WHEN sk STARTS WITH '0' THEN n END AS x
OPTIONAL MATCH (x)-[mr:MEMBER_OF|PART_OF]->(m:Entity)
WHERE $as_of IS NULL
   OR ((mr.since_lo IS NULL OR mr.since_lo <= $as_of) AND (mr.until_hi IS NULL OR mr.until_hi > $as_of))
WITH n, sk, rel, r, chain, collect(CASE WHEN m IS NULL THEN null
    ELSE [m, '1' + substring(sk, 1) + m.id + '|', mr.relation, mr, chain + [m.name]] END) AS next
UNWIND [[n, sk, rel, r, chain]] + next AS c
WITH c[0] AS n, min([c[1], c[2], c[3], c[4]]) AS best
WITH n, best[0] AS sk, best[1] AS rel, best[2] AS r, best[3] AS chain
WITH n, sk, rel, r, chain, CASE WHEN sk STARTS WITH '1' THEN n END AS x
OPTIONAL MATCH (x)-[mr:MEMBER_OF|PART_OF]->(m:Entity)
WHERE $as_of IS NULL
   OR ((mr.since_lo IS NULL OR mr.since_lo <= $as_of) AND (mr.until_hi IS NULL OR mr.until_hi > $as_of))
WITH n, sk, rel, r, chain, collect(CASE WHEN m IS NULL THEN null
    ELSE [m, '2' + substring(sk, 1) + m.id + '|', mr.relation, mr, chain + [m.name]] END) AS next
UNWIND [[n, sk, rel, r, chain]] + next AS c
WITH c[0] AS n, min([c[1], c[2], c[3], c[4]]) AS best
WITH n, best[0] AS sk, best[1] AS rel, best[2] AS r, best[3] AS chain
WITH n, sk, rel, r, chain, CASE WHEN sk STARTS WITH '2' THEN n END AS x
OPTIONAL MATCH (x)-[mr:MEMBER_OF|PART_OF]->(m:Entity)
WHERE $as_of IS NULL
   OR ((mr.since_lo IS NULL OR mr.since_lo <= $as_of) AND (mr.until_hi IS NULL OR mr.until_hi > $as_of))
WITH n, sk, rel, r, chain, collect(CASE WHEN m IS NULL THEN null
    ELSE [m, '3' + substring(sk, 1) + m.id + '|', mr.relation, mr, chain + [m.name]] END) AS next
UNWIND [[n, sk, rel, r, chain]] + next AS c
WITH c[0] AS n, min([c[1], c[2], c[3], c[4]]) AS best
WITH n, best[0] AS sk, best[1] AS rel, best[2] AS r, best[3] AS chain
WITH n, sk, rel, r, chain, CASE WHEN sk STARTS WITH '3' THEN n END AS x
OPTIONAL MATCH (x)-[mr:MEMBER_OF|PART_OF]->(m:Entity)
WHERE $as_of IS NULL
   OR ((mr.since_lo IS NULL OR mr.since_lo <= $as_of) AND (mr.until_hi IS NULL OR mr.until_hi > $as_of))
WITH n, sk, rel, r, chain, collect(CASE WHEN m IS NULL THEN null
    ELSE [m, '4' + substring(sk, 1) + m.id + '|', mr.relation, mr, chain + [m.name]] END) AS next
UNWIND [[n, sk, rel, r, chain]] + next AS c
WITH c[0] AS n, min([c[1], c[2], c[3], c[4]]) AS best
WITH n, best[0] AS sk, best[1] AS rel, best[2] AS r, best[3] AS chain
WITH n, sk, rel, r, chain, CASE WHEN sk STARTS WITH '4' THEN n END AS x
OPTIONAL MATCH (x)-[mr:MEMBER_OF|PART_OF]->(m:Entity)
WHERE $as_of IS NULL
   OR ((mr.since_lo IS NULL OR mr.since_lo <= $as_of) AND (mr.until_hi IS NULL OR mr.until_hi > $as_of))
WITH n, sk, rel, r, chain, collect(CASE WHEN m IS NULL THEN null
    ELSE [m, '5' + substring(sk, 1) + m.id + '|', mr.relation, mr, chain + [m.name]] END) AS next
UNWIND [[n, sk, rel, r, chain]] + next AS c
WITH c[0] AS n, min([c[1], c[2], c[3], c[4]]) AS best
WITH n, best[0] AS sk, best[1] AS rel, best[2] AS r, best[3] AS chain
WITH n, sk, rel, r, chain, CASE WHEN sk STARTS WITH '5' THEN n END AS x
OPTIONAL MATCH (x)-[mr:MEMBER_OF|PART_OF]->(m:Entity)
WHERE $as_of IS NULL
   OR ((mr.since_lo IS NULL OR mr.since_lo <= $as_of) AND (mr.until_hi IS NULL OR mr.until_hi > $as_of))
WITH n, sk, rel, r, chain, collect(CASE WHEN m IS NULL THEN null
    ELSE [m, '6' + substring(sk, 1) + m.id + '|', mr.relation, mr, chain + [m.name]] END) AS next
UNWIND [[n, sk, rel, r, chain]] + next AS c
WITH c[0] AS n, min([c[1], c[2], c[3], c[4]]) AS best
WITH n, best[0] AS sk, best[1] AS rel, best[2] AS r, best[3] AS chain
WITH n, sk, rel, r, chain, CASE WHEN sk STARTS WITH '6' THEN n END AS x
OPTIONAL MATCH (x)-[mr:MEMBER_OF|PART_OF]->(m:Entity)
WHERE $as_of IS NULL
   OR ((mr.since_lo IS NULL OR mr.since_lo <= $as_of) AND (mr.until_hi IS NULL OR mr.until_hi > $as_of))
WITH n, sk, rel, r, chain, collect(CASE WHEN m IS NULL THEN null
    ELSE [m, '7' + substring(sk, 1) + m.id + '|', mr.relation, mr, chain + [m.name]] END) AS next
UNWIND [[n, sk, rel, r, chain]] + next AS c
WITH c[0] AS n, min([c[1], c[2], c[3], c[4]]) AS best
WITH n, best[0] AS sk, best[1] AS rel, best[2] AS r, best[3] AS chain
WITH n, sk, rel, r, chain, CASE WHEN sk STARTS WITH '7' THEN n END AS x
OPTIONAL MATCH (x)-[mr:MEMBER_OF|PART_OF]->(m:Entity)
WHERE $as_of IS NULL
   OR ((mr.since_lo IS NULL OR mr.since_lo <= $as_of) AND (mr.until_hi IS NULL OR mr.until_hi > $as_of))
WITH n, sk, rel, r, chain, collect(CASE WHEN m IS NULL THEN null
    ELSE [m, '8' + substring(sk, 1) + m.id + '|', mr.relation, mr, chain + [m.name]] END) AS next
UNWIND [[n, sk, rel, r, chain]] + next AS c
WITH c[0] AS n, min([c[1], c[2], c[3], c[4]]) AS best
WITH n, best[0] AS sk, best[1] AS rel, best[2] AS r, best[3] AS chain
WITH n AS a, sk, r, chain
WHERE NOT sk STARTS WITH '0'
RETURN a.name AS name, a.id AS id, a.kind AS kind, size(chain) AS depth, r.relation AS relation,
       chain[..-1] AS via, r.since AS since, r.until AS until, r.status AS status
ORDER BY depth, name
