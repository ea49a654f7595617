"""What counts as support: denied and planned claims never count as support in a lookup (issue 12).

The fact files here are TEST FIXTURES written for these tests (made-up groups "Test Brigade A/B" and
"Test Front", made-up sources), not curated reporting. They are loaded with the seed gazetteer and
article, on every back end of the `store` fixture.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from agkg import queries
from agkg.graph.store import GraphStore
from agkg.loaders.ingest import ingest, validate
from agkg.lookups import build_profile
from tests.conftest import DATA

ENTITIES = """\
entities:
  - {name: Test Brigade A, kind: group, id: test-brigade-a}
  - {name: Test Brigade B, kind: group, id: test-brigade-b}
  - {name: Test Front, kind: umbrella, id: test-front}
"""
REPORT = f"""\
# TEST FIXTURE (not a real article): a report that asserts, and announces.
source: {{id: fixture-report, title: "Test fixture: a report", publisher: Fixture Wire, published: "2024-01-29"}}
{ENTITIES}
facts:
  - {{subject: Test Brigade A, relation: backed_by, object: Iran, status: reported}}
  - {{subject: Test Brigade B, relation: member_of, object: Test Front, status: planned, since: "2024-02"}}
  - {{subject: Test Brigade A, relation: member_of, object: Test Front, status: reported}}
  - {{subject: Test Front, relation: attacked, object: Israel, status: reported}}
  - {{subject: Test Front, relation: attacked, object: Israel, status: planned, on: "2024-01-23"}}
"""
DENIAL = """\
# TEST FIXTURE (not a real article): a statement that denies.
source: {id: fixture-denial, title: "Test fixture: a denial", publisher: Fixture Times, published: "2024-01-30"}
facts:
  - {subject: Test Brigade A, relation: backed_by, object: Iran, status: denied}
  - {subject: Test Brigade A, relation: allied_with, object: Hezbollah, status: denied}
"""
EVENT_WITH_UNTIL = """\
# TEST FIXTURE (not a real article): an event given an interval.
source: {id: fixture-event, title: "Test fixture: an event", publisher: Fixture Wire, published: "2024-01-30"}
facts:
  - subject: Islamic Resistance in Iraq
    relation: attacked
    object: Israel
    until: "2024-01-30"
"""
ASSERTED = ["asserted"]
WITH_PLANNED = ["asserted", "announced"]
WITH_DENIED = ["asserted", "denied"]


@pytest.fixture
def fixtures(tmp_path: Path) -> Path:
    folder = tmp_path / "fixtures"
    folder.mkdir()
    (folder / "report.yaml").write_text(REPORT, "utf-8")
    (folder / "denial.yaml").write_text(DENIAL, "utf-8")
    return folder


@pytest.fixture
def loaded(store: GraphStore, fixtures: Path) -> GraphStore:
    summary = ingest(store, [DATA, fixtures])
    assert summary.failed == 0, summary.problems
    return store


def run(store: GraphStore, name: str, **params: Any) -> list[dict[str, Any]]:
    return queries.run(store, name, params)


def test_a_relation_denied_elsewhere_is_contested_and_the_denial_is_no_source(loaded: GraphStore) -> None:
    row = next(r for r in run(loaded, "backed-by", state="iran") if r["id"] == "test-brigade-a")
    assert (row["status"], row["sources"]) == ("reported", ["fixture-report"])
    assert (row["contested"], row["denied_by"]) == (True, ["fixture-denial"])
    uncontested = next(r for r in run(loaded, "backed-by", state="iran") if r["id"] == "kataib-hezbollah")
    assert (uncontested["contested"], uncontested["denied_by"]) == (False, [])


def test_a_relation_only_planned_shows_only_when_asked(loaded: GraphStore) -> None:
    assert "test-brigade-b" not in {r["id"] for r in run(loaded, "members", umbrella="test-front")}
    rows = run(loaded, "members", umbrella="test-front", support=WITH_PLANNED)
    planned = next(r for r in rows if r["id"] == "test-brigade-b")
    assert (planned["status"], planned["since"], planned["sources"]) == ("planned", "2024-02", ["fixture-report"])
    assert "test-front" not in {r["id"] for r in run(loaded, "affiliations", id="test-brigade-b")}


def test_a_planned_date_is_never_blended_with_a_reported_status(loaded: GraphStore) -> None:
    for support in (ASSERTED, WITH_PLANNED):
        profile = build_profile(run(loaded, "profile", id="test-front", support=support)[0]).model_dump(mode="json")
        attacked = [r for r in profile["attacked"] if r["id"] == "israel"]
        # The reported claim is undated: the planned claim's 2024-01-23 is not its date.
        assert [(r["status"], r["on"]) for r in attacked] == [("reported", None)]


def test_evidence_shows_every_claim_with_its_own_status_and_date(loaded: GraphStore) -> None:
    rows = run(loaded, "evidence", subject="test-front", relation="attacked", object="israel")
    assert sorted((r["status"], r["on"]) for r in rows) == [("planned", "2024-01-23"), ("reported", None)]
    denied = run(loaded, "evidence", subject="test-brigade-a", relation="backed_by", object="iran")
    assert sorted((r["status"], r["source"]) for r in denied) == [
        ("denied", "Test fixture: a denial"),
        ("reported", "Test fixture: a report"),
    ]


def test_path_never_crosses_a_denied_relation_unless_asked(loaded: GraphStore) -> None:
    params = {"from": "test-brigade-a", "to": "hezbollah", "max_hops": 1}
    assert run(loaded, "path", **params) == []
    rows = run(loaded, "path", support=WITH_DENIED, **params)
    assert [(r["relation"], r["direction"], r["status"], r["sources"]) for r in rows] == [
        ("allied_with", "forward", "denied", ["fixture-denial"])
    ]
    # Longer, it still finds an asserted connection, never the denied one.
    longer = run(loaded, "path", **{**params, "max_hops": 4})
    assert longer and all(step["status"] != "denied" for step in longer)


def test_an_event_relation_with_until_is_an_error(store: GraphStore, tmp_path: Path) -> None:
    bad = tmp_path / "event.yaml"
    bad.write_text(EVENT_WITH_UNTIL, "utf-8")
    summary = validate(store, [DATA, bad])
    assert [str(p) for p in summary.problems] == [
        f"{bad}:7:12: relation attacked is an event: it takes `on` (the date it happened), not `until`; "
        "use `on: 2024-01-30`"
    ]


def test_the_cli_marks_contested_rows_in_tables_and_json(fixtures: Path, tmp_path: Path) -> None:
    agkg = str(Path(sys.executable).parent / "agkg")
    store = str(tmp_path / "store")

    def call(*args: str) -> str:
        wide = {**os.environ, "COLUMNS": "250"}  # a terminal wide enough that no cell is clipped
        done = subprocess.run([agkg, "--store", store, *args], capture_output=True, text=True, timeout=120, env=wide)
        assert done.returncode == 0, done.stderr
        return done.stdout

    call("ingest", str(DATA), str(fixtures))
    table = call("backed-by", "Iran")
    assert any("Test Brigade A" in line and "reported (contested)" in line for line in table.splitlines())
    rows = json.loads(call("backed-by", "Iran", "--format", "json"))
    assert next(r for r in rows if r["id"] == "test-brigade-a")["denied_by"] == ["fixture-denial"]
    steps = json.loads(call("path", "Test Brigade A", "Hezbollah", "--max-hops", "1", "--include-denied", "-f", "json"))
    assert [(s["from_id"], s["to_id"], s["status"]) for s in steps] == [("test-brigade-a", "hezbollah", "denied")]
