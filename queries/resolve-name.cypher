// name: resolve-name
// description: Entities one normalised name denotes (its id, name or an alias; lower case, no accents, apostrophes or hyphens).
// param: key string  The normalised name
// example:
// :param key => 'kataib hizballah'
//
// Each entity's normalised names are (:EntityKey {key})-[:NAMES]->(e) nodes: an index seek on both back ends.
MATCH (k:EntityKey {key: $key})-[:NAMES]->(e:Entity)
RETURN e.id AS id, e.kind AS kind, e.name AS name, e.aliases AS aliases
ORDER BY id
