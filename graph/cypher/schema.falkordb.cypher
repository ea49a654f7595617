// Indexes that make every MERGE and lookup of the loader and the queries an index seek.
// FalkorDB has no IF NOT EXISTS: "already indexed" answers are ignored by the store.
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
;
CREATE INDEX FOR (n:Lock) ON (n.id);
CREATE INDEX FOR (n:IngestRun) ON (n.id);
CREATE INDEX FOR (n:IngestRun) ON (n.started)
