"""The synthetic corpus nests as its modes promise: tiered like reporting, random with the cycles tests want."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from bench.corpus import Corpus, generate


def _parents(corpus: Corpus, relation: str) -> dict[str, set[str]]:
    parents: dict[str, set[str]] = defaultdict(set)
    for fact in corpus.facts:
        if fact.relation == relation:
            parents[fact.subject].add(fact.object)
    return parents


def _has_cycle(corpus: Corpus, relation: str) -> bool:
    parents = _parents(corpus, relation)
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(node: str) -> bool:
        state[node] = 1
        for nxt in parents[node]:
            if state.get(nxt) == 1 or (nxt not in state and visit(nxt)):
                return True
        state[node] = 2
        return False

    return any(node not in state and visit(node) for node in list(parents))


def _depth(corpus: Corpus, relation: str) -> int:
    """The longest chain of `relation` (the graph is acyclic)."""
    parents = _parents(corpus, relation)
    memo: dict[str, int] = {}

    def up(node: str) -> int:
        if node not in memo:
            memo[node] = max((1 + up(p) for p in parents[node]), default=0)
        return memo[node]

    return max((up(n) for n in list(parents)), default=0)


def _small(out: Path, nesting: str) -> Corpus:
    return generate(
        out, groups=300, umbrellas=60, places=200, states=8, facts=6000, sources=20, seed=5, nesting=nesting
    )


def test_tiered_corpus_nests_umbrellas_and_places_without_cycles(tmp_path: Path) -> None:
    corpus = _small(tmp_path / "tiered", "tiered")
    assert not _has_cycle(corpus, "MEMBER_OF")
    assert not _has_cycle(corpus, "LOCATED_IN")
    assert 1 <= _depth(corpus, "MEMBER_OF") <= 3, "groups, then at most three tiers of umbrellas"
    assert _depth(corpus, "LOCATED_IN") <= 3, "town, district, province, state"
    assert corpus.params["nesting"] == "tiered"


def test_random_corpus_keeps_the_cycles_the_query_tests_use(tmp_path: Path) -> None:
    corpus = _small(tmp_path / "random", "random")
    assert _has_cycle(corpus, "MEMBER_OF")


def test_an_unknown_nesting_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="nesting must be 'tiered' or 'random'"):
        generate(tmp_path / "x", nesting="flat")


def test_a_source_that_declares_no_entity_is_still_a_valid_file(tmp_path: Path) -> None:
    """More sources than groups (as at a million facts): some files declare no entity of their own."""
    from agkg.loaders.readers import read_any
    from agkg.loaders.validate import validate_file

    corpus = generate(tmp_path, groups=20, umbrellas=4, places=10, states=4, facts=300, sources=60)
    bare = [path for path in corpus.files if "\nentities: []\n" in path.read_text("utf-8")]
    assert bare, "the corpus should hold sources without entities of their own"
    for path in bare:
        facts, problems = validate_file(read_any(path, path.name))
        assert problems == [] and facts is not None and facts.entities == []
