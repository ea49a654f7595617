// name: backed-by
// description: Groups backed by a state, directly or as members of a backed umbrella (via), one row per group.
// param: state  Id of the state
// param: as_of  Only relations valid on this YYYY-MM-DD date (default null)
// param: support  Relations that count (default ['asserted'])
// example:
// :param state => 'iran'
// :param as_of => null
// :param support => ['asserted']
//
// Every backing that counts, and every chain of up to six memberships that count leading to the backed
// entity; per group, the shortest chain, then the one of the smallest ids.
MATCH (s:Entity {id: $state})<-[b:BACKED_BY]-(x:Entity)
WHERE b.support IN $support AND ($as_of IS NULL OR (b.valid_from <= $as_of AND $as_of < b.valid_to))
MATCH p = (g:Entity)-[:MEMBER_OF*0..6]->(x)
WHERE all(r IN relationships(p) WHERE r.support IN $support
          AND ($as_of IS NULL OR (r.valid_from <= $as_of AND $as_of < r.valid_to)))
WITH g, b, p
ORDER BY length(p), reduce(key = '', n IN nodes(p) | key + n.id + '|')
WITH g, collect({via: [n IN nodes(p)[1..] | n.name], since: b.since, until: b.until, status: b.status,
                 sources: b.sources, contested: b.contested, denied_by: b.denied_by})[0] AS best
RETURN g.name AS group, g.id AS id, best.via AS via, best.since AS since, best.until AS until,
       best.status AS status, best.sources AS sources, best.contested AS contested, best.denied_by AS denied_by
ORDER BY size(via), group, id
