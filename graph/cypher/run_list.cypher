MATCH (r:IngestRun)
RETURN properties(r) AS run
ORDER BY r.started DESC
LIMIT $limit
