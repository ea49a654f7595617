UNWIND $rows AS id
MATCH (e:Entity {id: id})
DETACH DELETE e
