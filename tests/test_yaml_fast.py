"""The fast YAML loaders (yaml-rs where its screen lets it, else ruamel's C loader with agkg's constructor)
return exactly what ruamel's safe C loader returns: the same data, or the same error."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from agkg.loaders.yaml_fast import fast_safe_yaml
from agkg.loaders.yaml_native import NativeFirstYAML, _native_can_read
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
    # Where yaml-rs alone reads otherwise (found by the fuzz below): its screen must send them to ruamel.
    ": 1\n",
    "-\n\r    - :\n",
    "a: >\n",
    "a: |\n  x",
    "true: |\r\n",
    "k: _1\nl: 0XFF\nm: .inF\nn: 1e1_0\no: +.5e3\n",
    "k: [a:b]\n",
    "k: [..:]\n",
    "{null}: 1\n",
    "k: [?x]\n",
    "- {~: |x}\n",
    '>-\n"{}\n',
    "---\n|\n- status: x\n",
    "# c\r\n\r\n--- # c\n\n  >\nx\n",
    "k: '2024-01-02'\nl: [2024-01-03, \"2024-01-04\"]\n",
    "---\nk: 1\n",
    "# c\n---\nk: 1\n...\n",
]


LOADERS: dict[str, Callable[[], YAML | NativeFirstYAML]] = {
    "native-first": NativeFirstYAML,
    "ruamel-direct": fast_safe_yaml,
}


def _outcome(yaml: YAML | NativeFirstYAML, text: str) -> tuple[str, Any]:
    try:
        return "data", yaml.load(text)
    except Exception as exc:
        return "error", (type(exc).__name__, str(exc))


def _texts(root: Path) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(root.rglob("*.y*ml"))]


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize("text", ODD_DOCUMENTS)
def test_odd_documents_load_as_with_ruamel(text: str, loader: str) -> None:
    expected = _outcome(YAML(typ="safe", pure=False), text)
    found = _outcome(LOADERS[loader](), text)
    if text == "a: &x [1, *x]\n":
        # A list that contains itself: compare its shape, not by recursion.
        assert expected[0] == found[0] == "data"
        assert found[1]["a"][1] is found[1]["a"]
        return
    assert found == expected


@pytest.mark.parametrize("loader", LOADERS)
def test_repository_yaml_loads_as_with_ruamel(loader: str) -> None:
    texts = _texts(REPO / "data") + _texts(REPO / "tests") + _texts(REPO / "graph")
    assert len(texts) > 20
    standard, fast = YAML(typ="safe", pure=False), LOADERS[loader]()
    for text in texts:
        assert _outcome(fast, text) == _outcome(standard, text)


@pytest.mark.parametrize("loader", LOADERS)
def test_generated_corpus_loads_as_with_ruamel(tmp_path: Path, loader: str) -> None:
    corpus = generate(tmp_path / "c", groups=60, umbrellas=10, places=40, states=5, facts=2000, sources=10, seed=5)
    standard, fast = YAML(typ="safe", pure=False), LOADERS[loader]()
    for path in corpus.files:
        text = path.read_text(encoding="utf-8")
        found = _outcome(fast, text)
        assert found[0] == "data"
        assert found == _outcome(standard, text)


def test_fact_files_take_the_fast_path(tmp_path: Path) -> None:
    # The speed of YAML loading rests on ordinary fact files passing the screen: quoted dates, flow lists of
    # aliases, block quotes, comments, a leading `---`, unquoted URLs.
    corpus = generate(tmp_path / "c", groups=60, umbrellas=10, places=40, states=5, facts=2000, sources=10, seed=5)
    texts = [p.read_text(encoding="utf-8") for p in corpus.files] + _texts(REPO / "data")
    ordinary = (
        "---\n# a comment\nsource:\n  url: https://example.org/a?b=1#c\n  published: '2024-12-08'\n"
        "entities:\n  - name: Kataib Hezbollah\n    aliases: [KH, 'Hezbollah Brigades', \"K.H.\"]\n"
        "facts:\n  - subject: KH\n    relation: member_of\n    object: PMU\n    credibility: 4\n"
        "    since: 2018\n    quote: >\n      The brigades, part of the PMU since 2018, withdrew.\n"
        "    note: |\n      Said on 2024-12-08: 'all units left' (3rd statement).\n"
    )
    for text in [*texts, ordinary]:
        assert _native_can_read(text), text[:200]


def _fuzzed_documents(seed: int, count: int) -> list[str]:
    """Block maps and lists of plain, quoted, block and flow scalars, some with a character or two changed."""
    rng = random.Random(seed)
    plain = [
        "a", "b c", "yes", "No", "on", "~", "null", "1", "-1", "+1", "0o12", "012", "0x1f", "1_000", "_1", "1.5", ".5",
        "1e3", "-.inf", ".NaN", "true", "False", "x#y", "x #y", "a:b", "-x", "1:20", "@x", "`x", "%x", "|x", ">x", "é",
        "ü ö", "a'b", 'a"b', "[", "]", "{", "}", ":", "-", "#", "0b11", "1.2.3", "+.5", "00", "-0", "1e", ".", "...",
        "2024-01-02", "0XFF",
    ]  # fmt: skip

    def scalar(depth: int) -> str:
        kind, word = rng.random(), rng.choice(plain)
        if kind < 0.55:
            return word
        if kind < 0.7:
            return "'" + word.replace("'", "''") + "'"
        if kind < 0.85:
            return '"' + word.replace('"', '\\"') + rng.choice(["", "\\n", "\\u00e9", "\\q", "\\"]) + '"'
        if kind < 0.92:
            indent = "  " * (depth + 1)
            return rng.choice(["|", ">", "|-", ">+", "|2"]) + f"\n{indent}{word}\n{indent}{rng.choice(plain)}"
        items = [rng.choice(plain) for _ in range(rng.randint(0, 3))]
        if rng.random() < 0.5:
            return "[" + ", ".join(items) + "]"
        return "{" + ", ".join(f"{item}: {rng.choice(plain)}" for item in items) + "}"

    def block(depth: int) -> str:
        indent, lines = "  " * depth, []
        mapping = rng.random() < 0.5
        for _ in range(rng.randint(1, 4)):
            head = indent + (
                rng.choice(["a", "b", "1", "true", "null", "x y", "'q'", '"dq"']) + ":" if mapping else "-"
            )
            if depth < 3 and rng.random() < 0.35:
                lines.append(f"{head}{rng.choice(['', ' # c'])}\n{block(depth + 1)}")
            else:
                lines.append(f"{head} {scalar(depth)}\n")
        return "".join(lines)

    noise = [*" \n:-#'\"[]{},|>?!&*%@`\r\t\\", "  ", "\n  ", ": ", "- ", "---\n", "\x85", "\u2028", "\x07", "\ufeff"]
    return [_mutated(rng, block(0), noise, [0, 0, 1, 2, 3], 0.1) for _ in range(count)]


def _mutated(rng: random.Random, text: str, noise: list[str], changes: list[int], crlf: float) -> str:
    """`text` with a drawn number of characters inserted or replaced from `noise`, in CRLF lines at rate `crlf`."""
    for _ in range(rng.choice(changes)):
        at = rng.randint(0, len(text))
        text = text[:at] + rng.choice(noise) + text[at + rng.choice([0, 0, 1]) :]
    return text.replace("\n", "\r\n") if rng.random() < crlf else text


def _fuzzed_fact_files(seed: int, count: int) -> list[str]:
    """Shaped like fact files: nested maps, lists of maps in compact form (`- key: value`), comments, a header,
    words an analyst writes (names, quotes, dates, URLs, odd punctuation), some with a character changed."""
    rng = random.Random(seed)
    words = [
        "Kataib Hezbollah", "PMU", "al-Nujaba", "3rd Brigade", "He said: we left", "it's", 'say "no"', "a # b",
        "x#y", "50%", "#1", "é ü", "中文", "😀", "-", "--", "?", "!", "&x", "*y", "|", ">", "[a]", "{b}", "a, b",
        "a: b", "null", "~", "true", "no", "1", "-1", "1.5", "2018", "2018-05", "2024-12-08", "2024-12-08T10:00:00",
        "0x1f", "1e3", ".5", "1_000", "007", "+1", "@x", "`x", "https://x.org/a?b=1#c", "", " lead", "trail ",
    ]  # fmt: skip
    keys = ["source", "title", "published", "url", "entities", "name", "aliases", "facts", "subject", "since", "quote"]

    def quoted(word: str) -> str:
        return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'

    def scalar(indent: str) -> str:
        word, kind = rng.choice(words), rng.random()
        if kind < 0.4:
            return word
        if kind < 0.6:
            return "'" + word.replace("'", "''") + "'"
        if kind < 0.8:
            return quoted(word)
        if kind < 0.9:
            return rng.choice(["|", ">", "|-", ">-", "|+"]) + f"\n{indent}  {word}\n{indent}  {rng.choice(words)}"
        items = rng.sample(words, rng.randint(0, 4))
        return "[" + ", ".join(w if rng.random() < 0.6 else quoted(w) for w in items) + "]"

    def mapping(indent: str, depth: int, compact: bool = False) -> str:
        lines = []
        for j in range(rng.randint(1, 5)):
            key, first = rng.choice(keys), "" if compact and j == 0 else indent
            if depth < 3 and rng.random() < 0.3:
                if rng.random() < 0.5:
                    lines.append(f"{first}{key}:\n" + mapping(indent + "  ", depth + 1))
                else:
                    dash = indent + rng.choice(["", "  "])
                    items = [f"{dash}- " + mapping(dash + "  ", depth + 1, True) for _ in range(rng.randint(1, 3))]
                    lines.append(f"{first}{key}:\n" + "".join(items))
            else:
                lines.append(f"{first}{key}: {scalar(indent)}{rng.choice(['', '', '  # note', ' #c'])}\n")
            if rng.random() < 0.1:
                lines.append(rng.choice(["\n", indent + "# comment\n"]))
        return "".join(lines)

    noise = [*" \n:-#'\"[]{},|>?!&*%@`\\", "  ", "\n  ", ": ", "- ", "\n- ", "0", "."]
    texts = []
    for _ in range(count):
        text = rng.choice(["", "", "---\n", "# header\n"]) + mapping("", 0)
        texts.append(_mutated(rng, text, noise, [0, 0, 0, 1, 2], 0.05))
    return texts


@pytest.mark.parametrize(("shape", "seed"), [*(("generic", n) for n in range(4)), ("fact files", 0), ("fact files", 1)])
def test_fuzzed_documents_load_as_with_ruamel(shape: str, seed: int) -> None:
    # Compared by repr: NaN is not equal to itself, and 1 == 1.0 == True would hide a type that differs.
    standard, fast = YAML(typ="safe", pure=False), NativeFirstYAML()
    texts = (_fuzzed_documents if shape == "generic" else _fuzzed_fact_files)(seed, 1500)
    native = sum(map(_native_can_read, texts))
    assert native > len(texts) // 10  # the fuzz reaches the fast path, not only ruamel's
    for text in texts:
        expected, found = _outcome(standard, text), _outcome(fast, text)
        assert (found[0], repr(found[1])) == (expected[0], repr(expected[1])), text


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
    expected = _outcome(YAML(typ="safe", pure=False), text)
    assert _outcome(fast_safe_yaml(), text) == expected
    assert _outcome(NativeFirstYAML(), text) == expected


def test_what_yaml_rs_refuses_or_fails_on_goes_to_ruamel(monkeypatch: pytest.MonkeyPatch) -> None:
    import yaml_rs

    text = "source:\n  title: A\nfacts:\n  - subject: KH\n    credibility: 4\n"
    assert _native_can_read(text)
    expected = _outcome(YAML(typ="safe", pure=False), text)
    calls: list[str] = []

    def refuses(source: str, **_: object) -> object:
        calls.append(source)
        raise yaml_rs.YAMLDecodeError("refused")

    monkeypatch.setattr(yaml_rs, "loads", refuses)
    assert _outcome(NativeFirstYAML(), text) == expected
    assert calls == [text]  # it was asked first
