MATCH (l:Lock {id: $name})
WHERE l.holder = $holder
SET l.expires = $expires
RETURN l.holder AS holder
