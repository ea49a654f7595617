// name: affiliations
// description: The chain upward from an entity through member_of and part_of (one row per umbrella or state reached).
// param: id  Id of the group or umbrella
// param: as_of  Only relations valid on this YYYY-MM-DD date (default null)
// param: support  Relations that count (default ['asserted'])
// example:
// :param id => 'kataib-hezbollah'
// :param as_of => null
// :param support => ['asserted']
//
// Every chain of up to eight steps whose every link counts (its support is asked for and, on $as_of, it
// holds); per entity reached, the shortest, then the one of the smallest ids, then of the smallest relations.
MATCH (e:Entity {id: $id})
MATCH p = (e)-[:MEMBER_OF|PART_OF*1..8]->(a:Entity)
WHERE a <> e
  AND all(r IN relationships(p) WHERE r.support IN $support
          AND ($as_of IS NULL OR (r.valid_from <= $as_of AND $as_of < r.valid_to)))
WITH a, p
ORDER BY length(p), reduce(key = '', n IN nodes(p) | key + n.id + '|'),
         reduce(key = '', r IN relationships(p) | key + r.relation + '|')
WITH a, collect(p)[0] AS p
WITH a, p, relationships(p)[-1] AS r
RETURN a.name AS name, a.id AS id, a.kind AS kind, length(p) AS depth, r.relation AS relation,
       [n IN nodes(p)[1..-1] | n.name] AS via, r.since AS since, r.until AS until, r.status AS status,
       r.sources AS sources, r.contested AS contested, r.denied_by AS denied_by
ORDER BY depth, name, id
