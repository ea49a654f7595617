// name: timeline
// description: Every dated claim about an entity (as subject or object), in date order.
// param: id entity  Id of the entity
// example:
// :param id => 'pro-iranian-militias-iraq'
OPTIONAL MATCH (c1:Claim {subject_id: $id})
WITH collect(c1) AS as_subject
OPTIONAL MATCH (c2:Claim {object_id: $id})
WITH as_subject, collect(c2) AS as_object
UNWIND as_subject + as_object AS c
WITH DISTINCT c
UNWIND [['on', c.on, c.on_lo], ['since', c.since, c.since_lo], ['until', c.until, c.until_lo]] AS d
WITH c, d
WHERE d[1] IS NOT NULL
MATCH (s:Entity {id: c.subject_id})
MATCH (o:Entity {id: c.object_id})
RETURN d[1] AS date, d[0] AS what, s.name AS subject, c.relation AS relation, o.name AS object,
       c.status AS status, c.source_id AS source
ORDER BY d[2], what, subject, relation, object, source
