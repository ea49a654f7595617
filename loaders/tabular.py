"""Bulk, machine-made input: CSV (one row per fact) and JSON Lines, for pipelines that produce facts in bulk.

Both become the same structure as a YAML fact file, so validation, resolution
and error messages are shared; locations point at the row's line and the
field's column. One file holds the facts of one source, given either in
`source_*` columns (CSV) / a `{"source": {...}}` line (JSON Lines), or in a
sidecar file beside it: `NAME.source.yaml` with `source:` (and optionally
`entities:`). Sidecars are never loaded on their own.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agkg.errors import InputError, Problem
from agkg.loaders.formats import SIDECAR_SUFFIXES, TABULAR_SUFFIXES
from agkg.loaders.parse import MAX_FILE_BYTES, Loc, ParsedFile, _decode, read_fact_file

FACT_COLUMNS = ("subject", "relation", "object", "since", "until", "on", "status", "credibility", "quote", "note")
SOURCE_FIELDS = ("id", "title", "publisher", "published", "url", "author", "reliability", "cites")


def is_sidecar(path: Path) -> bool:
    return path.name.lower().endswith(SIDECAR_SUFFIXES)


@dataclass
class TabularFile(ParsedFile):
    """A parsed CSV/JSON Lines file; `positions` maps (section, index[, field]) to (line, column)."""

    positions: dict[tuple[Any, ...], tuple[int, int]] = field(default_factory=dict)
    sidecar: ParsedFile | None = None

    def locate(self, loc: Loc, *, at_key: bool = False) -> tuple[int, int]:
        key = tuple(loc)
        if self.sidecar is not None and key[:1] == ("source",) and "source" in self.sidecar.data:
            return self.sidecar.locate(loc, at_key=at_key)
        while key:
            if key in self.positions:
                return self.positions[key]
            key = key[:-1]
        return 1, 1

    def problem(self, loc: Loc, message: str, *, at_key: bool = False) -> Problem:
        key = tuple(loc)
        if self.sidecar is not None and key[:1] in {("source",), ("entities",)} and key not in self.positions:
            return self.sidecar.problem(loc, message, at_key=at_key)
        return super().problem(loc, message, at_key=at_key)


def read_tabular(path: Path, shown: str) -> TabularFile:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES * 10:
        raise _fail(shown, 1, 1, f"file is too large: {size:,} bytes, expected at most {MAX_FILE_BYTES * 10:,} bytes")
    raw = path.read_bytes()
    text = _decode(raw, shown)
    sidecar = _sidecar(path)
    sha = hashlib.sha256(raw + (sidecar.sha256.encode() if sidecar else b"")).hexdigest()
    fmt = TABULAR_SUFFIXES[path.suffix.lower()]
    parsed = TabularFile(path, shown, sha, text, fmt, {}, sidecar=sidecar)
    if fmt == "csv":
        _read_csv(parsed)
    else:
        _read_jsonl(parsed)
    if sidecar is not None:
        for key in ("source", "entities"):
            if key in sidecar.data and key not in parsed.data:
                parsed.data[key] = sidecar.data[key]
    if not parsed.data.get("facts") and not parsed.data.get("entities"):
        raise _fail(shown, 1, 1, "file has no facts: expected one row per fact")
    return parsed


def _sidecar(path: Path) -> ParsedFile | None:
    for suffix in SIDECAR_SUFFIXES:
        candidate = path.with_name(path.name[: -len(path.suffix)] + suffix)
        if candidate.exists():
            return read_fact_file(candidate, str(candidate))
    return None


def _read_csv(parsed: TabularFile) -> None:
    reader = csv.reader(io.StringIO(parsed.text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise _fail(parsed.display, 1, 1, "file is empty: expected a header row (subject,relation,object,…)") from None
    except csv.Error as exc:
        raise _fail(parsed.display, 1, 1, f"invalid CSV: {exc}") from None
    columns = [h.strip() for h in header]
    known = set(FACT_COLUMNS) | {f"source_{f}" for f in SOURCE_FIELDS}
    starts = _field_starts(parsed.text.splitlines()[0] if parsed.text else "")
    for i, name in enumerate(columns):
        if name not in known:
            from agkg.loaders.names import closest

            hint = closest(name, sorted(known))
            tail = f"; did you mean '{hint[0]}'?" if hint else f"; expected one of {', '.join(FACT_COLUMNS)}"
            raise _fail(parsed.display, 1, starts[i] if i < len(starts) else 1, f"unknown column '{name}'{tail}")
    for required in ("subject", "relation", "object"):
        if required not in columns:
            raise _fail(parsed.display, 1, 1, f"missing column '{required}': expected at least subject,relation,object")
    lines = parsed.text.splitlines()
    facts: list[dict[str, Any]] = []
    source: dict[str, Any] | None = None
    source_row = 0
    line_no = 1
    try:
        for row in reader:
            row_line = line_no + 1
            line_no = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            index = len(facts)
            starts = _field_starts(lines[row_line - 1]) if row_line - 1 < len(lines) else []
            fact: dict[str, Any] = {}
            row_source: dict[str, Any] = {}
            for col, (name, value) in enumerate(zip(columns, row, strict=False)):
                value = value.strip()
                if not value:
                    continue
                position = (row_line, starts[col] if col < len(starts) else 1)
                if name.startswith("source_"):
                    key = name.removeprefix("source_")
                    row_source[key] = [c.strip() for c in value.split(";")] if key == "cites" else value
                    parsed.positions[("source", key)] = parsed.positions.get(("source", key), position)
                else:
                    fact[name] = _subjects(value) if name == "subject" else value
                    parsed.positions[("facts", index, name)] = position
            parsed.positions[("facts", index)] = (row_line, 1)
            if row_source:
                if source is None:
                    source, source_row = row_source, row_line
                elif row_source != source:
                    raise _fail(
                        parsed.display,
                        row_line,
                        1,
                        f"row's source differs from the one on line {source_row}: one source per file; "
                        "split the file by source",
                    )
            facts.append(fact)
    except csv.Error as exc:
        raise _fail(parsed.display, reader.line_num, 1, f"invalid CSV: {exc}") from None
    parsed.data["facts"] = facts
    if source is not None:
        parsed.data["source"] = source


def _subjects(value: str) -> str | list[str]:
    """Several subjects in one cell are separated by `;`."""
    parts = [p.strip() for p in value.split(";") if p.strip()]
    return parts if len(parts) > 1 else value


def _field_starts(line: str) -> list[int]:
    """1-based start column of each field of a one-line CSV record (quotes honoured)."""
    starts, quoted, i = [1], False, 0
    while i < len(line):
        char = line[i]
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            starts.append(i + 2)
        i += 1
    return starts


def _read_jsonl(parsed: TabularFile) -> None:
    facts: list[dict[str, Any]] = []
    entities: list[dict[str, Any]] = []
    for number, line in enumerate(parsed.text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise _fail(parsed.display, number, exc.colno, f"invalid JSON: {exc.msg}") from None
        if not isinstance(item, dict):
            raise _fail(
                parsed.display,
                number,
                1,
                'expected one JSON object per line (a fact, {"source": {…}} or {"entity": {…}})',
            )
        if set(item) == {"source"}:
            if "source" in parsed.data:
                raise _fail(parsed.display, number, 1, "a second source line: one source per file")
            parsed.data["source"] = item["source"]
            parsed.positions[("source",)] = (number, 1)
            for key in item["source"] if isinstance(item["source"], dict) else ():
                parsed.positions[("source", key)] = (number, _column_of(line, key))
        elif set(item) == {"entity"}:
            parsed.positions[("entities", len(entities))] = (number, 1)
            for key in item["entity"] if isinstance(item["entity"], dict) else ():
                parsed.positions[("entities", len(entities), key)] = (number, _column_of(line, key))
            entities.append(item["entity"])
        else:
            parsed.positions[("facts", len(facts))] = (number, 1)
            for key in item:
                parsed.positions[("facts", len(facts), key)] = (number, _column_of(line, key))
            facts.append(item)
    parsed.data["facts"] = facts
    if entities:
        parsed.data["entities"] = entities


def _column_of(line: str, key: str) -> int:
    """Column of a key's value on a JSON line (1 if it cannot be found)."""
    at = line.find(json.dumps(key))
    if at < 0:
        return 1
    colon = line.find(":", at)
    value = colon + 1
    while value < len(line) and line[value] == " ":
        value += 1
    return value + 1


def _fail(shown: str, line: int, column: int, message: str) -> InputError:
    return InputError([Problem(shown, line, column, message)])
