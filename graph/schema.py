"""The graph schema, read from `schema.yaml` (data, not code)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

_TYPE = re.compile(r"^[A-Z][A-Z_]*$")
_LABEL = re.compile(r"^[A-Z][A-Za-z]*$")


@dataclass(frozen=True)
class Relation:
    name: str
    type: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    symmetric: bool
    event: bool
    description: str
    inverse: str  # the relation seen from the object's side (the profile's key for incoming ones)


# What a status says of a relation (schema.yaml) -> the support an edge with such claims has.
SUPPORT_OF = {"asserts": "asserted", "announces": "announced", "denies": "denied"}
# The classes in order: an edge shows the claims of the first class it has.
SUPPORTS = ("asserted", "announced", "denied")


@dataclass(frozen=True)
class Schema:
    kinds: dict[str, str]  # kind -> node label
    kind_descriptions: dict[str, str]
    relations: dict[str, Relation]
    statuses: tuple[str, ...]
    status_says: dict[str, str]  # status -> asserts | announces | denies

    def support(self, status: str) -> str:
        """The support class a claim of `status` gives its relation: asserted, announced or denied."""
        return SUPPORT_OF[self.status_says[status]]

    def label(self, kind: str) -> str:
        return self.kinds[kind]

    def relation_keys(self) -> list[str]:
        """Each relation's name, then its inverse (symmetric relations have one): the profile's lists."""
        keys: list[str] = []
        for relation in self.relations.values():
            keys += [k for k in (relation.name, relation.inverse) if k not in keys]
        return keys

    def status_rank(self, status: str) -> int:
        return self._ranks[status]

    @property
    def _ranks(self) -> dict[str, int]:
        # Asked once per claim and per edge of a load: a dict, kept on the (frozen) instance.
        ranks: dict[str, int] | None = self.__dict__.get("_rank_of")
        if ranks is None:
            ranks = {s: i for i, s in enumerate(self.statuses)}
            object.__setattr__(self, "_rank_of", ranks)
        return ranks


@cache
def load_schema() -> Schema:
    """The schema: graph/schema.yaml, or the file AGKG_SCHEMA names (a deployment's own relations)."""
    override = os.environ.get("AGKG_SCHEMA")
    path = Path(override) if override else Path(__file__).with_name("schema.yaml")  # importlib.resources: +5 ms
    raw = _parsed(path.read_text("utf-8"))
    kinds = {k: str(v["label"]) for k, v in raw["kinds"].items()}
    relations = {}
    for name, spec in raw["relations"].items():
        relation = Relation(
            name=name,
            type=str(spec["type"]),
            sources=tuple(spec["from"]),
            targets=tuple(spec["to"]),
            symmetric=bool(spec.get("symmetric", False)),
            event=bool(spec.get("event", False)),
            description=str(spec.get("description", "")),
            inverse=str(spec.get("inverse") or (name if spec.get("symmetric") else f"{name}_inverse")),
        )
        relations[name] = relation
    schema = Schema(
        kinds=kinds,
        kind_descriptions={k: str(v.get("description", "")) for k, v in raw["kinds"].items()},
        relations=relations,
        statuses=tuple(raw["statuses"]),
        status_says={str(k): str(v) for k, v in raw["statuses"].items()},
    )
    _check(schema)
    return schema


def _parsed(text: str) -> Any:
    """schema.yaml parsed. Every lookup reads the schema, and importing ruamel.yaml alone costs ~20 ms of its
    start-up: the parsed file is kept as JSON in the user's cache under the digest of its text (an edited file
    is parsed again); a cache that cannot be read or written is skipped."""
    cached = _cache_file(text)
    if cached is not None:
        with contextlib.suppress(OSError, ValueError):
            return json.loads(cached.read_text("utf-8"))
    from ruamel.yaml import YAML

    raw = YAML(typ="safe").load(text)
    if cached is not None:
        with contextlib.suppress(OSError, TypeError, ValueError):
            dumped = json.dumps(raw, ensure_ascii=False)
            if json.loads(dumped) == raw:  # only what JSON gives back unchanged (no dates, no number keys)
                cached.parent.mkdir(parents=True, exist_ok=True)
                partial = cached.with_name(f"{cached.name}.{os.getpid()}.tmp")
                partial.write_text(dumped, "utf-8")
                partial.replace(cached)
    return raw


def _cache_file(text: str) -> Path | None:
    try:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    except RuntimeError:  # no home directory
        return None
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
    return Path(base) / "agkg" / f"schema-{digest}.json"


def _check(schema: Schema) -> None:
    """Labels and types are spliced into Cypher templates, so they must be plain identifiers."""
    for status, says in schema.status_says.items():
        if says not in SUPPORT_OF:
            raise ValueError(f"schema.yaml: status {status} says {says!r}; expected one of {', '.join(SUPPORT_OF)}")
    for label in schema.kinds.values():
        if not _LABEL.match(label):
            raise ValueError(f"schema.yaml: label {label!r} is not a plain identifier")
    names = [k for rel in schema.relations.values() for k in {rel.name, rel.inverse}]
    clashing = sorted({k for k in names if names.count(k) > 1})
    if clashing:
        raise ValueError(f"schema.yaml: relation or inverse name used twice: {', '.join(clashing)}")
    for rel in schema.relations.values():
        if not _TYPE.match(rel.type):
            raise ValueError(f"schema.yaml: relationship type {rel.type!r} is not UPPER_SNAKE")
        for kind in (*rel.sources, *rel.targets):
            if kind not in schema.kinds:
                raise ValueError(f"schema.yaml: relation {rel.name} names unknown kind {kind!r}")
