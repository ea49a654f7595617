// The entity declarations the given documents made (those a run replaces).
UNWIND $docs AS doc
MATCH (r:EntityRecord {doc: doc})
RETURN r.doc AS doc, r.entity_id AS entity_id, r.kind AS kind, r.name AS name,
       r.aliases AS aliases, r.description AS description, r.defines AS defines
