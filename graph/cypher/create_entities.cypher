// New entities (the planner looked their ids up and found none) with their names: a CREATE, with nothing
// to match or clear, is several times cheaper than merge_entities. Null properties are left out.
UNWIND $rows AS row
CREATE (e:Entity:{{LABEL}})
SET e = row.props, e.id = row.id
WITH e, row
UNWIND row.props.keys AS key
CREATE (:EntityKey {id: row.id + '|' + key, key: key})-[:NAMES]->(e)
