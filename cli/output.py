"""Rendering rows for people (aligned tables) and for programs (JSON, CSV)."""

from __future__ import annotations

import json
import shutil
import textwrap
from collections.abc import Sequence
from enum import StrEnum
from typing import Any


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class Layout:
    """How tables fit the terminal: `--width` (default: the terminal's) and `--no-wrap` (global options).
    A plain class: a dataclass costs every command's start-up its code generation."""

    def __init__(self, width: int | None = None, wrap: bool = True) -> None:
        self.width = width
        self.wrap = wrap


layout = Layout()


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def table(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None, *, empty: str = "No results.") -> str:
    """Aligned columns that fit the terminal: long cells wrap onto more lines (the widest column narrows
    first), so nothing is cut. With --no-wrap every row is one line, however long."""
    if not rows:
        return empty
    cols = list(columns or rows[0].keys())
    texts = [[" ".join(cell(r.get(c)).split()) for c in cols] for r in rows]
    natural = [max(len(c), *(len(row[i]) for row in texts)) for i, c in enumerate(cols)]
    if not layout.wrap:
        widths = natural
    else:
        budget = max(layout.width or shutil.get_terminal_size((160, 24)).columns, 40)
        widths = _fit(natural, [len(c) for c in cols], budget - 2 * (len(cols) - 1))
    lines = ["  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in texts:
        wrapped = [_wrap(v, w) if layout.wrap else [v] for v, w in zip(row, widths, strict=True)]
        for k in range(max(len(c) for c in wrapped)):
            parts = [(c[k] if k < len(c) else "").ljust(w) for c, w in zip(wrapped, widths, strict=True)]
            lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)


def _fit(natural: list[int], headers: list[int], room: int) -> list[int]:
    """Column widths that fit `room`: short columns keep their width, the long ones share what is left
    equally (the largest cap that fits), none narrower than its header."""
    if sum(natural) <= room:
        return natural
    floors = [min(n, h) for n, h in zip(natural, headers, strict=True)]

    def widths(cap: int) -> list[int]:
        return [max(min(n, cap), f) for n, f in zip(natural, floors, strict=True)]

    low, high = 1, max(natural)
    while low < high:
        cap = (low + high + 1) // 2
        low, high = (cap, high) if sum(widths(cap)) <= room else (low, cap - 1)
    return widths(low)


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False) or [""]


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


def to_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None) -> str:
    import csv
    import io

    cols = list(columns or (rows[0].keys() if rows else []))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(cols)
    for row in rows:
        writer.writerow(
            [
                "; ".join(cell(v) for v in row.get(c) or []) if isinstance(row.get(c), list) else cell(row.get(c))
                for c in cols
            ]
        )
    return buffer.getvalue().rstrip("\n")


def render(
    rows: Sequence[dict[str, Any]], fmt: Format, columns: Sequence[str] | None = None, *, empty: str = "No results."
) -> str:
    if fmt is Format.json:
        return to_json(list(rows))
    if fmt is Format.csv:
        return to_csv(rows, columns)
    return table(rows, columns, empty=empty)
