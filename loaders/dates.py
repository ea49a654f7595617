"""Partial ISO dates (YYYY, YYYY-MM, YYYY-MM-DD) that keep their precision.

Each date also gets sortable bounds (`lo`, `hi`: the first and last day it can
mean) as ISO strings, which compare correctly as text on every back end.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
EXPECTED = "expected an ISO date: YYYY, YYYY-MM or YYYY-MM-DD"


@dataclass(frozen=True)
class PartialDate:
    text: str
    lo: str
    hi: str


def parse_partial_date(value: object) -> PartialDate:
    """Parse a partial date; YAML may hand us an int (2018) or a date object."""
    if isinstance(value, bool):
        raise ValueError(f"invalid date {value!r}: {EXPECTED}")
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        text = value.isoformat()
        return PartialDate(text, text, text)
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError(f"invalid date {value!r}: {EXPECTED}")
    return _parse_text(value)


@lru_cache(maxsize=8192)
def _parse_text(value: str) -> PartialDate:
    # A load repeats the same few thousand dates across its claims (and validation parses each twice).
    text = value.strip()
    match = _PATTERN.match(text)
    if not match:
        raise ValueError(f"invalid date '{value}': {EXPECTED}")
    year = int(match[1])
    month = int(match[2]) if match[2] else None
    day = int(match[3]) if match[3] else None
    if month is None:
        return PartialDate(text, f"{year:04d}-01-01", f"{year:04d}-12-31")
    if not 1 <= month <= 12:
        raise ValueError(f"invalid date '{value}': month {month:02d} is not 01-12")
    last = calendar.monthrange(year, month)[1]
    if day is None:
        return PartialDate(text, f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last:02d}")
    if not 1 <= day <= last:
        raise ValueError(f"invalid date '{value}': day {day:02d} does not exist in {year:04d}-{month:02d}")
    return PartialDate(text, text, text)


def normalise_date_text(value: object) -> str:
    """Validate and return the canonical text form (used as a pydantic validator)."""
    return parse_partial_date(value).text
