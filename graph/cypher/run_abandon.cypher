// Runs still marked running while we hold the lock died without finishing.
MATCH (r:IngestRun {status: 'running'})
WHERE r.id <> $id
SET r.status = 'abandoned'
