UNWIND $rows AS id
MATCH (r:EntityRecord {id: id})
DELETE r
