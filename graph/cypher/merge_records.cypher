// One node per (document, entity) declaration; an entity's names are the union of these.
UNWIND $rows AS row
MERGE (r:EntityRecord {id: row.id})
SET r += row.props
