// A run is about to write edges and entities before the claims behind them (loaders/ingest.py): until its
// documents are written, a later run must not trust that an edge without stored claims is absent.
UNWIND $rows AS row
MERGE (c:Catalog {id: 'documents'})
SET c.unfinished = true
