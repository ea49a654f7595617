"""What the loader reads from the store, one named function each (the Cypher is in graph/cypher/read_*.cypher).

Reads of many keys go in chunks, so that no query carries an unbounded parameter list.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from agkg.graph.cypher import cypher, for_type
from agkg.graph.store import GraphStore, Row, batches

READ_CHUNK = 5000


def _chunked(store: GraphStore, name: str, key: str, values: Sequence[Any]) -> list[Row]:
    rows: list[Row] = []
    for chunk in batches(values, READ_CHUNK):
        rows.extend(store.read(cypher(name), {key: list(chunk)}))
    return rows


def documents(store: GraphStore) -> list[Row]:
    """Every loaded document: id, path, content hash, source id, derivation."""
    return store.read(cypher("read_documents"))


def entity_records(store: GraphStore) -> list[Row]:
    """Every stored entity declaration."""
    return store.read(cypher("read_records"))


def claims_of_documents(store: GraphStore, docs: Sequence[str]) -> list[Row]:
    """The claims the documents `docs` loaded."""
    return _chunked(store, "read_doc_claims", "docs", docs)


def claims_behind_edges(store: GraphStore, keys: Sequence[str]) -> list[Row]:
    """Every claim behind the edges `keys`, from any document."""
    return _chunked(store, "read_claims_by_edge", "keys", keys)


def entity_hashes(store: GraphStore, ids: Sequence[str]) -> dict[str, str]:
    return {r["id"]: r["hash"] for r in _chunked(store, "read_entities", "ids", ids)}


def source_ids(store: GraphStore, ids: Sequence[str]) -> set[str]:
    """Which of `ids` are stored sources."""
    return {r["id"] for r in _chunked(store, "read_sources", "ids", ids)}


def entity_uses(store: GraphStore, ids: Sequence[str], docs: Sequence[str]) -> dict[str, int]:
    """How many claims of documents other than `docs` use each entity of `ids` (only those used)."""
    rows = store.read(cypher("count_entity_claims"), {"ids": list(ids), "docs": list(docs)})
    return {r["id"]: r["uses"] for r in rows if r["uses"]}


def edge_hashes(store: GraphStore, keys: Sequence[tuple[str, str, str]]) -> dict[str, str]:
    """Hashes of the stored edges among `keys` ((subject, relation, object)), by their stored key."""
    by_relation: dict[str, list[dict[str, str]]] = defaultdict(list)
    for s, relation, o in keys:
        by_relation[relation].append({"s": s, "o": o})
    found: dict[str, str] = {}
    for relation, rows in sorted(by_relation.items()):
        for chunk in batches(rows, READ_CHUNK):
            for row in store.read(for_type("read_edges", relation), {"rows": list(chunk)}):
                found[row["key"]] = row["hash"]
    return found


def records_of_documents(store: GraphStore, docs: Sequence[str]) -> list[Row]:
    """The entity declarations the documents `docs` made."""
    return _chunked(store, "read_records_of_docs", "docs", docs)


def records_of_entities(store: GraphStore, ids: Sequence[str]) -> list[Row]:
    """Every stored declaration of the entities `ids`, from any document."""
    return _chunked(store, "read_records_of_entities", "ids", ids)


def entities_named(store: GraphStore, keys: Sequence[str]) -> set[str]:
    """Ids of the entities that have one of the normalised names `keys` (index seeks, not a scan)."""
    return {r["id"] for r in _chunked(store, "read_named_entities", "keys", keys)}
