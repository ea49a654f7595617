"""Convergence: after any edits, re-ingesting equals a fresh load of the current files."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from agkg.graph.cypher import cypher
from agkg.graph.falkor import FalkorStore
from agkg.graph.schema import load_schema
from agkg.graph.store import GraphStore
from agkg.loaders.ingest import ingest
from tests.graph_dump import dump

_fresh = itertools.count()
_yaml = YAML(typ="rt")
ARTICLE = "jpost-iraq-militias-syrian-border.yaml"


def _load(path: Path) -> Any:
    return _yaml.load(path.read_text("utf-8"))


def _save(path: Path, data: Any) -> None:
    with path.open("w", encoding="utf-8") as handle:
        _yaml.dump(data, handle)


def fresh_dump(embedded_dir: Path, paths: list[Path]) -> dict[str, list[str]]:
    other = FalkorStore.embedded(embedded_dir, graph_name=f"fresh{next(_fresh)}")
    try:
        summary = ingest(other, paths)
        assert summary.failed == 0, summary.problems
        return dump(other, skip_labels=frozenset())
    finally:
        other.drop()
        other.close()


def test_removing_a_fact_removes_its_claim_and_edge(store: GraphStore, data_copy: Path, embedded_dir: Path) -> None:
    ingest(store, [data_copy])
    article = data_copy / ARTICLE
    doc = _load(article)
    removed = doc["facts"].pop(0)
    _save(article, doc)
    summary = ingest(store, [data_copy])
    subjects = removed["subject"] if isinstance(removed["subject"], list) else [removed["subject"]]
    assert summary.claims.removed == len(subjects)
    assert dump(store, skip_labels=frozenset()) == fresh_dump(embedded_dir, [data_copy])


def test_changing_a_date_and_adding_an_alias(store: GraphStore, data_copy: Path, embedded_dir: Path) -> None:
    ingest(store, [data_copy])
    article = data_copy / ARTICLE
    doc = _load(article)
    doc["facts"][0]["since"] = "2019-03"
    doc["entities"][0].setdefault("aliases", []).append("An Alias Nobody Uses")
    _save(article, doc)
    summary = ingest(store, [data_copy])
    assert summary.entities.updated == 1
    assert summary.claims.removed >= 1 and summary.claims.added >= 1
    assert dump(store, skip_labels=frozenset()) == fresh_dump(embedded_dir, [data_copy])


def test_changing_the_source_id_replaces_the_old_document(
    store: GraphStore, data_copy: Path, embedded_dir: Path
) -> None:
    ingest(store, [data_copy])
    article = data_copy / ARTICLE
    doc = _load(article)
    doc["source"]["id"] = "renamed-source"
    _save(article, doc)
    ingest(store, [data_copy])
    assert store.read("MATCH (s:Source {id: $id}) RETURN s.id AS id", {"id": "jpost-iraq-militias-border"}) == []
    assert dump(store, skip_labels=frozenset()) == fresh_dump(embedded_dir, [data_copy])


class _CutBeforeClaims:
    """A real store whose run is cut off, as by a kill, when it comes to write claims: after its edges."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store

    def write(self, query: str, params: Any = None) -> Any:
        if query in (cypher("create_claims"), cypher("merge_claims")):
            raise KeyboardInterrupt("killed before the claims")
        return self._store.write(query, params)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def test_a_run_cut_off_between_edges_and_claims_leaves_no_edge_twice(
    store: GraphStore, data_copy: Path, embedded_dir: Path
) -> None:
    article = data_copy / ARTICLE
    full = article.read_text("utf-8")
    doc = _load(article)
    del doc["facts"][::2]
    _save(article, doc)
    ingest(store, [data_copy])
    # The next run states the removed facts again (edges whose claims are not stored) and is cut off, as by a
    # kill, after writing the edges and before their claims.
    article.write_text(full, "utf-8")
    with pytest.raises(KeyboardInterrupt):
        ingest(_CutBeforeClaims(store), [data_copy])
    assert store.read(cypher("read_catalog"))[0]["unfinished"] is True
    again = ingest(store, [data_copy])
    assert again.failed == 0, again.problems
    assert store.read(cypher("read_catalog"))[0]["unfinished"] is None
    edges = dump(store)["edges"]
    assert len(edges) == len(set(edges)), "an edge written by the cut run is written again"
    assert dump(store, skip_labels=frozenset()) == fresh_dump(embedded_dir, [data_copy])


# --- random edit sequences -------------------------------------------------------------------------

STATUSES = ["confirmed", "reported", "claimed", "alleged", "planned", "denied"]
DATES = ["2014", "2018", "2019-03", "2023-10", "2024-12", "2024-12-08"]

edit = st.one_of(
    st.tuples(st.just("drop_fact"), st.integers(0, 200)),
    st.tuples(st.just("since"), st.integers(0, 200), st.sampled_from([*DATES, None])),
    st.tuples(st.just("until"), st.integers(0, 200), st.sampled_from([*DATES[3:], None])),
    st.tuples(st.just("status"), st.integers(0, 200), st.sampled_from(STATUSES)),
    st.tuples(
        st.just("quote"),
        st.integers(0, 200),
        st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=20),
    ),
    st.tuples(st.just("alias"), st.integers(0, 200), st.text(alphabet="abcdefgh xyz'", min_size=3, max_size=10)),
    st.tuples(st.just("duplicate_fact_elsewhere"), st.integers(0, 200)),
)


EVENTS = {name for name, relation in load_schema().relations.items() if relation.event}


def _apply(data_dir: Path, change: tuple[Any, ...]) -> None:
    article = data_dir / ARTICLE
    doc = _load(article)
    facts, entities = doc["facts"], doc["entities"]
    kind, index = change[0], change[1]
    if kind == "drop_fact" and facts:
        facts.pop(index % len(facts))
    elif kind in {"since", "until"} and facts:
        fact = facts[index % len(facts)]
        if change[2] is None:
            fact.pop(kind, None)
        elif "on" not in fact and fact["relation"] not in EVENTS:  # events take `on`, not an interval
            fact[kind] = change[2]
            since, until = fact.get("since"), fact.get("until")
            if since and until and str(until) < str(since):
                fact.pop("until")
    elif kind == "status" and facts:
        facts[index % len(facts)]["status"] = change[2]
    elif kind == "quote" and facts:
        facts[index % len(facts)]["quote"] = change[2]
    elif kind == "alias":
        entity = entities[index % len(entities)]
        alias = f"zz {change[2]} {entity['id']}"
        if alias not in entity.get("aliases", []):
            entity.setdefault("aliases", []).append(alias)
    elif kind == "duplicate_fact_elsewhere" and facts:
        # The same fact stated by a second source: one edge, two claims, two sources.
        fact = dict(facts[index % len(facts)])
        extra = data_dir / "second-source.yaml"
        other: dict[str, Any] = (
            _load(extra)
            if extra.exists()
            else {
                "source": {"id": "second-source", "title": "Second", "publisher": "Test", "published": "2025-01"},
                "facts": [],
            }
        )
        known: list[Any] = other["facts"]
        # One source states a fact once: the loader rejects a repeat with other words (a changed quote) too.
        if all(_identity(f) != _identity(fact) for f in known):
            known.append(fact)
        _save(extra, other)
    _save(article, doc)


def _identity(fact: dict[str, Any]) -> tuple[Any, ...]:
    """What makes two facts of one file the same fact: subject, relation, object and dates."""
    return tuple(str(fact.get(key)) for key in ("subject", "relation", "object", "on", "since", "until"))


@pytest.fixture
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield tmp_path_factory.mktemp("edits")


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.lists(edit, min_size=1, max_size=6))
def test_random_edits_converge(
    falkor: GraphStore, embedded_dir: Path, changes: list[tuple[Any, ...]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    import shutil

    from tests.conftest import DATA

    data_dir = tmp_path_factory.mktemp("edits") / "data"
    shutil.copytree(DATA, data_dir)
    falkor.write("MATCH (n) DETACH DELETE n")
    ingest(falkor, [data_dir])
    for change in changes:
        _apply(data_dir, change)
        summary = ingest(falkor, [data_dir])
        assert summary.failed == 0, summary.problems
    assert dump(falkor, skip_labels=frozenset()) == fresh_dump(embedded_dir, [data_dir])
