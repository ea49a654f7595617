// Claims arrive grouped by source, so each source is looked up once per batch.
UNWIND $rows AS row
MATCH (s:Source {id: row.source_id})
WITH s, row
UNWIND row.claims AS claim
MERGE (c:Claim {id: claim.id})
SET c += claim.props
MERGE (c)-[:FROM_SOURCE]->(s)
