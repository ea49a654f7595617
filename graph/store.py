"""The one interface every back end implements, and the function that opens one.

The store is created once at the edge (the CLI, a test fixture) and passed in;
nothing here connects at import time.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, Protocol

from agkg.errors import UsageError

Row = dict[str, Any]
BATCH_SIZE = 2000
NEO4J_SCHEMES = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")


# Which of the schema's statements (graph/cypher/__init__.py, schema_statements).
SchemaPart = Literal["all", "load", "lookups"]
# How long apply_schema waits for the indexes it created to be built.
INDEX_BUILD_TIMEOUT = 600


class GraphStore(Protocol):
    """Run parameterised Cypher against one graph."""

    backend: str  # "falkordb" or "neo4j": picks per-back-end query variants
    location: str  # for messages

    def read(self, query: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        """Run a read-only query (the database refuses writes) and return its rows."""

    def write(self, query: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        """Run one write query in its own transaction."""

    def prepare_write(self, query: str, params: Mapping[str, Any]) -> tuple[str, Mapping[str, Any] | None]:
        """`write`'s arguments in the form this store sends them (the query unchanged); `write(*prepared)` runs
        the same write.

        A store whose client encodes parameters itself, in the caller's thread, does it here, so that a writer
        thread can send one batch while the caller encodes the next (loaders/pipelined.py)."""

    def apply_schema(self, part: SchemaPart = "all", *, wait: bool = True) -> None:
        """Create the constraints and indexes the loader and queries rely on (idempotent), and (with `wait`)
        wait until they are built; `part` as graph.cypher.schema_statements chooses."""

    def await_indexes(self) -> None:
        """Wait until every index is built."""

    def close(self) -> None:
        """Release connections (and stop an embedded server nobody else uses)."""


# --- graph values in rows -------------------------------------------------------------------------------
#
# Both back ends hand out values in one shape, so that a query (and `agkg query`, `agkg cypher`) prints the
# same JSON whichever store it reads:
#
#   map           {"a": ..., "b": ...}                                              keys sorted
#   node          {"_labels": ["Entity", "Group"], "aliases": ..., "id": ..., ...}  labels sorted, then properties
#   relationship  {"_type": "MEMBER_OF", "since": ..., ...}                         its type, then properties
#   path          {"nodes": [node, ...], "relationships": [relationship, ...]}      in path order
#
# Properties and map keys are sorted by name (Cypher maps have no order, and Neo4j sends them in an order of
# its own); internal ids are left out (they differ from store to store); the `_` keys cannot clash with a
# property agkg writes. A row's columns keep the order of the RETURN clause.


def map_value(value: Mapping[str, Any], plain: Callable[[Any], Any]) -> Row:
    """A Cypher map as a plain dict, keys sorted."""
    return {k: plain(value[k]) for k in sorted(value)}


def node_value(labels: Iterable[str], properties: Mapping[str, Any], plain: Callable[[Any], Any]) -> Row:
    """A node as a plain dict: `_labels` (sorted), then its properties by name."""
    return {"_labels": sorted(labels), **map_value(properties, plain)}


def relationship_value(rel_type: str, properties: Mapping[str, Any], plain: Callable[[Any], Any]) -> Row:
    """A relationship as a plain dict: `_type`, then its properties by name."""
    return {"_type": rel_type, **map_value(properties, plain)}


def path_value(nodes: Iterable[Any], relationships: Iterable[Any], plain: Callable[[Any], Any]) -> Row:
    """A path as a plain dict of its nodes and relationships, in path order."""
    return {"nodes": [plain(n) for n in nodes], "relationships": [plain(r) for r in relationships]}


def batches(rows: Sequence[Any], size: int = BATCH_SIZE) -> Iterator[Sequence[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def write_rows(store: GraphStore, query: str, rows: Sequence[Any], *, size: int = BATCH_SIZE, **params: Any) -> None:
    """The one batched write helper: `query` starts with `UNWIND $rows AS row`."""
    for batch in batched_writes(query, rows, size=size, **params):
        store.write(*batch)


def batched_writes(
    query: str, rows: Sequence[Any], *, size: int = BATCH_SIZE, **params: Any
) -> Iterator[tuple[str, dict[str, Any]]]:
    """The statements `write_rows` runs: (query, parameters) per batch of `size` rows."""
    for chunk in batches(rows, size):
        yield query, {**params, "rows": list(chunk)}


def default_store_location() -> str:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(base) / "agkg")


def open_store(location: str | None = None, *, graph_name: str = "agkg") -> GraphStore:
    """Open the store named by `location`, `AGKG_STORE`, `NEO4J_URI`, or the default path."""
    where = location or os.environ.get("AGKG_STORE") or os.environ.get("NEO4J_URI") or default_store_location()
    if where.startswith(NEO4J_SCHEMES):
        from agkg.graph.neo4j_store import Neo4jStore

        # Neo4j has databases, not named graphs: graph_name applies to FalkorDB only.
        return Neo4jStore.connect(
            where,
            user=os.environ.get("NEO4J_USERNAME"),
            password=os.environ.get("NEO4J_PASSWORD"),
            database=os.environ.get("NEO4J_DATABASE"),
        )
    if where.startswith("falkordb://") or where.startswith("redis://"):
        from agkg.graph.falkor import FalkorStore

        return FalkorStore.connect_url(where, graph_name=graph_name)
    if "://" in where:
        raise UsageError(f"store '{where}': expected a directory, falkordb://host:port, or a bolt:// or neo4j:// URI")
    from agkg.graph.falkor import FalkorStore

    return FalkorStore.embedded(Path(where), graph_name=graph_name)
