// The version of the store's set of loaded documents: every statement that changes a Document sets it anew.
MATCH (c:Catalog {id: 'documents'})
RETURN c.version AS version
