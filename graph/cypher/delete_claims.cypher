UNWIND $rows AS id
MATCH (c:Claim {id: id})
DETACH DELETE c
