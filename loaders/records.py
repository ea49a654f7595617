"""What one loaded file contributes to the graph: rows ready for the store."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any


def stable_hash(*parts: Any, length: int = 16) -> str:
    """A short content hash, the same on every machine and in every run."""
    blob = json.dumps(parts, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:length]


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
        }


@dataclass(frozen=True)
class Claim:
    """One fact of one source: the unit the graph's edges are derived from."""

    id: str
    doc: str
    source_id: str
    subject_id: str
    relation: str
    object_id: str
    props: dict[str, Any]

    @property
    def edge_key(self) -> str:
        return f"{self.subject_id}|{self.relation}|{self.object_id}"


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
