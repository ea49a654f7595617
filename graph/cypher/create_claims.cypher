// New claims (the planner has read the document's stored claims, so these ids do not exist yet),
// grouped by source so each source is looked up once per batch.
UNWIND $rows AS row
MATCH (s:Source {id: row.source_id})
WITH s, row
UNWIND row.claims AS claim
CREATE (c:Claim)-[:FROM_SOURCE]->(s)
SET c = claim.props, c.id = claim.id
