// name: affiliations
// description: The chain upward from an entity through member_of and part_of (one row per umbrella or state reached).
// param: id  Id of the group or umbrella
// param: as_of  Only relations valid on this YYYY-MM-DD date (default null)
// example:
// :param id => 'kataib-hezbollah'
// :param as_of => null
MATCH (e:Entity {id: $id})
MATCH p = (e)-[:MEMBER_OF|PART_OF*1..8]->(a:Entity)
WHERE a <> e
  AND all(r IN relationships(p) WHERE $as_of IS NULL
      OR ((r.since_lo IS NULL OR r.since_lo <= $as_of) AND (r.until_hi IS NULL OR r.until_hi > $as_of)))
WITH a, p
ORDER BY length(p), reduce(key = '', n IN nodes(p) | key + n.id + '|')
WITH a, collect(p)[0] AS p
WITH a, p, relationships(p)[-1] AS r
RETURN a.name AS name, a.id AS id, a.kind AS kind, length(p) AS depth, r.relation AS relation,
       [n IN nodes(p)[1..-1] | n.name] AS via, r.since AS since, r.until AS until, r.status AS status
ORDER BY depth, name
