MATCH (l:Lock {id: $name})
WHERE l.holder = $holder
SET l.holder = null, l.host = null, l.pid = null, l.since = null, l.expires = null
