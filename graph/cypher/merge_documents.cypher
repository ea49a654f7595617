// One node per loaded file: its id, path and content hash, written last. The same statement gives the
// documents' catalog a new version, so a host's cached copy of the documents is known to be stale.
UNWIND $rows AS row
MERGE (d:Document {id: row.id})
SET d += row.props
WITH count(d) AS written
MERGE (c:Catalog {id: 'documents'})
SET c.version = $version, c.unfinished = null
