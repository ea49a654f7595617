// name: affiliations
// description: The chain upward from an entity through member_of and part_of (one row per umbrella or state reached).
// param: id entity  Id of the group or umbrella
// param: as_of date  Only relations valid on this YYYY-MM-DD date (default null)
// param: support list  Relations that count: 'asserted'; add 'announced' or 'denied' to follow those too (default ['asserted'])
// example:
// :param id => 'kataib-hezbollah'
// :param as_of => null
// :param support => ['asserted']
//
// Each umbrella or state reached by its shortest chain, at most eight steps; of equally short chains, the
// one whose ids come first, then the one whose relations do (member_of before part_of). The row shows the
// link that reaches it and, as via, the entities in between.
MATCH (e:Entity {id: $id})
MATCH chain = ALL SHORTEST (e)-[r:MEMBER_OF|PART_OF WHERE r.support IN $support
                                  AND ($as_of IS NULL OR r.valid_from <= $as_of < r.valid_to)]->{1,8}(a:Entity)
WHERE a <> e
WITH a, chain
ORDER BY reduce(ids = '', n IN nodes(chain) | ids + n.id + '|'), [r IN relationships(chain) | r.relation]
WITH a, head(collect(chain)) AS chain
WITH a, chain, last(relationships(chain)) AS r
RETURN a.name AS name, a.id AS id, a.kind AS kind, length(chain) AS depth, r.relation AS relation,
       [n IN nodes(chain)[1..-1] | n.name] AS via, r.since AS since, r.until AS until, r.status AS status,
       r.sources AS sources, r.contested AS contested, r.denied_by AS denied_by
ORDER BY depth, name, id
