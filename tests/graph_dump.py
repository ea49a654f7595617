"""A canonical dump of a graph (nodes, edges, properties), to compare two graphs for equality."""

from __future__ import annotations

import json
from typing import Any

from agkg.graph.store import GraphStore

_NODES = """
MATCH (n)
RETURN labels(n) AS labels, properties(n) AS props
"""
_EDGES = """
MATCH (a)-[r]->(b)
RETURN type(r) AS type, a.id AS a, b.id AS b, properties(r) AS props
"""


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _props(labels: list[str], props: dict[str, Any]) -> dict[str, Any]:
    # The documents' catalog version is a random token per write: two equal graphs differ in it by design.
    return {k: v for k, v in props.items() if k != "version"} if "Catalog" in labels else props


def dump(
    store: GraphStore, *, skip_labels: frozenset[str] = frozenset({"Document", "Catalog", "IngestRun", "Lock"})
) -> dict[str, list[str]]:
    nodes = [
        _key({"labels": sorted(r["labels"]), "props": _props(r["labels"], r["props"])})
        for r in store.read(_NODES)
        if not skip_labels & set(r["labels"])
    ]
    edges = [_key(r) for r in store.read(_EDGES)]
    return {"nodes": sorted(nodes), "edges": sorted(edges)}
