UNWIND $rows AS id
MATCH (d:Document {id: id})
DELETE d
