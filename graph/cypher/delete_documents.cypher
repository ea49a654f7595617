// Documents no longer loaded; the same statement gives the documents' catalog a new version.
UNWIND $rows AS id
MATCH (d:Document {id: id})
DELETE d
WITH count(*) AS deleted
MERGE (c:Catalog {id: 'documents'})
SET c.version = $version, c.unfinished = null
