"""Canned Cypher queries, one `.cypher` file each, read from this package's folder.

Each file starts with a comment header an analyst can paste into Neo4j Browser
together with the query:

    // name: members
    // description: Members of an umbrella, through nested umbrellas unless direct.
    // param: umbrella entity  Id of the umbrella
    // param: direct boolean  Only direct members (default false)
    // example:
    // :param umbrella => 'popular-mobilization-units'
    // :param direct => false
    MATCH ...

Each parameter declares its type: `entity` (an entity id; the CLI and the API
also take a name or alias and resolve it), `string`, `date` (YYYY-MM-DD text),
`boolean`, `integer` or `list`. A parameter whose description ends in
`(default VALUE)` is optional; VALUE is a Cypher literal. Where a back end needs other text, `NAME.<backend>.cypher`
(backend = `GraphStore.backend`) sits beside `NAME.cypher` and replaces it on
that back end; its header is ignored, and it may repeat a step per level with
`// for N in 1..8:` … `// end for` (queries/templates.py).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agkg.errors import NotFound, UsageError
from agkg.queries.templates import expand

if TYPE_CHECKING:
    from agkg.graph.store import GraphStore, Row

BACKENDS = ("falkordb", "neo4j")
_COMMENT = re.compile(r"^\s*//.*$", re.MULTILINE)
_FIELD = re.compile(r"^//\s*(name|description|param|example):\s*(.*)$")
TYPES = ("entity", "string", "date", "boolean", "integer", "list")
_PARAM = re.compile(r"^(\w+)\s+(" + "|".join(TYPES) + r")\s+(.*)$")
_DEFAULT = re.compile(r"\(default\s+(.+)\)\s*$")
_EXAMPLE = re.compile(r"^//\s*:param\s+(\w+)\s*=>\s*(.+?)\s*;?\s*$")


@dataclass(frozen=True)
class Param:
    name: str
    type: str  # one of TYPES
    description: str
    required: bool = True
    default: Any = None


@dataclass(frozen=True)
class Query:
    name: str
    description: str
    params: tuple[Param, ...]
    example: dict[str, Any]
    text: str
    variants: dict[str, str] = field(default_factory=dict)

    def text_for(self, backend: str) -> str:
        """The text to send to `backend`: its variant file if there is one, else the common text."""
        return self.variants.get(backend, self.text)

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


class HeaderError(ValueError):
    """A query file's header is malformed (a bug in the repository, caught by tests)."""


# The package's own folder, read directly: importlib.resources costs a lookup's start-up a few ms more.
_DIR = Path(__file__).parent


@cache
def _file_names() -> frozenset[str]:
    return frozenset(name for name in os.listdir(_DIR) if name.endswith(".cypher"))


def _read(file_name: str) -> str:
    return (_DIR / file_name).read_text("utf-8")


def strip_comments(text: str) -> str:
    return _COMMENT.sub("", text).strip()


def parse(file_name: str, text: str) -> Query:
    """Parse a query file's header and body."""
    fields: dict[str, str] = {}
    params: list[Param] = []
    example: dict[str, Any] = {}
    in_example = False
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line.startswith("//"):
            break
        found = _EXAMPLE.match(line)
        if in_example and found:
            try:
                example[found[1]] = literal(found[2])
            except ValueError as exc:
                raise HeaderError(f"{file_name}:{number}: example value: {exc}") from None
            continue
        matched = _FIELD.match(line)
        if not matched:
            continue
        key, value = matched[1], matched[2].strip()
        if key == "param":
            declared = _PARAM.match(value)
            if not declared:
                raise HeaderError(
                    f"{file_name}:{number}: expected `// param: NAME TYPE  description`, TYPE one of {', '.join(TYPES)}"
                )
            description = declared[3].strip()
            default = _DEFAULT.search(description)
            try:
                value_default = literal(default[1]) if default else None
            except ValueError as exc:
                raise HeaderError(f"{file_name}:{number}: default: {exc}") from None
            params.append(Param(declared[1], declared[2], description, default is None, value_default))
        elif key == "example":
            in_example = True
        else:
            fields[key] = value
    for key in ("name", "description"):
        if not fields.get(key):
            raise HeaderError(f"{file_name}: header lacks `// {key}: …`")
    stem = file_name.removesuffix(".cypher")
    if fields["name"] != stem:
        raise HeaderError(f"{file_name}: header names the query '{fields['name']}', the file '{stem}'")
    body = strip_comments(text)
    if not body:
        raise HeaderError(f"{file_name}: no query text")
    return Query(fields["name"], fields["description"], tuple(params), example, body)


@cache
def _query(name: str) -> Query | None:
    """One canned query with its per-back-end variants, parsed on first use (a command runs one or two of
    them: parsing and expanding every file would cost each call ~10 ms)."""
    names = _file_names()
    if name.rpartition(".")[2] in BACKENDS or f"{name}.cypher" not in names:
        return None
    query = parse(f"{name}.cypher", _read(f"{name}.cypher"))
    for backend in BACKENDS:
        variant = f"{name}.{backend}.cypher"
        if variant in names:
            query.variants[backend] = strip_comments(expand(_read(variant)))
    return query


@cache
def catalogue() -> dict[str, Query]:
    """Every canned query by name, with its per-back-end variants attached."""
    queries: dict[str, Query] = {}
    for file_name in sorted(_file_names()):
        base, _, backend = file_name.removesuffix(".cypher").rpartition(".")
        if backend in BACKENDS:
            if f"{base}.cypher" not in _file_names():
                raise HeaderError(f"{file_name}: a variant of '{base}', but there is no {base}.cypher")
            continue
        found = _query(file_name.removesuffix(".cypher"))
        assert found is not None
        queries[found.name] = found
    return queries


def names() -> list[str]:
    return sorted(catalogue())


def get(name: str) -> Query:
    found = _query(name)
    if found is not None:
        return found
    from agkg.loaders.names import closest

    hint = closest(name, catalogue())
    suffix = f"; did you mean '{hint[0]}'?" if hint else "; `agkg query --list` shows them"
    raise NotFound(f"no canned query '{name}'{suffix}")


def bind(query: Query, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The parameters to send: the given ones, defaults for the rest; unknown or missing ones are refused."""
    given = dict(params or {})
    unknown = sorted(set(given) - {p.name for p in query.params})
    if unknown:
        known = ", ".join(p.name for p in query.params) or "none"
        raise UsageError(f"query '{query.name}' has no parameter {', '.join(unknown)} (it takes: {known})")
    missing = [p.name for p in query.params if p.required and p.name not in given]
    if missing:
        raise UsageError(f"query '{query.name}' needs parameter(s): {', '.join(missing)}")
    return {p.name: given.get(p.name, p.default) for p in query.params}


def run(store: GraphStore, name: str, params: Mapping[str, Any] | None = None, **more: Any) -> list[Row]:
    """Run canned query `name` read-only on `store` with parameters (defaults fill the rest)."""
    query = get(name)
    return store.read(query.text_for(store.backend), bind(query, {**(params or {}), **more}))


# --- Cypher literals, as written in `:param x => value` lines -----------------------------------------

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<str>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
    | (?P<num>-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)
    | (?P<word>[A-Za-z_]\w*)
    | (?P<punct>[\[\]{},:])
    )""",
    re.VERBOSE,
)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "\\": "\\", "'": "'", '"': '"'}


def _unquote(token: str) -> str:
    body = token[1:-1]
    out: list[str] = []
    i = 0
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            if nxt == "u" and i + 5 < len(body) + 1:
                out.append(chr(int(body[i + 2 : i + 6], 16)))
                i += 6
                continue
            out.append(_ESCAPES.get(nxt, "\\" + nxt))
            i += 2
            continue
        out.append(char)
        i += 1
    return "".join(out)


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position = 0
    text = text.rstrip()
    while position < len(text):
        found = _TOKEN.match(text, position)
        if not found or found.end() == position:
            raise ValueError(f"cannot read a Cypher literal at '{text[position:]}'")
        kind = found.lastgroup or ""
        tokens.append((kind, found[kind]))
        position = found.end()
    return tokens


def literal(text: str) -> Any:
    """A Cypher literal (string, number, boolean, null, list, map) as a Python value."""
    tokens = _tokens(text)
    value, rest = _value(tokens, 0)
    if rest != len(tokens):
        raise ValueError(f"unexpected text after the value in '{text}'")
    return value


def _value(tokens: list[tuple[str, str]], i: int) -> tuple[Any, int]:
    if i >= len(tokens):
        raise ValueError("a value is missing")
    kind, token = tokens[i]
    if kind == "str":
        return _unquote(token), i + 1
    if kind == "num":
        return (float(token) if any(c in token for c in ".eE") else int(token)), i + 1
    if kind == "word":
        words = {"true": True, "false": False, "null": None}
        if token.lower() not in words:
            raise ValueError(f"'{token}' is not a literal")
        return words[token.lower()], i + 1
    if token == "[":
        items: list[Any] = []
        i += 1
        while tokens[i][1] != "]":
            item, i = _value(tokens, i)
            items.append(item)
            if tokens[i][1] == ",":
                i += 1
        return items, i + 1
    if token == "{":
        mapping: dict[str, Any] = {}
        i += 1
        while tokens[i][1] != "}":
            key_kind, key = tokens[i]
            if tokens[i + 1][1] != ":":
                raise ValueError("expected ':' in a map")
            item, i = _value(tokens, i + 2)
            mapping[_unquote(key) if key_kind == "str" else key] = item
            if tokens[i][1] == ",":
                i += 1
        return mapping, i + 1
    raise ValueError(f"unexpected '{token}'")


def to_literal(value: Any) -> str:
    """A Python value as a Cypher literal (for `:param` lines shown to analysts)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(to_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {to_literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no Cypher literal for {type(value).__name__}")


def typed(param: Param, raw: str) -> Any:
    """A parameter value given as text (`--param KEY=VALUE`) as the type its query declares; `null` is null."""
    if raw.strip() == "null":
        return None
    if param.type in ("entity", "string", "date"):
        return raw
    try:
        value = literal(raw)
    except (ValueError, IndexError):
        value = raw
    expected = {"boolean": bool, "integer": int, "list": list}[param.type]
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        wanted = {"boolean": "true or false", "integer": "a whole number", "list": "a list such as ['a', 'b']"}
        raise UsageError(f"parameter {param.name}: '{raw}' is not {wanted[param.type]}")
    return value
