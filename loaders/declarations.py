"""The stored entity declarations a run needs, read by index instead of all of them.

A run that loads a few files needs only the declarations of the entities those files name or declare, of the
documents they replace, and of every entity the plan touches. Resolving against that part gives the same
result as resolving against every declaration, because an entity's EntityKey nodes hold the normalised
names of all its declarations (its id, names and aliases; merge_entities.cypher): each name a file uses finds
every entity the whole set would match. A name that does not resolve needs the whole set after all (to
suggest the closest known names), so `read_all` is there for that.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from agkg.graph import reads
from agkg.graph.store import GraphStore
from agkg.loaders.names import normalise, slugify
from agkg.loaders.records import EntityRecord
from agkg.loaders.resolve import Candidate


def record(row: dict[str, Any]) -> EntityRecord:
    return EntityRecord(
        row["doc"],
        row["entity_id"],
        row["kind"],
        row["name"],
        tuple(row["aliases"] or ()),
        row["description"],
        bool(row["defines"]),
    )


def names_used(candidates: Iterable[Candidate]) -> tuple[set[str], set[str]]:
    """(normalised names the files declare or name in facts, ids their declarations would take)."""
    keys: set[str] = set()
    ids: set[str] = set()
    for cand in candidates:
        for spec in cand.facts.entities:
            texts = [spec.name, *spec.aliases, *([spec.id] if spec.id else [])]
            keys.update(normalise(t) for t in texts)
            ids.add(spec.id or slugify(spec.name))
        for fact in cand.facts.facts:
            keys.update(normalise(s) for s in fact.subjects())
            keys.add(normalise(fact.object))
    keys.discard("")
    ids.discard("")
    return keys, ids


class StoredDeclarations:
    """The declarations read so far, keyed by record id; grows as the plan learns what it touches."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store
        self._records: dict[str, EntityRecord] = {}
        self._entities: set[str] = set()  # entities whose every declaration has been read
        self.complete = False

    def records(self) -> list[EntityRecord]:
        return list(self._records.values())

    def read_all(self) -> None:
        if not self.complete:
            # In the store's order, as a run that reads them all sees them (the first declaration read names
            # an entity in messages).
            self._records = {}
            self._add(reads.entity_records(self._store))
            self.complete = True

    def read_for(self, candidates: list[Candidate], docs: Iterable[str]) -> None:
        """What resolving `candidates`, which replace the documents `docs`, reads."""
        if self.complete:
            return
        keys, ids = names_used(candidates)
        replaced = [record(r) for r in reads.records_of_documents(self._store, sorted(set(docs)))]
        named = reads.entities_named(self._store, sorted(keys)) if keys else set()
        self.read_entities(named | ids | {r.entity_id for r in replaced})
        for rec in replaced:
            self._records.setdefault(rec.id, rec)

    def read_entities(self, ids: Iterable[str]) -> None:
        """Every declaration of the entities `ids` (those not read yet)."""
        wanted = sorted(set(ids) - self._entities)
        if self.complete or not wanted:
            return
        self._add(reads.records_of_entities(self._store, wanted))
        self._entities.update(wanted)

    def _add(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            rec = record(row)
            self._records.setdefault(rec.id, rec)
