"""Names with quotes, backslashes, braces and Arabic script survive ingest and every lookup unchanged."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from agkg import queries
from agkg.graph.store import GraphStore
from agkg.loaders.ingest import ingest
from agkg.lookups import build_profile, search_entities
from tests.test_lookups_cli import agkg

UMBRELLA = 'The "Resistance" Front {of} \\Iraq\\'
GROUP = "Kata'ib Sayyid al-Shuhada' {{TYPE}} $name"
ARABIC = "كتائب سيد الشهداء"
PLACE = 'Qal\'at "Rum" \\ {x: 1} قلعة'
STATE = "Dawlat 'X' \\n {y}"
FACTS: dict[str, Any] = {
    "source": {
        "id": "names-test",
        "title": 'A "quoted" title with \\ and {braces} — عنوان',
        "publisher": "O'Brien & Sons {Press}",
        "published": "2024-05",
    },
    "entities": [
        {"name": UMBRELLA, "kind": "umbrella", "id": "quoted-front"},
        {"name": GROUP, "kind": "group", "id": "kss", "aliases": [ARABIC, "KSS"]},
        {"name": ARABIC + " الثانية", "kind": "group", "id": "kss-2"},
        {"name": PLACE, "kind": "place", "id": "qalat-rum"},
        {"name": STATE, "kind": "state", "id": "dawlat-x"},
    ],
    "facts": [
        {
            "subject": ARABIC,
            "relation": "member_of",
            "object": UMBRELLA,
            "since": "2020",
            "quote": 'He said "yes" \\ no',
        },
        {"subject": ARABIC + " الثانية", "relation": "member_of", "object": "quoted-front"},
        {"subject": "kss", "relation": "operates_in", "object": PLACE, "until": "2024-03"},
        {"subject": "kss", "relation": "withdrew_from", "object": PLACE, "on": "2024-03"},
        {"subject": UMBRELLA, "relation": "backed_by", "object": STATE},
        {"subject": "kss-2", "relation": "operates_in", "object": PLACE, "status": "denied"},
        {"subject": PLACE, "relation": "located_in", "object": STATE},
    ],
}


@pytest.fixture
def fact_file(tmp_path: Path) -> Path:
    path = tmp_path / "names.json"
    path.write_text(json.dumps(FACTS, ensure_ascii=False), "utf-8")
    return path


@pytest.fixture
def loaded(store: GraphStore, fact_file: Path) -> GraphStore:
    summary = ingest(store, [fact_file])
    assert summary.failed == 0, [str(p) for p in summary.problems]
    return store


def test_names_round_trip_through_every_query(loaded: GraphStore) -> None:
    run = queries.run
    entities = {r["id"]: r for r in run(loaded, "entities")}
    assert entities["kss"]["name"] == GROUP and ARABIC in entities["kss"]["aliases"]
    assert entities["quoted-front"]["name"] == UMBRELLA
    assert entities["qalat-rum"]["name"] == PLACE
    members = run(loaded, "members", {"umbrella": "quoted-front"})
    assert {m["name"] for m in members} == {GROUP, ARABIC + " الثانية"}
    assert run(loaded, "affiliations", {"id": "kss"})[0]["name"] == UMBRELLA
    where = run(loaded, "where", {"id": "kss"})
    assert [(w["place"], w["within"]) for w in where] == [(PLACE, [STATE])]
    operating = run(loaded, "operating-in", {"place": "dawlat-x"})
    assert {(r["group"], r["place"], r["status"]) for r in operating} == {(GROUP, PLACE, "reported")}
    # Changed with issue 12: a denied-only relation is no support; it is listed when denials are asked for.
    operating = run(loaded, "operating-in", {"place": "dawlat-x", "support": ["asserted", "denied"]})
    assert {(r["group"], r["place"], r["status"]) for r in operating} == {
        (GROUP, PLACE, "reported"),
        (ARABIC + " الثانية", PLACE, "denied"),
    }
    assert run(loaded, "withdrawals", {"from": "dawlat-x"})[0]["from"] == PLACE
    assert {r["group"] for r in run(loaded, "backed-by", {"state": "dawlat-x"})} == {
        UMBRELLA,
        GROUP,
        ARABIC + " الثانية",
    }
    # kss-2's presence there is denied: co-located only when denials are asked for (issue 12).
    assert run(loaded, "co-located", {"id": "kss"}) == []
    assert run(loaded, "co-located", {"id": "kss", "support": ["asserted", "denied"]}) == [
        {"group": ARABIC + " الثانية", "id": "kss-2", "places": [PLACE]}
    ]
    steps = run(loaded, "path", {"from": "kss", "to": "dawlat-x"})
    assert steps[0]["from"] == GROUP and steps[-1]["to"] == STATE
    timeline = run(loaded, "timeline", {"id": "kss"})
    assert {(t["subject"], t["object"]) for t in timeline} == {(GROUP, UMBRELLA), (GROUP, PLACE)}
    evidence = run(loaded, "evidence", {"subject": "kss", "relation": "member_of"})
    assert evidence[0]["quote"] == 'He said "yes" \\ no'
    assert evidence[0]["source"] == FACTS["source"]["title"]
    assert evidence[0]["publisher"] == "O'Brien & Sons {Press}"
    profile = build_profile(run(loaded, "profile", {"id": "qalat-rum"})[0]).model_dump(mode="json")
    assert profile["name"] == PLACE
    assert {r["name"] for r in profile["operating_here"]} == {GROUP}  # kss-2's presence is denied
    profile = build_profile(
        run(loaded, "profile", {"id": "qalat-rum", "support": ["asserted", "denied"]})[0]
    ).model_dump(mode="json")
    assert {r["name"] for r in profile["operating_here"]} == {GROUP, ARABIC + " الثانية"}
    found = [hit.model_dump() for hit in search_entities(run(loaded, "entities"), ARABIC, 1)]
    assert found[0]["id"] == "kss" and found[0]["matched"] == ARABIC


def test_names_round_trip_through_the_cli(tmp_path: Path, fact_file: Path) -> None:
    store = tmp_path / "store"
    done = agkg(store, "ingest", str(fact_file))
    assert done.returncode == 0, done.stderr + done.stdout
    members = agkg(store, "members", UMBRELLA, "--format", "json")
    assert members.returncode == 0, members.stderr
    assert {m["name"] for m in json.loads(members.stdout)} == {GROUP, ARABIC + " الثانية"}
    where = agkg(store, "where", ARABIC, "--format", "json")
    assert json.loads(where.stdout)[0]["place"] == PLACE
    table = agkg(store, "operating-in", PLACE, "--include-denied")
    assert table.returncode == 0 and GROUP in table.stdout and "denied" in table.stdout
    csv = agkg(store, "backed-by", STATE, "--format", "csv")
    assert f'"{UMBRELLA.replace(chr(34), chr(34) * 2)}"' in csv.stdout
    profile = json.loads(agkg(store, "profile", GROUP, "--format", "json").stdout)
    assert profile["name"] == GROUP and set(profile["aliases"]) == {ARABIC, "KSS"}
    evidence = json.loads(agkg(store, "evidence", ARABIC, "member_of", UMBRELLA, "--format", "json").stdout)
    assert evidence[0]["quote"] == 'He said "yes" \\ no'
    found = agkg(
        store, "cypher", "MATCH (e:Entity) WHERE e.name = $n RETURN e.id AS id", "-p", f"n={PLACE}", "-f", "json"
    )
    assert json.loads(found.stdout) == [{"id": "qalat-rum"}]
