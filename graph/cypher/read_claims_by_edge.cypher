// Every claim behind the given edges, from any document: what an edge is derived from.
UNWIND $keys AS key
MATCH (c:Claim {edge_key: key})
RETURN c.id AS id, c.doc AS doc, c.edge_key AS edge_key, c.subject_id AS subject_id,
       c.relation AS relation, c.object_id AS object_id, c.source_id AS source_id,
       c.since AS since, c.since_lo AS since_lo, c.until AS until, c.until_hi AS until_hi,
       c.on AS on, c.on_lo AS on_lo, c.status AS status, c.credibility AS credibility
