// The current state of the given entities (to count what an ingest changes). An entity whose name nodes
// do not match its names (a store loaded before they existed) reads as changed, so `ingest --full` writes them.
UNWIND $ids AS id
MATCH (e:Entity {id: id})
WITH e, size([(k:EntityKey)-[:NAMES]->(e) | k]) AS named
RETURN e.id AS id, CASE WHEN named = size(coalesce(e.keys, [])) THEN e.hash END AS hash, e.kind AS kind
