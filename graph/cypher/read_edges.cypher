// The current properties of the given edges (to count what an ingest changes).
UNWIND $rows AS row
MATCH (a:Entity {id: row.s})-[r]->(b:Entity {id: row.o})
WHERE type(r) = row.type
RETURN r.key AS key, r.hash AS hash
