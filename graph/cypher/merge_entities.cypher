UNWIND $rows AS row
MERGE (e:Entity {id: row.id})
SET e:{{LABEL}}, e += row.props
