"""Read a fact file (YAML or JSON) into plain data, locating problems by line and column.

Parsing uses the fast loaders; only when something is wrong is the file parsed
again with ruamel's round-trip loader, which knows where every key and value is.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agkg.errors import InputError, Problem
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError

MAX_FILE_BYTES = 20 * 1024 * 1024
SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}
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
            f"file is {size / 2**20:.1f} MiB, over the {MAX_FILE_BYTES // 2**20} MiB limit: "
            "split it (one file per article), or use the bulk loaders",
        )
    raw = path.read_bytes()
    sha = hashlib.sha256(raw).hexdigest()
    text = _decode(raw, shown)
    if not text.strip() or _only_comments(text):
        raise _fail(shown, 1, 1, "file is empty: expected a mapping with `source`, `entities` and `facts`")
    data = _load(text, fmt, shown)
    if not isinstance(data, dict):
        found = type(data).__name__ if data is not None else "nothing"
        raise _fail(
            shown, 1, 1, f"expected a mapping with `source`, `entities` and `facts` at the top level, found {found}"
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
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        byte = raw[exc.start]
        raise _fail(
            shown,
            line,
            column,
            f"invalid UTF-8 byte 0x{byte:02x}: expected UTF-8 text; re-save the file as UTF-8",
        ) from None


def _only_comments(text: str) -> bool:
    return all(not ln.strip() or ln.lstrip().startswith("#") or ln.strip() == "---" for ln in text.splitlines())


def _load(text: str, fmt: str, shown: str) -> Any:
    if fmt == "json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise _fail(shown, exc.lineno, exc.colno, f"invalid JSON: {exc.msg}") from None
    try:
        return YAML(typ="safe", pure=False).load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        raise _fail(shown, line, column, f"invalid YAML: {what}") from None
    except Exception as exc:  # ruamel raises a few unmarked errors (e.g. bad tags)
        raise _fail(shown, 1, 1, f"invalid YAML: {exc}") from None


def _fail(shown: str, line: int, column: int, message: str) -> InputError:
    return InputError([Problem(shown, line, column, message)])
