"""The fast YAML loader returns exactly what ruamel's safe C loader returns: the same data, or the same error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from agkg.loaders.yaml_fast import fast_safe_yaml
from bench.corpus import generate

REPO = Path(__file__).resolve().parent.parent

# Each exercises a path where the direct walk must either build what ruamel builds or hand over to it.
ODD_DOCUMENTS = [
    "%YAML 1.1\n---\na: yes\nb: 0o12\nc: 012\n",
    "a: yes\nb: 2024-01-02\nc: 1.5\nd: ~\ne: 0x1f\nf: .inf\ng: -0\n",
    "a: &x {b: 1}\nc: *x\n",
    "a: &x [1, *x]\n",
    "base: &b {x: 1}\nchild:\n  <<: *b\n  y: 2\n",
    "<<: [{a: 1}, {b: 2}]\nc: 3\n",
    "a: 1\na: 2\n",
    "x: 1\nx: 1\n",
    "? [1, 2]\n: x\n",
    "? {a: 1}\n: x\n",
    "a: !!set {x, y}\n",
    "a: !!omap [{x: 1}, {y: 2}]\n",
    "a: !!pairs [{x: 1}]\n",
    "a: !!binary aGVsbG8=\n",
    "a: !custom 1\n",
    "a: !!str 12\nb: !!int '7'\nc: !!float '1'\n",
    "1: a\ntrue: b\nnull: c\n1.5: d\n2024-01-01: e\n",
    "- a\n- b: [1, {c: d}]\n- !!map {e: f}\n- !!seq [g]\n",
    "= : x\n",
    "a: 2001-12-14t21:59:43.10-05:00\n",
    "a: [1, 2\n",
    "a: b: c\n",
    "a:\n\t- b\n",
    "",
    "# only a comment\n",
    "just text\n",
    "- 1\n- 2\n",
    "a: 'quoted: text'\nb: \"esc \\u00e9\"\nc: |\n  block\n  text\nd: >\n  folded\n  text\n",
    "a: {b: [c, {d: [e, f]}], g: null}\n",
    "a: !!null ''\nb: !!bool 'true'\n",
    "a: !!timestamp 2020-01-01\n",
    "a: !!map [1]\n",
    "--- 1\n--- 2\n",
]


def _outcome(yaml: YAML, text: str) -> tuple[str, Any]:
    try:
        return "data", yaml.load(text)
    except Exception as exc:
        return "error", (type(exc).__name__, str(exc))


def _texts(root: Path) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(root.rglob("*.y*ml"))]


@pytest.mark.parametrize("text", ODD_DOCUMENTS)
def test_odd_documents_load_as_with_ruamel(text: str) -> None:
    expected = _outcome(YAML(typ="safe", pure=False), text)
    found = _outcome(fast_safe_yaml(), text)
    if text == "a: &x [1, *x]\n":
        # A list that contains itself: compare its shape, not by recursion.
        assert expected[0] == found[0] == "data"
        assert found[1]["a"][1] is found[1]["a"]
        return
    assert found == expected


def test_repository_yaml_loads_as_with_ruamel() -> None:
    texts = _texts(REPO / "data") + _texts(REPO / "tests") + _texts(REPO / "graph")
    assert len(texts) > 20
    standard, fast = YAML(typ="safe", pure=False), fast_safe_yaml()
    for text in texts:
        assert _outcome(fast, text) == _outcome(standard, text)


def test_generated_corpus_loads_as_with_ruamel(tmp_path: Path) -> None:
    corpus = generate(tmp_path / "c", groups=60, umbrellas=10, places=40, states=5, facts=2000, sources=10, seed=5)
    standard, fast = YAML(typ="safe", pure=False), fast_safe_yaml()
    for path in corpus.files:
        text = path.read_text(encoding="utf-8")
        found = _outcome(fast, text)
        assert found[0] == "data"
        assert found == _outcome(standard, text)


# Plain scalars whose first character and shape pick among ruamel's implicit patterns (ints, floats, bools,
# nulls, dates, timestamps, merge and value keys), under YAML 1.2 and 1.1: the fast resolver must pick the same.
_SCALAR_ALPHABET = "0123456789+-._:eEoxXabcdfnlstruyYNTF~=<x "
_TOKENS = (
    "yes", "No", "on", "OFF", "y", "n", "true", "False", "null", "~", "Null", "0o12", "012", "0x1f", "0b101",
    "1_000", "1:20", "190:20:30", ".inf", "-.Inf", ".NaN", "1e3", "+1", ".5", "1.", "-0", "2001-12-14",
    "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10", "<<", "=", "0", "00", "+0x1",
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.sampled_from(_TOKENS), st.text(alphabet=_SCALAR_ALPHABET, min_size=1, max_size=12)),
            st.booleans(),
        ),
        min_size=1,
        max_size=6,
    ),
    st.sampled_from(["", "%YAML 1.1\n---\n", "%YAML 1.2\n---\n"]),
)
def test_scalars_resolve_as_with_ruamel(scalars: list[tuple[str, bool]], header: str) -> None:
    # A quoted scalar is a string whatever it looks like: the resolver must not match it against the patterns.
    text = header + "".join(f"- '{value}'\n" if quoted else f"- {value}\n" for value, quoted in scalars)
    assert _outcome(fast_safe_yaml(), text) == _outcome(YAML(typ="safe", pure=False), text)
