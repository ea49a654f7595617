"""graph/schema.yaml is the only schema: a copy with a new relation works end to end, with no code change.

The copy adds `trains` (state -> group or umbrella, inverse `trained_by`); AGKG_SCHEMA points the CLI at
it. The fact file is a TEST FIXTURE (a made-up group and source). Both back ends.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from agkg.graph.neo4j_store import Neo4jStore
from tests.conftest import DATA, REPO

AGKG = str(Path(sys.executable).parent / "agkg")
TRAINS = """
  trains:
    type: TRAINS
    from: [state]
    to: [group, umbrella]
    inverse: trained_by
    description: "trains the fighters of"
"""
FIXTURE = """\
# TEST FIXTURE (not a real article): a relation the stock schema does not have.
source: {id: fixture-training, title: "Test fixture: training", publisher: Fixture Wire, published: "2024-02-01"}
entities:
  - {name: Test Cadet Brigade, kind: group, id: test-cadet-brigade}
facts:
  - subject: Iran
    relation: trains
    object: Test Cadet Brigade
    since: "2019"
    quote: "Iran has trained the brigade since 2019."
"""


@pytest.fixture(params=["falkordb", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def cli(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    schema = (REPO / "graph" / "schema.yaml").read_text("utf-8")
    marker = "\n# Statuses in order of strength"
    extended = tmp_path / "schema.yaml"
    extended.write_text(schema.replace(marker, TRAINS + marker), "utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("AGKG_STORE", "NEO4J_URI")}
    env["AGKG_SCHEMA"] = str(extended)
    neo4j: Neo4jStore | None = None
    if request.param == "neo4j":
        server = request.getfixturevalue("neo4j_env")
        env.update(server)
        store = server["NEO4J_URI"]
        neo4j = Neo4jStore.connect(store, server.get("NEO4J_USERNAME"), server.get("NEO4J_PASSWORD"))
        neo4j.drop()
    else:
        store = str(tmp_path / "store")

    def run(*args: str) -> Any:
        done = subprocess.run(
            [AGKG, "--store", store, *args], capture_output=True, text=True, env=env, timeout=180, cwd=tmp_path
        )
        assert done.returncode == 0, f"agkg {' '.join(args)}: {done.stderr}"
        return json.loads(done.stdout) if "--format" in args or args[0] == "schema-json" else done.stdout

    yield run
    if neo4j is not None:
        neo4j.drop()
        neo4j.close()


def test_a_new_relation_works_through_every_command(cli: Any, tmp_path: Path) -> None:
    facts = tmp_path / "training.yaml"
    facts.write_text(FIXTURE, "utf-8")
    assert "trains" in cli("schema-json")["$defs"]["FactSpec"]["properties"]["relation"]["enum"]
    assert cli("validate", str(DATA), str(facts), "--format", "json")["failed"] == 0
    assert cli("ingest", str(DATA), str(facts), "--format", "json")["failed"] == 0
    iran = cli("profile", "Iran", "--format", "json")
    assert [(r["id"], r["since"]) for r in iran["trains"]] == [("test-cadet-brigade", "2019")]
    cadets = cli("profile", "Test Cadet Brigade", "--format", "json")
    assert [r["id"] for r in cadets["trained_by"]] == ["iran"]
    quotes = cli("evidence", "Iran", "trains", "Test Cadet Brigade", "--format", "json")
    assert [q["quote"] for q in quotes] == ["Iran has trained the brigade since 2019."]
    steps = cli("path", "Test Cadet Brigade", "Iran", "--format", "json")
    assert [(s["relation"], s["direction"]) for s in steps] == [("trains", "backward")]
    assert cli("stats", "--format", "json")["relations"]["trains"] == 1
    assert "trains" in cli("path", "Test Cadet Brigade", "Iran")  # the table too
