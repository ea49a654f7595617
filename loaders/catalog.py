"""The store's loaded documents, kept on this host between runs so that a run need not read them all.

A run needs every loaded document (id, path, content hash) to tell which files changed, which moved and
which are gone; reading them from the store costs a row per file on every run, which grows with the corpus
while a one-file change should cost about one file. So the rows are cached, and the store says whether the
cache is still right: every statement that adds, changes or deletes Document nodes also sets the version of
the store's one `(:Catalog {id: 'documents'})` node to the writing run's own random token, in that same
statement (graph/cypher/merge_documents.cypher, delete_documents.cypher). A run reads that version (one
node); if it is the one this host's cache recorded, the cached rows are the store's rows, else they are read
from the store. A run that stops half-way has already set a version no cache holds; another host's or
another program's write sets one too. A store without a Catalog node (new, or loaded by an older agkg) is
read every time until its documents next change. Runs write documents under the store's ingest lock
(loaders/runs.py), so no other run writes between a run's read of the version and its own writes.

The cache lives beside the hash cache (loaders/changes.py): in an embedded store's directory, else under
$XDG_CACHE_HOME/agkg; AGKG_HASH_CACHE=0 turns both off. A cache that cannot be read or written is ignored.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import sys
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from agkg.graph import reads
from agkg.graph.cypher import cypher
from agkg.graph.store import GraphStore
from agkg.loaders.changes import cache_file, write_aside

# marshal, as the hash cache (loaders/changes.py): the Python version's format, hence in the header.
_FORMAT = f"agkg-documents 3 python {sys.version_info[0]}.{sys.version_info[1]}"
FIELDS = ("id", "path", "sha256", "source_id", "derivation")


def catalog_path(store: GraphStore) -> Path | None:
    """Where this host caches the documents of `store` (None: caching is off)."""
    # A FalkorDB server holds several named graphs, a Neo4j server several databases.
    graph = getattr(store, "graph_name", None) or getattr(store, "database", None) or ""
    key = hashlib.sha1(f"{store.location}\0{graph}".encode()).hexdigest()[:16]
    return cache_file(store.location, f"documents-{key}.marshal")


class DocumentCatalog:
    """Every loaded document of one store, read through this host's cache when the store's version allows.

    The cache is a base file of every row and a delta file of the rows changed since: a run that changes a
    few documents rewrites the small delta, not 10,000 rows (~6 ms); the base is rewritten when the delta
    outgrows a sixteenth of it.
    """

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.path = catalog_path(store)
        self._rows: dict[str, dict[str, Any]] = {}
        self._base: str | None = None  # the version of the base file on disk, if this run's rows came from it
        self._deleted: set[str] = set()  # the delta since that base
        self._merged: dict[str, dict[str, Any]] = {}
        # A run that writes edges before their claims did not end (see graph/cypher/mark_unfinished.cypher).
        self.unfinished = False

    def rows(self) -> list[dict[str, Any]]:
        """Every loaded document: id, path, sha256, source_id, derivation."""
        version = self._store_version()
        if version is None or not self._load(version):
            self._rows = {row["id"]: {k: row.get(k) for k in FIELDS} for row in reads.documents(self.store)}
            if version is not None:
                self._save(version)
        return list(self._rows.values())

    @staticmethod
    def new_version() -> str:
        """The token a run's writes of documents set (graph/cypher/merge_documents.cypher)."""
        return uuid.uuid4().hex

    def written(self, version: str, deleted: Iterable[str], merged: Iterable[dict[str, Any]]) -> None:
        """Record what the store holds after a run's writes of documents have all succeeded under `version`."""
        for doc in deleted:
            self._rows.pop(doc, None)
            self._merged.pop(doc, None)
            self._deleted.add(doc)
        for row in merged:
            self._rows[row["id"]] = self._merged[row["id"]] = {k: row.get(k) for k in FIELDS}
            self._deleted.discard(row["id"])
        if self._base is not None and len(self._deleted) + len(self._merged) <= max(64, len(self._rows) // 16):
            if self.path is not None:
                delta = (_FORMAT, self._base, version, sorted(self._deleted), list(self._merged.values()))
                write_aside(_delta_path(self.path), marshal.dumps(delta))
        else:
            self._save(version)

    def _store_version(self) -> str | None:
        rows = self.store.read(cypher("read_catalog"))
        self.unfinished = bool(rows and rows[0]["unfinished"])
        return str(rows[0]["version"]) if rows and rows[0]["version"] is not None else None

    def _load(self, version: str) -> bool:
        """Take the rows from the cache if it holds `version`."""
        if self.path is None:
            return False
        base = _read(self.path)
        if base is None or len(base) != 3 or not isinstance(base[2], list):
            return False
        _, base_version, rows = base
        deleted: list[str] = []
        merged: list[dict[str, Any]] = []
        if base_version != version:
            delta = _read(_delta_path(self.path))
            if delta is None or len(delta) != 5 or delta[1:3] != (base_version, version):
                return False
            deleted, merged = delta[3], delta[4]
        self._rows = {row["id"]: row for row in rows}
        for doc in deleted:
            self._rows.pop(doc, None)
        for row in merged:
            self._rows[row["id"]] = row
        self._base, self._deleted, self._merged = base_version, set(deleted), {r["id"]: r for r in merged}
        return True

    def _save(self, version: str) -> None:
        self._base, self._deleted, self._merged = version, set(), {}
        if self.path is None:
            return
        # The rows as plain dicts of FIELDS (as rows() and written() make them): marshal builds and
        # writes 10,000 of them in ~5 ms, where going through tuples cost ~25 ms a run.
        write_aside(self.path, marshal.dumps((_FORMAT, version, list(self._rows.values()))))
        with contextlib.suppress(OSError):
            _delta_path(self.path).unlink()


def _delta_path(path: Path) -> Path:
    return path.with_name(path.stem + ".delta" + path.suffix)


def _read(path: Path) -> tuple[Any, ...] | None:
    """A cache file's contents, None if it is missing, damaged or of another format."""
    try:
        data = marshal.loads(path.read_bytes())
    except (OSError, ValueError, TypeError, EOFError):
        return None
    return data if isinstance(data, tuple) and data and data[0] == _FORMAT else None
