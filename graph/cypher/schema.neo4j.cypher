// Uniqueness constraints on every MERGE key (each brings its own index) and the
// lookup indexes the loader and the canned queries need. All idempotent.
CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT source_id IF NOT EXISTS FOR (n:Source) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT claim_id IF NOT EXISTS FOR (n:Claim) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT entity_record_id IF NOT EXISTS FOR (n:EntityRecord) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT document_id IF NOT EXISTS FOR (n:Document) REQUIRE n.id IS UNIQUE;
// Name resolution: one (:EntityKey {id, key})-[:NAMES]->(:Entity) per entity and normalised name
// (merge_entities.cypher); `MATCH (k:EntityKey {key: $key})` is a NodeIndexSeek on entity_key_key.
CREATE CONSTRAINT entity_key_id IF NOT EXISTS FOR (n:EntityKey) REQUIRE n.id IS UNIQUE;
CREATE INDEX entity_key_key IF NOT EXISTS FOR (n:EntityKey) ON (n.key);
CREATE INDEX entity_name IF NOT EXISTS FOR (n:Entity) ON (n.name);
CREATE INDEX claim_edge_key IF NOT EXISTS FOR (n:Claim) ON (n.edge_key);
CREATE INDEX claim_doc IF NOT EXISTS FOR (n:Claim) ON (n.doc);
CREATE INDEX claim_subject IF NOT EXISTS FOR (n:Claim) ON (n.subject_id);
CREATE INDEX claim_object IF NOT EXISTS FOR (n:Claim) ON (n.object_id);
CREATE INDEX entity_record_doc IF NOT EXISTS FOR (n:EntityRecord) ON (n.doc);
CREATE INDEX entity_record_entity IF NOT EXISTS FOR (n:EntityRecord) ON (n.entity_id);
CREATE INDEX document_path IF NOT EXISTS FOR (n:Document) ON (n.path)
;
CREATE CONSTRAINT lock_id IF NOT EXISTS FOR (n:Lock) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT ingest_run_id IF NOT EXISTS FOR (n:IngestRun) REQUIRE n.id IS UNIQUE;
CREATE INDEX ingest_run_started IF NOT EXISTS FOR (n:IngestRun) ON (n.started)
