"""The curated seed data loads completely, and loading it again changes nothing."""

from __future__ import annotations

from agkg.graph.store import GraphStore
from agkg.loaders.ingest import ingest
from tests.conftest import DATA
from tests.graph_dump import dump


def test_seed_loads_every_file(store: GraphStore) -> None:
    summary = ingest(store, [DATA])
    assert summary.problems == []
    assert summary.failed == 0
    assert summary.loaded == summary.files == 2
    assert summary.entities.added >= 30
    assert summary.claims.added >= 60


def test_second_ingest_changes_nothing(store: GraphStore) -> None:
    ingest(store, [DATA])
    before = dump(store)
    again = ingest(store, [DATA])
    assert again.claims.as_dict() == {"added": 0, "updated": 0, "removed": 0}
    assert again.relations.as_dict() == {"added": 0, "updated": 0, "removed": 0}
    assert again.entities.as_dict() == {"added": 0, "updated": 0, "removed": 0}
    assert dump(store) == before


def test_member_edges_carry_their_sources(store: GraphStore) -> None:
    ingest(store, [DATA])
    rows = store.read(
        "MATCH (g:Entity)-[r:MEMBER_OF]->(u:Umbrella {id: $umbrella}) "
        "RETURN g.id AS id, r.sources AS sources, r.since AS since, r.status AS status ORDER BY id",
        {"umbrella": "popular-mobilization-units"},
    )
    members = {r["id"]: r for r in rows}
    for group in ("kataib-hezbollah", "asaib-ahl-al-haq", "harakat-hezbollah-al-nujaba"):
        assert group in members
        assert members[group]["since"] == "2018"
        assert members[group]["sources"] == ["jpost-iraq-militias-border"]


def test_aliases_resolve_case_and_accent_insensitively(store: GraphStore) -> None:
    ingest(store, [DATA])
    row = store.read(
        "MATCH (e:Entity {id: $id}) RETURN e.aliases AS aliases, e.name AS name", {"id": "kataib-hezbollah"}
    )[0]
    assert row["name"] == "Kataib Hezbollah"
    assert "Kata'ib Hizballah" in row["aliases"]
