"""A first load into an empty store may build the claims' indexes after its claims (FalkorDB); every load
ends with every index of the schema, and a load that stopped before building them leaves them to the next."""

from __future__ import annotations

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
    complete = _indexes(store)
    assert any(label == "Claim" for label, _ in complete)
    store.apply_schema()
    assert _indexes(store) == complete
