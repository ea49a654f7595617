// Indexes that make every MERGE and lookup of the loader and the queries an index seek.
// FalkorDB has no IF NOT EXISTS: "already indexed" answers are ignored by the store.
// The smallest labels first: the embedded store creates these again at a start in this order, in one
// transaction, and FalkorDB makes the second statement wait for the build the first started (graph/embedded.py).
CREATE INDEX FOR (n:Lock) ON (n.id);
CREATE INDEX FOR (n:IngestRun) ON (n.id);
CREATE INDEX FOR (n:IngestRun) ON (n.started);
CREATE INDEX FOR (n:Entity) ON (n.id);
CREATE INDEX FOR (n:Entity) ON (n.name);
// Name resolution (every lookup command): one (:EntityKey {id, key})-[:NAMES]->(:Entity) per entity and
// normalised name (merge_entities.cypher); `MATCH (k:EntityKey {key: $key})` is an index seek.
CREATE INDEX FOR (n:EntityKey) ON (n.id);
CREATE INDEX FOR (n:EntityKey) ON (n.key);
CREATE INDEX FOR (n:Source) ON (n.id);
CREATE INDEX FOR (n:EntityRecord) ON (n.id);
CREATE INDEX FOR (n:EntityRecord) ON (n.doc);
CREATE INDEX FOR (n:EntityRecord) ON (n.entity_id);
CREATE INDEX FOR (n:Document) ON (n.id);
CREATE INDEX FOR (n:Document) ON (n.path)
