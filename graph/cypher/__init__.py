"""Cypher used by the loader, kept in `.cypher` files beside this module.

Some statements are templates over a node label or relationship type; those
names come only from `schema.yaml` (checked to be plain identifiers there) and
never from input.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from agkg.graph.schema import load_schema
from agkg.graph.store import SchemaPart

_HEADER = re.compile(r"^\s*//.*$", re.MULTILINE)


@cache
def cypher(name: str) -> str:
    """The text of `<name>.cypher`, header comments removed."""
    text = resources.files(__name__).joinpath(f"{name}.cypher").read_text("utf-8")
    return _HEADER.sub("", text).strip()


def for_type(name: str, relation: str) -> str:
    """A template filled with the relationship type of `relation` (a schema relation name)."""
    return cypher(name).replace("{{TYPE}}", load_schema().relations[relation].type)


def for_label(name: str, kind: str) -> str:
    """A template filled with the node label of `kind` (a schema kind)."""
    return cypher(name).replace("{{LABEL}}", load_schema().label(kind))


def schema_statements(backend: str, part: SchemaPart = "all") -> list[str]:
    """The schema's statements for `backend` (`schema.<backend>.cypher`, then `schema.<backend>.lookups.cypher`
    if there is one): `load`, those a load into an empty store needs; `lookups`, the rest."""
    names = {"all": ("", ".lookups"), "load": ("",), "lookups": (".lookups",)}[part]
    statements: list[str] = []
    for suffix in names:
        name = f"schema.{backend}{suffix}"
        if suffix and not resources.files(__name__).joinpath(f"{name}.cypher").is_file():
            continue
        statements += [s.strip() for s in cypher(name).split(";") if s.strip()]
    return statements


def all_texts() -> dict[str, str]:
    """Every statement the loader can send, templates expanded for each schema entry (for linting)."""
    schema = load_schema()
    out: dict[str, str] = {}
    for entry in resources.files(__name__).iterdir():
        if not entry.name.endswith(".cypher"):
            continue
        stem = entry.name.removesuffix(".cypher")
        if stem.startswith("schema."):
            backend, _, lookups = stem.removeprefix("schema.").partition(".")
            for i, statement in enumerate(schema_statements(backend, "lookups" if lookups else "load")):
                out[f"{stem}[{i}]"] = statement
            continue
        text = cypher(stem)
        if "{{TYPE}}" in text:
            for rel in schema.relations:
                out[f"{stem}[{rel}]"] = for_type(stem, rel)
        elif "{{LABEL}}" in text:
            for kind in schema.kinds:
                out[f"{stem}[{kind}]"] = for_label(stem, kind)
        else:
            out[stem] = text
    return out
