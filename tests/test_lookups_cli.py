"""The lookup commands end to end: the `agkg` executable on a real embedded store holding the seed data."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer

from agkg.cli.main import app

REPO = Path(__file__).resolve().parent.parent
AGKG = Path(sys.executable).with_name("agkg")


def agkg(store: Path | None, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("AGKG_STORE", "NEO4J_URI")}
    env["COLUMNS"] = "200"
    prefix = ["--store", str(store)] if store else []
    return subprocess.run(
        [str(AGKG), *prefix, *args], capture_output=True, text=True, env=env, timeout=120, check=False, cwd=REPO
    )


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("cli-store")
    done = agkg(store, "ingest", str(REPO / "data"))
    assert done.returncode == 0, done.stderr
    return store


def rows(store: Path, *args: str) -> list[dict[str, Any]]:
    done = agkg(store, *args, "--format", "json")
    assert done.returncode == 0, done.stderr
    parsed = json.loads(done.stdout)  # nothing but the JSON array on stdout
    assert isinstance(parsed, list)
    return parsed


def lookup_commands() -> dict[str, Any]:
    commands: dict[str, Any] = getattr(typer.main.get_command(app), "commands", {})
    return {name: c for name, c in commands.items() if getattr(c, "rich_help_panel", None) == "Lookups"}


def test_members_by_alias_as_json(seeded: Path) -> None:
    found = rows(seeded, "members", "PMU")
    names = {r["name"] for r in found}
    assert {"Kataib Hezbollah", "Asaib Ahl al-Haq", "Harakat Hezbollah al-Nujaba"} <= names
    fields = {"name", "id", "kind", "via", "since", "until", "status", "sources", "contested", "denied_by"}
    assert set(found[0]) == fields


def test_members_by_arabic_alias_and_as_of(seeded: Path) -> None:
    found = rows(seeded, "members", "المقاومة الإسلامية في العراق", "--as-of", "2023-09")
    assert found == []
    assert len(rows(seeded, "members", "IRI", "--as-of", "2024")) == 3


def test_border_table_and_csv(seeded: Path) -> None:
    table = agkg(seeded, "border", "Iraq", "Syrian Arab Republic", "--as-of", "2025-01")
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].split()[:4] == ["group", "id", "place", "state"]
    assert re.match(r"^-+(  -+)+$", lines[1])
    assert any("Al-Qaim" in line and "Pro-Iranian militias in Iraq" in line for line in lines)
    csv = agkg(seeded, "border", "iraq", "syria", "--format", "csv")
    assert csv.returncode == 0, csv.stderr
    assert csv.stdout.splitlines()[0] == "group,id,place,state,since,until,status,sources,contested,denied_by"


def test_withdrawals_with_filters(seeded: Path) -> None:
    found = rows(seeded, "withdrawals", "--from", "Syria", "--since", "2024-12")
    assert {r["group"] for r in found} == {"Pro-Iranian militias in Iraq", "Fatimiyun", "Syrian regime forces"}
    # Changed with issue 12: a planned move is an announcement, shown only with --include-planned.
    assert rows(seeded, "withdrawals", "--group", "Iraqi militias", "--from", "Iraqi-Syrian strip") == []
    planned = rows(
        seeded, "withdrawals", "--group", "Iraqi militias", "--from", "Iraqi-Syrian strip", "--include-planned"
    )
    assert [(r["from"], r["status"]) for r in planned] == [("Iraqi-Syrian border strip", "planned")]


def test_profile_is_one_json_object(seeded: Path) -> None:
    done = agkg(seeded, "profile", "kataib hizballah", "--format", "json")
    assert done.returncode == 0, done.stderr
    profile = json.loads(done.stdout)
    keys = "id name kind aliases member_of members part_of operates_in withdrew_from backed_by attacked allied_with"
    assert set(keys.split()) | {"sources"} <= set(profile)
    assert profile["id"] == "kataib-hezbollah"
    assert {m["id"] for m in profile["member_of"]} >= {"popular-mobilization-units", "islamic-resistance-in-iraq"}
    fields = {"name", "id", "since", "until", "on", "status", "sources", "contested", "denied_by"}
    assert set(profile["member_of"][0]) == fields


def test_path_evidence_timeline_search_co_located(seeded: Path) -> None:
    steps = rows(seeded, "path", "KH", "Al-Qaim")
    assert [s["to"] for s in steps] == ["Pro-Iranian militias in Iraq", "Al-Qaim"]
    quotes = rows(seeded, "evidence", "Kataib Hezbollah", "member-of", "PMU")
    assert len(quotes) == 1 and quotes[0]["publisher"] == "The Jerusalem Post"
    # RELATION may be left out: a second name is the object.
    assert rows(seeded, "evidence", "Kataib Hezbollah", "PMU") == quotes
    dates = [r["date"] for r in rows(seeded, "timeline", "Fatimiyun")]
    assert dates == ["2024-12", "2024-12"]
    assert rows(seeded, "search", "Hizballah")[0]["id"] == "hezbollah"
    assert {r["id"] for r in rows(seeded, "co-located", "Iraqi army")} == {
        "iraqi-border-guards",
        "pro-iranian-militias-iraq",
    }
    assert rows(seeded, "where", "Fatimiyun")[0]["place"] == "Syria"
    assert {r["group"] for r in rows(seeded, "operating-in", "Al-Tanf")} == {
        "US forces at Al-Tanf",
        "Pro-Iranian militias in Iraq",
    }
    assert any(r["via"] == ["Axis of Resistance"] for r in rows(seeded, "backed-by", "Iran"))
    assert rows(seeded, "affiliations", "Nujaba")[0]["depth"] == 1


def test_unknown_name_suggests_and_exits_1(seeded: Path) -> None:
    done = agkg(seeded, "members", "Popular Mobilisation Unit")
    assert done.returncode == 1
    assert "unknown name 'Popular Mobilisation Unit'" in done.stderr
    assert "did you mean 'Popular Mobilization Units'" in done.stderr
    assert done.stdout == ""
    wrong_kind = agkg(seeded, "backed-by", "Hezbollah")
    assert wrong_kind.returncode == 1 and "needs a state" in wrong_kind.stderr


def test_empty_result_says_so_and_exits_0(seeded: Path) -> None:
    done = agkg(seeded, "members", "Islamic Resistance in Iraq", "--as-of", "2020")
    assert done.returncode == 0
    assert done.stdout.strip() == "No members of Islamic Resistance in Iraq in the graph on 2020-01-01."
    assert agkg(seeded, "members", "IRI", "--as-of", "2020", "--format", "json").stdout.strip() == "[]"


def test_bad_date_is_a_usage_error(seeded: Path) -> None:
    done = agkg(seeded, "members", "PMU", "--as-of", "2024-13")
    assert done.returncode == 2 and "--as-of" in done.stderr


def test_query_list_and_run_by_name(seeded: Path) -> None:
    listed = {r["name"] for r in rows(seeded, "query", "--list")}
    assert {"members", "border", "path", "entities"} <= listed
    found = rows(seeded, "query", "members", "--param", "umbrella=axis-of-resistance", "--param", "direct=true")
    assert "pro-iranian-militias-iraq" not in {r["id"] for r in found}
    assert "hezbollah" in {r["id"] for r in found}
    dated = rows(seeded, "query", "members", "-p", "umbrella=islamic-resistance-in-iraq", "-p", "as_of=2020-01-01")
    assert dated == []
    shown = agkg(seeded, "query", "members", "--show")
    assert shown.stdout.startswith("// name: members") and ":param umbrella => " in shown.stdout
    missing = agkg(seeded, "query", "members")
    assert missing.returncode == 2 and "umbrella" in missing.stderr


def test_cypher_is_read_only(seeded: Path) -> None:
    found = rows(seeded, "cypher", "MATCH (e:Entity {kind: $kind}) RETURN e.id AS id ORDER BY id", "-p", "kind=state")
    assert [r["id"] for r in found][:2] == ["afghanistan", "iran"]
    refused = agkg(seeded, "cypher", "MATCH (e:Entity {id: 'iran'}) SET e.name = 'x' RETURN e")
    assert refused.returncode == 1
    assert "refused" in refused.stderr and "read-only" in refused.stderr
    assert rows(seeded, "cypher", "MATCH (e:Entity {id: 'iran'}) RETURN e.name AS name") == [{"name": "Iran"}]


def test_every_lookup_command_has_help_with_an_example() -> None:
    commands = lookup_commands()
    assert len(commands) == 15
    for name, command in commands.items():
        text = command.help or ""
        assert f"Example: agkg {name}" in text, f"`agkg {name} --help` has no example"


def test_help_lists_the_lookups_quickly() -> None:
    done = agkg(None, "--help")
    assert done.returncode == 0
    for name in lookup_commands():
        assert name in done.stdout


def test_readme_lists_every_command() -> None:
    readme = REPO / "README.md"
    if not readme.exists():
        pytest.skip("README.md is not written yet")
    text = readme.read_text("utf-8")
    commands: dict[str, Any] = getattr(typer.main.get_command(app), "commands", {})
    missing = [name for name in commands if f"agkg {name}" not in text]
    assert not missing, f"README.md does not mention: {', '.join('agkg ' + m for m in missing)}"


def test_an_unexpected_error_is_one_line_and_exit_70(tmp_path: Path) -> None:
    # A schema file whose relation lacks its `type`: nothing catches the KeyError on purpose.
    broken = tmp_path / "schema.yaml"
    broken.write_text("kinds: {group: {label: Group}}\nrelations: {x: {from: [group], to: [group]}}\nstatuses: {}\n")
    env = {**os.environ, "AGKG_SCHEMA": str(broken)}
    done = subprocess.run(
        [str(AGKG), "--store", str(tmp_path / "store"), "stats"], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 70
    assert done.stderr == ("error: internal error: KeyError: 'type' (run with AGKG_DEBUG=1 for the traceback)\n"), (
        done.stderr
    )
    debug = subprocess.run(
        [str(AGKG), "--store", str(tmp_path / "store"), "stats"],
        capture_output=True,
        text=True,
        env={**env, "AGKG_DEBUG": "1"},
        timeout=60,
    )
    assert debug.returncode == 1 and "Traceback (most recent call last)" in debug.stderr
