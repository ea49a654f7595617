// The entities that have one of the given normalised names (their EntityKey nodes): an index seek per name.
UNWIND $keys AS key
MATCH (k:EntityKey {key: key})-[:NAMES]->(e:Entity)
RETURN DISTINCT e.id AS id
