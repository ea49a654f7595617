// The current state of the given entities (to count what an ingest changes).
UNWIND $ids AS id
MATCH (e:Entity {id: id})
RETURN e.id AS id, e.hash AS hash, e.kind AS kind
