// One node per loaded file: its id, path and content hash, written last.
UNWIND $rows AS row
MERGE (d:Document {id: row.id})
SET d += row.props
