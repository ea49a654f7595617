// name: backed-by
// description: Groups backed by a state, directly or as members of a backed umbrella (via), one row per group.
// param: state entity  Id of the state
// param: as_of date  Only relations valid on this YYYY-MM-DD date (default null)
// param: support list  Relations that count: 'asserted'; add 'announced' or 'denied' to follow those too (default ['asserted'])
// example:
// :param state => 'iran'
// :param as_of => null
// :param support => ['asserted']
//
// Each group's shortest chain to the state: its memberships (none, or up to six) to an umbrella the state
// backs; of equally short chains, the one whose ids come first. The row shows that backing relation and,
// as via, the umbrellas along the chain.
MATCH (s:Entity {id: $state})
MATCH chain = ALL SHORTEST (g:Entity)-[r:MEMBER_OF WHERE r.support IN $support
                                       AND ($as_of IS NULL OR r.valid_from <= $as_of < r.valid_to)]->{0,6}
                           (:Entity)-[b:BACKED_BY WHERE b.support IN $support
                                       AND ($as_of IS NULL OR b.valid_from <= $as_of < b.valid_to)]->(s)
WITH g, chain
ORDER BY reduce(ids = '', n IN nodes(chain) | ids + n.id + '|')
WITH g, head(collect(chain)) AS chain
WITH g, last(relationships(chain)) AS b, [n IN nodes(chain)[1..-1] | n.name] AS via
RETURN g.name AS group, g.id AS id, via, b.since AS since, b.until AS until, b.status AS status,
       b.sources AS sources, b.contested AS contested, b.denied_by AS denied_by
ORDER BY size(via), group, id
