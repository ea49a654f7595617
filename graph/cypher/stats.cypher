// What the graph knows (entities by kind, relations by name, claims, sources), then its bookkeeping
// (loaded documents, entity declarations, name nodes, the run ledger, the ingest lock). Labelled matches
// only: every count is one label scan or one count from the store's statistics.
MATCH (e:Entity)
RETURN 'entities' AS what, e.kind AS name, count(*) AS count
UNION ALL
MATCH (:Entity)-[r]->(:Entity)
RETURN 'relations' AS what, r.relation AS name, count(*) AS count
UNION ALL
MATCH (c:Claim)
RETURN 'claims' AS what, 'claims' AS name, count(c) AS count
UNION ALL
MATCH (s:Source)
RETURN 'sources' AS what, 'sources' AS name, count(s) AS count
UNION ALL
MATCH (d:Document)
RETURN 'bookkeeping' AS what, 'documents' AS name, count(d) AS count
UNION ALL
MATCH (d:EntityRecord)
RETURN 'bookkeeping' AS what, 'entity_declarations' AS name, count(d) AS count
UNION ALL
MATCH (k:EntityKey)
RETURN 'bookkeeping' AS what, 'entity_names' AS name, count(k) AS count
UNION ALL
MATCH (r:IngestRun)
RETURN 'bookkeeping' AS what, 'runs' AS name, count(r) AS count
UNION ALL
MATCH (l:Lock)
RETURN 'bookkeeping' AS what, 'locks' AS name, count(l) AS count
