"""Control characters in a fact file's text are refused, field by field, also on validation's fast path.

Files whose data cannot hold one (a scan of the data as JSON says so) are validated by models without the
per-field check (loaders/model.py); these tests hold that scan to never missing one, and both paths to the
same models and messages.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agkg.loaders.model import FactFile, PrintableFactFile, may_hold_control_characters
from agkg.loaders.parse import ParsedFile, read_fact_file
from agkg.loaders.validate import validate_file

DATA = Path(__file__).resolve().parent.parent / "data"
CONTROL = [chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]]
BASE: dict[str, Any] = {
    "source": {"title": "Militias leave the border", "publisher": "Example Wire", "published": "2024-12"},
    "entities": [{"name": "Alpha Brigade", "kind": "group", "aliases": ["AB"]}],
    "facts": [{"subject": "AB", "relation": "operates_in", "object": "Iraq", "quote": "Alpha Brigade is in Iraq."}],
}


def _parsed(data: dict[str, Any]) -> ParsedFile:
    return ParsedFile(Path("x.json"), "x.json", "", json.dumps(data), "json", data)


@pytest.mark.parametrize("char", CONTROL, ids=[f"U+{ord(c):04X}" for c in CONTROL])
def test_every_control_character_is_refused_where_it_stands(char: str) -> None:
    data = copy.deepcopy(BASE)
    data["source"]["title"] = f"Militias{char} leave"
    data["entities"][0]["aliases"] = ["AB", f"A{char}B"]
    data["facts"][0]["quote"] = f"Al{char}pha"
    assert may_hold_control_characters(data)
    facts, problems = validate_file(_parsed(data))
    code = f"U+{ord(char):04X}"
    assert [p.message for p in problems] == [
        f"title: contains the control character {code} at position 9: expected printable text",
        f"aliases: contains the control character {code} at position 2: expected printable text",
        f"quote: contains the control character {code} at position 3: expected printable text",
    ]
    assert facts is not None and facts.source is None and not facts.facts and not facts.entities


@pytest.mark.parametrize("text", ["tab\there", "two\nlines", "cr\r\n", "back\\b and \\f slashes", "é ü ك ✓"])
def test_printable_text_takes_the_fast_path_or_passes_the_check(text: str) -> None:
    data = copy.deepcopy(BASE)
    data["facts"][0]["quote"] = text
    facts, problems = validate_file(_parsed(data))
    assert problems == [] and facts is not None and facts.facts[0].quote == text.strip()


@pytest.mark.parametrize("path", sorted(DATA.glob("*.yaml")), ids=lambda p: p.name)
def test_both_models_read_the_repository_files_the_same(path: Path) -> None:
    data = read_fact_file(path).data
    assert not may_hold_control_characters(data)  # the fast path
    fast, checked = FactFile.model_validate(data), PrintableFactFile.model_validate(data)
    assert fast.facts or fast.entities  # not vacuous
    assert fast.model_dump() == checked.model_dump()


@settings(max_examples=300, deadline=None)
@given(
    st.recursive(st.text() | st.integers() | st.none(), lambda kids: st.lists(kids) | st.dictionaries(st.text(), kids))
)
def test_the_scan_never_misses_a_control_character(data: Any) -> None:
    def texts(value: Any) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, list):
            return [t for v in value for t in texts(v)]
        if isinstance(value, dict):
            return [t for k, v in value.items() for t in [k, *texts(v)]]
        return []

    if any(c in CONTROL for t in texts(data) for c in t):
        assert may_hold_control_characters(data)
