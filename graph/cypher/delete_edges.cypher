UNWIND $rows AS row
MATCH (a:Entity {id: row.s})-[r:{{TYPE}}]->(b:Entity {id: row.o})
DELETE r
