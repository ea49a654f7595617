// Loaded documents that share an id or a file path with the files being loaded.
MATCH (d:Document)
WHERE d.id IN $ids OR d.path IN $paths
RETURN d.id AS id, d.path AS path, d.sha256 AS sha256, d.source_id AS source_id
