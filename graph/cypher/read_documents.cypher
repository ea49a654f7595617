// Every loaded document: its id, the file it came from, that file's content hash and the derivation it was loaded with.
MATCH (d:Document)
RETURN d.id AS id, d.path AS path, d.sha256 AS sha256, d.source_id AS source_id,
       d.derivation AS derivation
