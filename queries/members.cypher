// name: members
// description: Members of an umbrella, through nested umbrellas unless direct (one row per member, its shortest chain).
// param: umbrella entity  Id of the umbrella
// param: direct boolean  Only direct members (default false)
// param: as_of date  Only memberships valid on this YYYY-MM-DD date (default null)
// param: support list  Relations that count: 'asserted'; add 'announced' or 'denied' to follow those too (default ['asserted'])
// example:
// :param umbrella => 'popular-mobilization-units'
// :param direct => false
// :param as_of => null
// :param support => ['asserted']
//
// Each member's shortest chain of memberships up to the umbrella, at most eight deep; of equally short
// chains, the one whose ids come first. The row shows the member's own membership (the chain's first link)
// and, as via, the umbrellas in between.
MATCH (u:Entity {id: $umbrella})
MATCH chain = ALL SHORTEST (m:Entity)-[r:MEMBER_OF WHERE r.support IN $support
                                       AND ($as_of IS NULL OR r.valid_from <= $as_of < r.valid_to)]->{1,8}(u)
WHERE m <> u AND (NOT $direct OR length(chain) = 1)
WITH m, chain
ORDER BY reduce(ids = '', n IN nodes(chain) | ids + n.id + '|')
WITH m, head(collect(chain)) AS chain
WITH m, relationships(chain)[0] AS r, [n IN nodes(chain)[1..-1] | n.name] AS via
RETURN m.name AS name, m.id AS id, m.kind AS kind, via, r.since AS since, r.until AS until,
       r.status AS status, r.sources AS sources, r.contested AS contested, r.denied_by AS denied_by
ORDER BY size(via), name, id
