// Node counts by label and relationship counts by type.
MATCH (n)
UNWIND labels(n) AS label
RETURN 'label' AS what, label AS name, count(*) AS count
UNION ALL
MATCH ()-[r]->()
RETURN 'type' AS what, type(r) AS name, count(*) AS count
