// The claims of the documents being replaced.
UNWIND $docs AS doc
MATCH (c:Claim {doc: doc})
RETURN c.id AS id, c.edge_key AS edge_key, c.hash AS hash
