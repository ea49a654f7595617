// name: entities
// description: Every entity with its kind, name and aliases (name resolution and `agkg search` use it).
// example:
MATCH (e:Entity)
RETURN e.id AS id, e.kind AS kind, e.name AS name, e.aliases AS aliases
ORDER BY id
