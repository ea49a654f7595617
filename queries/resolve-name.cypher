// name: resolve-name
// description: Entities one normalised name denotes (its id, name or an alias; lower case, no accents, apostrophes or hyphens).
// param: key  The normalised name
// example:
// :param key => 'kataib hizballah'
MATCH (e:Entity)
WHERE $key IN e.keys
RETURN e.id AS id, e.kind AS kind, e.name AS name, e.aliases AS aliases
ORDER BY id
