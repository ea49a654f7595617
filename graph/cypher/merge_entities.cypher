// An entity and its names. Each normalised name (row.props.keys: id, name and aliases) is a node
// (:EntityKey {id: '<entity id>|<key>', key})-[:NAMES]->(e), so that name resolution is an index seek on
// every back end (Neo4j's indexes do not serve `$key IN e.keys`). Names the entity no longer has lose
// their nodes. One statement: a run killed in between cannot leave an entity without its names.
UNWIND $rows AS row
MERGE (e:Entity {id: row.id})
SET e:{{LABEL}}, e += row.props
WITH e, coalesce(row.props.keys, []) AS keys
OPTIONAL MATCH (old:EntityKey)-[:NAMES]->(e)
WHERE NOT old.key IN keys
WITH e, keys, collect(old) AS gone
FOREACH (k IN gone | DETACH DELETE k)
WITH e, keys
UNWIND keys AS key
MERGE (k:EntityKey {id: e.id + '|' + key})
ON CREATE SET k.key = key
MERGE (k)-[:NAMES]->(e)
