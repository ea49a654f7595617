// name: evidence
// description: The claims behind a subject's relations, with their sources and quotes (symmetric relations either way round).
// param: subject entity  Id of the subject
// param: relation string  Relation name, e.g. 'member_of' (default null)
// param: object entity  Id of the object (default null)
// example:
// :param subject => 'kataib-hezbollah'
// :param relation => 'member_of'
// :param object => 'popular-mobilization-units'
// Every claim, whatever its status (denials and announcements included), each with its own dates.
// With a relation and an object, the claims are read by their indexed edge key (a symmetric relation's
// key has the smaller id first, so the reverse key is looked up too), not picked from every claim of the
// subject; without them the keys are null and each lookup finds nothing at once.
OPTIONAL MATCH (c0:Claim {edge_key: $subject + '|' + $relation + '|' + $object})
WITH collect(c0) AS forward
OPTIONAL MATCH (c1:Claim {edge_key: $object + '|' + $relation + '|' + $subject})
WHERE c1.symmetric
WITH forward, collect(c1) AS backward
WITH forward + backward AS by_key
OPTIONAL MATCH (c1:Claim {subject_id: $subject})
WHERE $relation IS NULL OR $object IS NULL
WITH by_key, collect(c1) AS as_subject
OPTIONAL MATCH (c2:Claim {object_id: $subject})
WHERE ($relation IS NULL OR $object IS NULL) AND c2.symmetric
WITH by_key, as_subject, collect(c2) AS as_object
UNWIND by_key + as_subject + as_object AS c
WITH c, CASE WHEN c.subject_id = $subject THEN c.object_id ELSE c.subject_id END AS other
WHERE ($relation IS NULL OR c.relation = $relation) AND ($object IS NULL OR other = $object)
MATCH (c)-[:FROM_SOURCE]->(src:Source)
MATCH (s:Entity {id: c.subject_id})
MATCH (o:Entity {id: c.object_id})
RETURN s.name AS subject, c.relation AS relation, o.name AS object, src.title AS source,
       src.publisher AS publisher, src.published AS published, src.url AS url, c.quote AS quote,
       c.status AS status, c.credibility AS credibility, c.since AS since, c.until AS until, c.on AS on,
       c.note AS note
ORDER BY relation, object, c.status_rank, credibility, source, c.id
