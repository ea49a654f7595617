// One node per ingest run: the ledger `agkg runs` reads.
MERGE (r:IngestRun {id: $id})
SET r += $props
