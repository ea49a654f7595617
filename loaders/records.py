"""What one loaded file contributes to the graph: rows ready for the store."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields
from typing import Any, NamedTuple

import orjson


def stable_hash(*parts: Any, length: int = 16) -> str:
    """A short content hash, the same on every machine and in every run.

    The hashed bytes are `json.dumps(parts, ensure_ascii=False, sort_keys=True, separators=(",", ":"))` in
    UTF-8, which stored ids and hashes were made with; orjson writes the same bytes about six times faster
    (tests/test_records.py checks they agree). What orjson refuses (an integer beyond 64 bits, a lone
    surrogate) goes the slow way, which hashes it or raises as it always did.
    """
    try:
        blob = orjson.dumps(parts, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:
        blob = json.dumps(parts, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()[:length]


@dataclass(frozen=True)
class EntityRecord:
    """One document's declaration of one entity."""

    doc: str
    entity_id: str
    kind: str
    name: str
    aliases: tuple[str, ...]
    description: str | None
    defines: bool  # the declaration's own id (or slug) is the entity's id
    # The article's own wording for the entity: resolved in its file only, never part of the entity's names.
    local_aliases: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return f"{self.doc}|{self.entity_id}"

    def props(self) -> dict[str, Any]:
        return {
            "doc": self.doc,
            "entity_id": self.entity_id,
            "kind": self.kind,
            "name": self.name,
            "aliases": list(self.aliases),
            "description": self.description,
            "defines": self.defines,
            # None, not []: a property set to null is removed, so a record without local aliases has none.
            "local_aliases": list(self.local_aliases) or None,
        }


class EdgeKey(NamedTuple):
    """Which edge a claim is about: (subject, relation, object); a symmetric relation's ends in id order."""

    subject_id: str
    relation: str
    object_id: str

    def text(self) -> str:
        """The stored form (Claim.edge_key, the edge's `key`): ids and relation names never hold '|'."""
        return "|".join(self)

    @classmethod
    def parse(cls, text: str) -> EdgeKey:
        subject_id, relation, object_id = text.split("|")
        return cls(subject_id, relation, object_id)


@dataclass(frozen=True)
class Claim:
    """One fact of one source: the unit the graph's edges are derived from.

    Dates keep the precision the source gives (`since`) and get sortable bounds (`since_lo`/`since_hi`).
    """

    id: str
    doc: str
    source_id: str
    key: EdgeKey
    symmetric: bool
    status: str
    status_rank: int
    credibility: int | None
    quote: str | None
    note: str | None
    since: str | None = None
    since_lo: str | None = None
    since_hi: str | None = None
    until: str | None = None
    until_lo: str | None = None
    until_hi: str | None = None
    on: str | None = None
    on_lo: str | None = None
    on_hi: str | None = None

    @property
    def edge_key(self) -> str:
        # Not read from props(): the planner needs the keys before the props, whose hashing the writes wait for.
        return self.key.text()

    def props(self) -> dict[str, Any]:
        """The claim node's properties, with the hash of the rest (what a re-load compares).

        Computed once per claim (the planner and the writer both ask); each call gets its own copy."""
        return dict(self._props())

    def _props(self) -> dict[str, Any]:
        cached: dict[str, Any] | None = self.__dict__.get("_cached_props")
        if cached is None:
            cached = self._compute_props()
            object.__setattr__(self, "_cached_props", cached)  # a cache, not a field: equality and hash ignore it
        return cached

    def _compute_props(self) -> dict[str, Any]:
        props: dict[str, Any] = {
            "doc": self.doc,
            "source_id": self.source_id,
            "subject_id": self.key.subject_id,
            "relation": self.key.relation,
            "object_id": self.key.object_id,
            "edge_key": self.key.text(),
            **{name: getattr(self, name) for name in _CLAIM_FIELDS},
        }
        props["hash"] = stable_hash(props)
        return props


# The claim's own fields among its properties (the rest are derived from the key and the document).
_CLAIM_FIELDS = tuple(f.name for f in fields(Claim) if f.name not in ("id", "doc", "source_id", "key"))


@dataclass
class Document:
    """One valid file, resolved."""

    id: str
    path: str
    display: str
    sha256: str
    source: dict[str, Any] | None
    records: list[EntityRecord] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
