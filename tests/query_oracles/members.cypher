// name: members
// description: Members of an umbrella, through nested umbrellas unless direct (one row per member, its shortest chain).
// param: umbrella  Id of the umbrella
// param: direct  Only direct members (default false)
// param: as_of  Only memberships valid on this YYYY-MM-DD date (default null)
// param: support  Relations that count (default ['asserted'])
// example:
// :param umbrella => 'popular-mobilization-units'
// :param direct => false
// :param as_of => null
// :param support => ['asserted']
//
// Every chain of memberships of up to eight steps whose every link counts; per member, the shortest,
// then the one of the smallest ids.
MATCH (u:Entity {id: $umbrella})
MATCH p = (m:Entity)-[:MEMBER_OF*1..8]->(u)
WHERE m <> u
  AND (NOT $direct OR length(p) = 1)
  AND all(r IN relationships(p) WHERE r.support IN $support
          AND ($as_of IS NULL OR (r.valid_from <= $as_of AND $as_of < r.valid_to)))
WITH m, p
ORDER BY length(p), reduce(key = '', n IN nodes(p) | key + n.id + '|')
WITH m, collect(p)[0] AS p
WITH m, p, relationships(p)[0] AS r
RETURN m.name AS name, m.id AS id, m.kind AS kind, [n IN nodes(p)[1..-1] | n.name] AS via,
       r.since AS since, r.until AS until, r.status AS status, r.sources AS sources,
       r.contested AS contested, r.denied_by AS denied_by
ORDER BY size(via), name, id
