// Every loaded document: its id, the file it came from and that file's content hash.
MATCH (d:Document)
RETURN d.id AS id, d.path AS path, d.sha256 AS sha256, d.source_id AS source_id
