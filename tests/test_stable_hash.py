"""Content hashes: orjson must hash exactly the bytes json.dumps gave when the stored hashes were made."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from agkg.loaders.records import stable_hash

# What claims, edges and entities hash: text (any code point, quotes, backslashes and control characters
# included), integers, booleans, nulls, in lists and string-keyed maps.
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text(),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(), inner, max_size=5),
    max_leaves=25,
)


def reference(*parts: Any) -> str:
    blob = json.dumps(parts, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


@settings(max_examples=500)
@given(VALUES, VALUES)
def test_hash_equals_the_json_dumps_hash(a: Any, b: Any) -> None:
    assert stable_hash(a, b) == reference(a, b)


def test_a_stored_hash_is_unchanged() -> None:
    # Made with json.dumps before orjson: a store loaded then must not see its claims as changed.
    props = {"status": "reported", "quote": 'He said "we left"\n\u00e9\u0628', "credibility": 3, "on": None}
    assert stable_hash(props) == "86e3df9e0688ced8"


def test_what_orjson_refuses_hashes_as_before() -> None:
    assert stable_hash(2**70) == reference(2**70)
