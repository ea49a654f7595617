// Every declaration, from any document, of the given entities.
UNWIND $ids AS id
MATCH (r:EntityRecord {entity_id: id})
RETURN r.doc AS doc, r.entity_id AS entity_id, r.kind AS kind, r.name AS name,
       r.aliases AS aliases, r.description AS description, r.defines AS defines
