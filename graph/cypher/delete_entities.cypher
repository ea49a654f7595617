// An entity goes with its names (merge_entities.cypher).
UNWIND $rows AS id
MATCH (e:Entity {id: id})
OPTIONAL MATCH (k:EntityKey)-[:NAMES]->(e)
WITH e, collect(k) AS names
FOREACH (k IN names | DETACH DELETE k)
DETACH DELETE e
