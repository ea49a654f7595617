UNWIND $rows AS row
MATCH (a:Entity {id: row.s})
MATCH (b:Entity {id: row.o})
MERGE (a)-[r:{{TYPE}}]->(b)
SET r = row.props
