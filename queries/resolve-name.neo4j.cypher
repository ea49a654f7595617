// name: resolve-name
// description: Neo4j variant of resolve-name.cypher: the same text with a hint that makes the index seek certain.
//
// Without the hint, Neo4j plans from its sampled index statistics, and right after a load into a new index
// (statistics of an empty index) it prefers scanning the whole index and filtering on the key. The hint
// fixes the NodeIndexSeek on entity_key_key whatever the statistics say.
MATCH (k:EntityKey {key: $key})-[:NAMES]->(e:Entity)
USING INDEX SEEK k:EntityKey(key)
RETURN e.id AS id, e.kind AS kind, e.name AS name, e.aliases AS aliases
ORDER BY id
