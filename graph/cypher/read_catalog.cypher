// The version of the store's set of loaded documents: every statement that changes a Document sets it anew.
// Example answer: {version: 'a41994c0f15f49c096597d1a017c46aa'}; no row before any document was written.
MATCH (c:Catalog {id: 'documents'})
RETURN c.version AS version
