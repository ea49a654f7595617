// The claims' indexes: what lookups and re-runs find claims by. A load into a store without claims never
// reads them, and FalkorDB builds them in one go after its claims faster than it updates them claim by claim
// (loaders/ingest.py, prepare_schema), so such a load creates them last. Same form as schema.falkordb.cypher.
CREATE INDEX FOR (n:Claim) ON (n.id);
CREATE INDEX FOR (n:Claim) ON (n.edge_key);
CREATE INDEX FOR (n:Claim) ON (n.doc);
CREATE INDEX FOR (n:Claim) ON (n.subject_id);
CREATE INDEX FOR (n:Claim) ON (n.object_id)
