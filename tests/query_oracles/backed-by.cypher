// name: backed-by
// description: Groups backed by a state, directly or as members of a backed umbrella (via), one row per group.
// param: state  Id of the state
// param: as_of  Only relations valid on this YYYY-MM-DD date (default null)
// example:
// :param state => 'iran'
// :param as_of => null
MATCH (s:Entity {id: $state})<-[b:BACKED_BY]-(x:Entity)
WHERE $as_of IS NULL
   OR ((b.since_lo IS NULL OR b.since_lo <= $as_of) AND (b.until_hi IS NULL OR b.until_hi > $as_of))
MATCH p = (g:Entity)-[:MEMBER_OF*0..6]->(x)
WHERE all(r IN relationships(p) WHERE $as_of IS NULL
      OR ((r.since_lo IS NULL OR r.since_lo <= $as_of) AND (r.until_hi IS NULL OR r.until_hi > $as_of)))
WITH g, b, p
ORDER BY length(p), reduce(key = '', n IN nodes(p) | key + n.id + '|')
WITH g, collect({via: [n IN nodes(p)[1..] | n.name], since: b.since, until: b.until, status: b.status,
                 sources: b.sources})[0] AS best
RETURN g.name AS group, g.id AS id, best.via AS via, best.since AS since, best.until AS until,
       best.status AS status, best.sources AS sources
ORDER BY size(via), group
