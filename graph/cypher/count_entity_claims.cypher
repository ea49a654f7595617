// Claims outside the given documents that still use each entity.
UNWIND $ids AS id
OPTIONAL MATCH (c:Claim {subject_id: id})
WHERE NOT c.doc IN $docs
WITH id, count(c) AS as_subject
OPTIONAL MATCH (d:Claim {object_id: id})
WHERE NOT d.doc IN $docs
WITH id, as_subject, count(d) AS as_object
RETURN id, as_subject + as_object AS uses
