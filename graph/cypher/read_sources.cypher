// Which of the given documents have a Source node.
UNWIND $ids AS id
MATCH (s:Source {id: id})
RETURN s.id AS id
