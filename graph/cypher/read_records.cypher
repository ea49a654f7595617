// Every entity declaration in the store: the loader resolves names against these.
MATCH (r:EntityRecord)
RETURN r.doc AS doc, r.entity_id AS entity_id, r.kind AS kind, r.name AS name,
       r.aliases AS aliases, r.description AS description, r.defines AS defines
