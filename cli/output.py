"""Rendering rows for people (aligned tables) and for programs (JSON, CSV)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Sequence
from enum import StrEnum
from typing import Any


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


MAX_CELL = 60


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


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: max(width - 1, 1)] + "…"


def table(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None, *, empty: str = "No results.") -> str:
    """Aligned columns; long cells are clipped (the widest first) so a row fits the terminal."""
    if not rows:
        return empty
    cols = list(columns or rows[0].keys())
    texts = [[" ".join(cell(r.get(c)).split()) for c in cols] for r in rows]
    widths = [min(MAX_CELL, max(len(c), *(len(row[i]) for row in texts))) for i, c in enumerate(cols)]
    budget = max(shutil.get_terminal_size((160, 24)).columns, 80)
    while sum(widths) + 2 * (len(cols) - 1) > budget:
        widest = max(range(len(cols)), key=lambda i: widths[i])
        if widths[widest] <= max(len(cols[widest]), 12):
            break
        widths[widest] -= 1
    cells = [[_clip(v, w) for v, w in zip(row, widths, strict=True)] for row in texts]
    lines = ["  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    return "\n".join(lines)


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


def to_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None) -> str:
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
