"""A first load into an empty store may build the claims' indexes after its claims (FalkorDB); every load
ends with every index of the schema, and a load that stopped before building them leaves them to the next."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from agkg.graph.store import GraphStore
from agkg.loaders.ingest import ingest, prepare_schema
from agkg.loaders.runs import run_ingest
from tests.conftest import DATA

# Each engine's own listing (FalkorDB's procedure is not Neo4j Cypher, so not for the Cypher linter).
INDEXES = {
    "falkordb": "CALL db.indexes() YIELD label, properties RETURN [label] AS labels, properties",
    "neo4j": "SHOW INDEXES YIELD labelsOrTypes AS labels, properties WHERE labels IS NOT NULL "
    "RETURN labels, properties",
}


def _indexes(store: GraphStore) -> set[tuple[str, tuple[str, ...]]]:
    """(label, properties) of every index."""
    return {(r["labels"][0], tuple(sorted(r["properties"]))) for r in store.read(INDEXES[store.backend])}


def test_a_first_load_ends_with_every_index_of_the_schema(store: GraphStore) -> None:
    run_ingest(store, [DATA])
    after_load = _indexes(store)
    store.apply_schema()
    assert _indexes(store) == after_load
    assert any(label == "Claim" for label, _ in after_load)


def test_only_an_empty_store_leaves_the_claims_indexes_for_after_the_load(store: GraphStore) -> None:
    deferred = prepare_schema(store)
    assert deferred is (store.backend == "falkordb"), "Neo4j keeps every index up to date as it writes"
    if deferred:
        assert not any(label == "Claim" for label, _ in _indexes(store))
    # As if the load stopped before building them: the next run, finding claims, applies the whole schema.
    ingest(store, [DATA], schema=False)
    assert prepare_schema(store) is False
    store.await_indexes()  # a store with claims is not waited for until a run has something to write
    complete = _indexes(store)
    assert any(label == "Claim" for label, _ in complete)
    store.apply_schema()
    assert _indexes(store) == complete


class _Waits:
    """A real store that counts the runs' waits for indexes being built."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store
        self.waits = 0

    def await_indexes(self) -> None:
        self.waits += 1
        self._store.await_indexes()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def test_a_run_waits_for_indexes_being_built_only_when_it_has_a_file_to_load(
    store: GraphStore, data_copy: Path
) -> None:
    """After a start of the embedded store its claims' indexes are built in the background (graph/embedded.py):
    a run that finds nothing changed reads no claim, so it does not wait for them; a run with a file to load does."""
    run_ingest(store, [data_copy])
    unchanged = _Waits(store)
    assert run_ingest(unchanged, [data_copy]).summary.loaded == 0
    assert unchanged.waits == 0
    article = next(p for p in sorted(data_copy.glob("*.yaml")) if "status: planned" in p.read_text("utf-8"))
    article.write_text(article.read_text("utf-8").replace("status: planned", "status: claimed", 1), "utf-8")
    changed = _Waits(store)
    assert run_ingest(changed, [data_copy]).summary.loaded == 1
    assert changed.waits == 1
