// Take the ingest lease if it is free, expired, ours, or held by a dead process on this host.
// The first SET takes the node's write lock (Neo4j) before the holder is read, so two
// contenders cannot both see it free; FalkorDB runs write queries one at a time.
MERGE (l:Lock {id: $name})
SET l.touched_by = $holder
WITH l
WHERE l.holder IS NULL OR l.holder = $holder OR l.expires < $now OR l.holder IN $dead
SET l.holder = $holder, l.host = $host, l.pid = $pid, l.since = $since, l.expires = $expires
RETURN l.holder AS holder
