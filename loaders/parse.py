"""Read a fact file (YAML or JSON) into plain data, locating problems by line and column.

Parsing uses the fast loaders; only when something is wrong is the file parsed
again with ruamel's round-trip loader, which knows where every key and value is.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError

from agkg.errors import InputError, Problem
from agkg.loaders.formats import DOCUMENT_SUFFIXES

if TYPE_CHECKING:
    from agkg.loaders.yaml_native import NativeFirstYAML

MAX_FILE_BYTES = 20 * 1024 * 1024
SUFFIXES = DOCUMENT_SUFFIXES
Loc = Sequence[int | str]


@dataclass
class ParsedFile:
    path: Path
    display: str
    sha256: str
    text: str
    format: str
    data: Any
    _tree: Any = field(default=None, repr=False)

    def problem(self, loc: Loc, message: str, *, at_key: bool = False) -> Problem:
        line, column = self.locate(loc, at_key=at_key)
        return Problem(self.display, line, column, message)

    def locate(self, loc: Loc, *, at_key: bool = False) -> tuple[int, int]:
        """1-based line and column of the value (or key) at `loc`, or of its closest ancestor."""
        if self._tree is None:
            self._tree = YAML(typ="rt").load(self.text)
        node, pos = self._tree, (0, 0)
        for i, step in enumerate(loc):
            last = i == len(loc) - 1
            lc = getattr(node, "lc", None)
            if isinstance(node, dict) and step in node and lc is not None:
                child = node[step]
                scalar = not isinstance(child, dict | list)
                pos = lc.key(step) if (at_key and last) or not scalar else lc.value(step)
                node = child
            elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
                if lc is not None:
                    pos = lc.item(step)
                node = node[step]
            else:
                continue
        return pos[0] + 1, pos[1] + 1


def read_fact_file(path: Path, display: str | None = None) -> ParsedFile:
    shown = display or str(path)
    fmt = SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise _fail(shown, 1, 1, f"unsupported file type '{path.suffix}': expected .yaml, .yml or .json")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise _fail(
            shown,
            1,
            1,
            f"file is too large: {size:,} bytes, expected at most {MAX_FILE_BYTES:,} bytes "
            f"({MAX_FILE_BYTES // 2**20} MiB); split it into one file per article",
        )
    raw = path.read_bytes()
    sha = hashlib.sha256(raw).hexdigest()
    text = _decode(raw, shown)
    if not text.strip() or _only_comments(text):
        raise _fail(shown, 1, 1, "file is empty: expected a mapping with `source`, `entities` and `facts`")
    data = _load(text, fmt, shown)
    if not isinstance(data, dict):
        found = {list: "a list", str: "a single text value", type(None): "nothing"}.get(type(data), repr(data))
        raise _fail(
            shown,
            *_first_content(text),
            f"expected a mapping with `source`, `entities` and `facts` at the top level, found {found}",
        )
    return ParsedFile(path, shown, sha, text, fmt, data)


def _decode(raw: bytes, shown: str) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        # Columns count characters, like every other message; the bytes before the bad one are valid UTF-8.
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8")) + 1
        byte = raw[exc.start]
        guess = ""
        try:
            char = raw[exc.start : exc.start + 1].decode("cp1252")
            raw.decode("cp1252")
            guess = f" (the file looks like Windows-1252/Latin-1, where it is '{char}')"
        except UnicodeDecodeError:
            pass
        raise _fail(
            shown,
            line,
            column,
            f"invalid UTF-8 byte 0x{byte:02x}{guess}: expected UTF-8 text; re-save the file as UTF-8",
        ) from None


def _first_content(text: str) -> tuple[int, int]:
    """Line and column of the first character that is not blank or a comment."""
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.lstrip()
        if stripped and not stripped.startswith("#") and stripped != "---":
            return number, len(line) - len(stripped) + 1
    return 1, 1


def _only_comments(text: str) -> bool:
    return all(not ln.strip() or ln.lstrip().startswith("#") or ln.strip() == "---" for ln in text.splitlines())


def _load(text: str, fmt: str, shown: str) -> Any:
    if fmt == "json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise _json_problem(shown, text, exc) from None
    try:
        return _safe_yaml().load(text)
    except MarkedYAMLError as exc:
        raise _yaml_problem(shown, exc) from None
    except Exception as exc:  # ruamel raises a few unmarked errors (e.g. bad tags)
        raise _fail(shown, 1, 1, f"invalid YAML: {exc}") from None


_JSON_HINTS = {
    "Expecting property name enclosed in double quotes": "expected a key in double quotes",
    "Expecting value": "expected a value (text in double quotes, a number, a list or an object)",
    "Expecting ',' delimiter": "expected ',' between items",
    "Expecting ':' delimiter": "expected ':' after the key",
}


def _json_problem(shown: str, text: str, exc: json.JSONDecodeError) -> InputError:
    before = text[: exc.pos].rstrip()
    if before.endswith(",") and text[exc.pos : exc.pos + 1] in "}]":
        # Point at the comma itself: that is what has to go.
        comma = len(before) - 1
        line = text.count("\n", 0, comma) + 1
        column = comma - (text.rfind("\n", 0, comma) + 1) + 1
        closer = text[exc.pos]
        return _fail(shown, line, column, f"invalid JSON: trailing comma before '{closer}': remove the comma")
    return _fail(shown, exc.lineno, exc.colno, f"invalid JSON: {_JSON_HINTS.get(exc.msg, exc.msg)}")


_YAML_HINTS = {
    "found character '\\t' that cannot start any token": "indent with spaces, not tabs",
    "mapping values are not allowed here": "put text that contains ': ' in quotes",
}


def _yaml_problem(shown: str, exc: MarkedYAMLError) -> InputError:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = str(exc.problem or exc.context or "cannot be parsed")
    message = f"invalid YAML: {problem}"
    context = exc.context_mark
    if exc.context and exc.problem and context is not None and (context.line, context.column) != (line - 1, column - 1):
        what = str(exc.context).removeprefix("while ").replace("parsing", "in").replace("scanning", "in")
        what = what.replace("constructing", "in")
        message += f" ({what} that starts at line {context.line + 1}, column {context.column + 1})"
    hint = _YAML_HINTS.get(problem)
    if hint is None and "flow sequence" in str(exc.context):
        hint = "is a closing ']' missing?"
    if hint is None and "flow mapping" in str(exc.context):
        hint = "is a closing '}' missing?"
    return _fail(shown, line, column, f"{message}; {hint}" if hint else message)


@cache
def _safe_yaml() -> NativeFirstYAML:
    """One loader for every file: building a YAML instance costs as much as parsing a small file."""
    from agkg.loaders.yaml_native import NativeFirstYAML

    return NativeFirstYAML()


def _fail(shown: str, line: int, column: int, message: str) -> InputError:
    return InputError([Problem(shown, line, column, message)])
