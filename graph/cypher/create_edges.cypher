// New edges (the planner looked their keys up and found none): a CREATE does not look for an existing one.
UNWIND $rows AS row
MATCH (a:Entity {id: row.s})
MATCH (b:Entity {id: row.o})
CREATE (a)-[r:{{TYPE}}]->(b)
SET r = row.props
