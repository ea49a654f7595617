// The current hash of the given edges of one type (to count and skip unchanged ones).
UNWIND $rows AS row
MATCH (a:Entity {id: row.s})
MATCH (b:Entity {id: row.o})
MATCH (a)-[r:{{TYPE}}]->(b)
RETURN r.key AS key, r.hash AS hash
