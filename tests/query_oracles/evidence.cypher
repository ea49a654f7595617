// name: evidence
// description: The claims behind a subject's relations, with their sources and quotes (symmetric relations either way round).
// param: subject  Id of the subject
// param: relation  Relation name, e.g. 'member_of' (default null)
// param: object  Id of the object (default null)
// example:
// :param subject => 'kataib-hezbollah'
// :param relation => 'member_of'
// :param object => 'popular-mobilization-units'
//
// Every claim of the subject, and every claim naming it as the object of a relation whose edges are
// symmetric; whatever its status.
OPTIONAL MATCH (:Entity)-[e]->(:Entity)
WHERE e.symmetric
WITH collect(DISTINCT e.relation) AS symmetric
OPTIONAL MATCH (c1:Claim {subject_id: $subject})
WITH symmetric, collect(c1) AS as_subject
OPTIONAL MATCH (c2:Claim {object_id: $subject})
WHERE c2.relation IN symmetric
WITH as_subject, collect(c2) AS as_object
UNWIND as_subject + as_object AS c
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
