"""The Python API: the README's example runs, and every lookup's rows equal what its command prints."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import typer

from agkg import Graph
from agkg.cli.main import app
from tests.conftest import DATA, REPO

AGKG = str(Path(sys.executable).parent / "agkg")


def readme_example() -> str:
    text = (REPO / "README.md").read_text("utf-8")
    section = text[text.index("## Python API") :]
    found = re.search(r"```python\n(.*?)```", section, re.S)
    assert found, "README: the Python API section has no python example"
    return found[1]


def test_the_readme_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    shutil.copytree(DATA, tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    exec(compile(readme_example(), "README.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith("ok ")
    assert any("Kataib Hezbollah" in line for line in printed)
    assert any("'relation': 'member_of'" in line for line in printed)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Graph, Path]]:
    where = tmp_path_factory.mktemp("api-store")
    with Graph.open(str(where)) as graph:
        assert graph.ingest([DATA]).summary.failed == 0
        yield graph, where


def cli_json(store: Path, *args: str) -> Any:
    env = {k: v for k, v in os.environ.items() if k not in ("AGKG_STORE", "NEO4J_URI")}
    done = subprocess.run(
        [AGKG, "--store", str(store), *args, "--format", "json"], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


# Every lookup command: its arguments, and the same call through the API.
CASES: dict[str, list[tuple[list[str], Callable[[Graph], Any]]]] = {
    "profile": [(["profile", "KH"], lambda g: g.profile("KH"))],
    "members": [
        (["members", "PMU"], lambda g: g.members("PMU")),
        (
            ["members", "Axis of Resistance", "--direct", "--as-of", "2024"],
            lambda g: g.members("Axis of Resistance", direct=True, as_of="2024"),
        ),
    ],
    "affiliations": [(["affiliations", "Kataib Hezbollah"], lambda g: g.affiliations("Kataib Hezbollah"))],
    "where": [
        (["where", "Kataib Hezbollah", "--as-of", "2025-01"], lambda g: g.where("Kataib Hezbollah", as_of="2025-01"))
    ],
    "operating-in": [(["operating-in", "Anbar"], lambda g: g.operating_in("Anbar"))],
    "withdrawals": [
        (
            ["withdrawals", "--from", "Syria", "--include-planned"],
            lambda g: g.withdrawals(from_="Syria", include_planned=True),
        )
    ],
    "backed-by": [(["backed-by", "Iran"], lambda g: g.backed_by("Iran"))],
    "border": [(["border", "Iraq", "Syria"], lambda g: g.border("Iraq", "Syria"))],
    "co-located": [(["co-located", "Iraqi army"], lambda g: g.co_located("Iraqi army"))],
    "path": [(["path", "KH", "Al-Qaim"], lambda g: g.path("KH", "Al-Qaim"))],
    "timeline": [(["timeline", "Fatimiyun"], lambda g: g.timeline("Fatimiyun"))],
    "evidence": [(["evidence", "KH", "member_of", "PMU"], lambda g: g.evidence("KH", "member_of", "PMU"))],
    "search": [(["search", "hizballah"], lambda g: g.search("hizballah"))],
    "query": [
        (
            ["query", "members", "-p", "umbrella=PMU", "-p", "direct=true"],
            lambda g: g.query("members", umbrella="PMU", direct=True),
        )
    ],
    "cypher": [
        (
            ["cypher", "MATCH (e:Entity {kind: $kind}) RETURN e.id AS id ORDER BY id", "-p", "kind=state"],
            lambda g: g.cypher("MATCH (e:Entity {kind: $kind}) RETURN e.id AS id ORDER BY id", kind="state"),
        )
    ],
}


def dumped(value: Any) -> Any:
    if isinstance(value, list):
        return [dumped(v) for v in value]
    return value.model_dump(mode="json") if hasattr(value, "model_dump") else value


def test_every_lookup_command_is_a_method_whose_rows_are_its_json(loaded: tuple[Graph, Path]) -> None:
    graph, where = loaded
    commands: dict[str, Any] = getattr(typer.main.get_command(app), "commands", {})
    lookups = {name for name, c in commands.items() if getattr(c, "rich_help_panel", None) == "Lookups"}
    assert lookups == set(CASES), "every lookup command needs a case here"
    for name in lookups:
        assert hasattr(graph, name.replace("-", "_")), f"Graph has no method for `agkg {name}`"
    for cases in CASES.values():
        for args, call in cases:
            api = dumped(call(graph))
            assert api, f"{args}: the seed data should answer this"
            assert api == cli_json(where, *args), args
