MATCH (l:Lock {id: $name})
RETURN l.holder AS holder, l.host AS host, l.pid AS pid, l.since AS since, l.expires AS expires
