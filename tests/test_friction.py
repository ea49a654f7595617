"""An analyst's day without friction (issue 13): exact messages and outputs of the CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import DATA

AGKG = str(Path(sys.executable).parent / "agkg")


def agkg(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("AGKG_STORE", "NEO4J_URI")}
    env["COLUMNS"] = "200"
    return subprocess.run([AGKG, "--store", str(store), *args], capture_output=True, text=True, env=env, timeout=120)


def test_a_missing_path_is_a_usage_error_before_any_lock_or_run(tmp_path: Path) -> None:
    store = tmp_path / "store"
    missing = tmp_path / "nope"
    done = agkg(store, "ingest", str(missing))
    assert (done.returncode, done.stderr) == (2, f"error: {missing}: no such file or directory\n")
    assert not store.exists(), "nothing was started or written for a usage error"
    done = agkg(store, "validate", str(DATA), str(missing))
    assert (done.returncode, done.stderr) == (2, f"error: {missing}: no such file or directory\n")


def test_files_gone_since_the_last_load_are_counted_with_a_hint(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    store = tmp_path / "store"
    assert agkg(store, "ingest", str(data)).returncode == 0
    (data / "jpost-iraq-militias-syrian-border.yaml").unlink()
    done = agkg(store, "ingest", str(data))
    assert done.returncode == 0, done.stderr
    assert done.stderr == (
        "note: 1 file(s) loaded before are gone from the given directories; what they loaded is still in the "
        "graph: run again with --prune to remove it\n"
    )
    summary = json.loads(agkg(store, "ingest", str(data), "--format", "json").stdout)
    assert (summary["gone"], summary["pruned"]) == (1, 0)
    pruned = json.loads(agkg(store, "ingest", str(data), "--prune", "--format", "json").stdout)
    assert (pruned["gone"], pruned["pruned"]) == (0, 1)


def test_stats_separates_knowledge_from_bookkeeping(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert agkg(store, "ingest", str(DATA)).returncode == 0
    counts = json.loads(agkg(store, "stats", "--format", "json").stdout)
    assert list(counts) == ["entities", "relations", "claims", "sources", "bookkeeping"]
    assert counts["entities"] == {"group": 12, "umbrella": 4, "state": 7, "place": 14}
    assert counts["relations"]["member_of"] == 16 and counts["relations"]["allied_with"] == 0
    assert (counts["claims"], counts["sources"]) == (91, 2)  # the article and the gazetteer
    assert set(counts["bookkeeping"]) == {"documents", "entity_declarations", "entity_names", "runs", "locks"}
    table = agkg(store, "stats").stdout.splitlines()
    assert table[0].split() == ["what", "name", "count"]
    assert "Document" not in "\n".join(table) and "IngestRun" not in "\n".join(table)


def test_query_params_resolve_names_and_an_unknown_name_is_an_error(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert agkg(store, "ingest", str(DATA)).returncode == 0
    by_name = agkg(store, "query", "members", "--param", "umbrella=Islamic Resistance in Iraq", "-f", "json")
    by_id = agkg(store, "query", "members", "--param", "umbrella=islamic-resistance-in-iraq", "-f", "json")
    assert by_name.returncode == 0 and json.loads(by_name.stdout) == json.loads(by_id.stdout) != []
    unknown = agkg(store, "query", "members", "--param", "umbrella=Islamic Resistence of Nowhere")
    assert unknown.returncode == 1
    assert unknown.stderr.startswith("error: unknown name 'Islamic Resistence of Nowhere'")


def test_help_and_readme_name_every_format_the_loaders_read() -> None:
    from agkg.loaders.formats import SUFFIXES
    from agkg.loaders.readers import ALL_SUFFIXES
    from tests.conftest import REPO

    assert set(SUFFIXES) == ALL_SUFFIXES
    readme = (REPO / "README.md").read_text("utf-8")
    for command in ("ingest", "validate", "watch"):
        done = subprocess.run([AGKG, command, "--help"], capture_output=True, text=True, timeout=60)
        assert "(.yaml, .yml, .json, .csv, .jsonl)" in " ".join(done.stdout.split()), command
    for suffix in SUFFIXES:
        assert f"`{suffix}`" in readme, f"README.md does not name {suffix}"


def test_evidence_tables_wrap_and_show_each_claim_whole(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert agkg(store, "ingest", str(DATA)).returncode == 0
    quote = "In 2018, many of these groups became an official paramilitary arm of Iraq under the umbrella of the PMU."
    narrow = agkg(store, "--width", "100", "evidence", "KH", "member_of", "PMU").stdout.splitlines()
    header = "subject relation object status since until on source published quote note"
    assert narrow[0].split() == header.split()
    assert max(len(line) for line in narrow) <= 100
    assert len(narrow) > 3, "the claim's row wraps onto more lines"
    start, end = narrow[0].index("quote"), narrow[0].index("note")
    shown = "".join(line[start:end] for line in narrow[2:])
    assert shown.replace(" ", "") == quote.replace(" ", ""), "the quote is shown whole, wrapped in its column"
    assert "2018" in narrow[2] and "reported" in narrow[2]
    one_line = agkg(store, "--no-wrap", "evidence", "KH", "member_of", "PMU").stdout.splitlines()
    assert len(one_line) == 3 and quote in one_line[2]


def test_default_source_ids_are_short_and_stable(tmp_path: Path) -> None:
    # TEST FIXTURE: a source without an id, with the long URL of a real article's address shape.
    url = "https://english.almayadeen.net/news/politics/kataib-hezbollah-suspends-military-and-security-operations"
    text = (
        f"source: {{title: Kataib Hezbollah suspends operations, publisher: Al Mayadeen English, "
        f'published: "2024-01-30", url: "{url}"}}\n'
        "facts:\n  - {subject: Kataib Hezbollah, relation: backed_by, object: Iran, status: denied}\n"
    )
    (tmp_path / "almayadeen.yaml").write_text(text, "utf-8")
    store = tmp_path / "store"
    first = agkg(store, "ingest", str(DATA), str(tmp_path / "almayadeen.yaml"))
    assert first.returncode == 0, first.stderr
    found = json.loads(agkg(store, "evidence", "KH", "backed_by", "Iran", "--format", "json").stdout)
    denial = next(r for r in found if r["status"] == "denied")
    assert denial["url"] == url
    ids = json.loads(agkg(store, "cypher", "MATCH (s:Source) RETURN s.id AS id ORDER BY id", "-f", "json").stdout)
    made = [r["id"] for r in ids if r["id"].startswith("al-mayadeen-english-")]
    assert len(made) == 1 and len(made[0]) == len("al-mayadeen-english-2024-01-30-") + 6, made
    assert agkg(store, "ingest", "--full", str(DATA), str(tmp_path / "almayadeen.yaml")).returncode == 0
    again = json.loads(agkg(store, "cypher", "MATCH (s:Source) RETURN s.id AS id ORDER BY id", "-f", "json").stdout)
    assert again == ids, "the same source gets the same id on every load"


SUGGESTIONS = """\
# TEST FIXTURE: misspelt names where a place, a state and a group are expected.
source: {id: suggestion-test, title: Suggestion test, publisher: Test, published: "2024"}
entities:
  - {name: US occupation forces, kind: group}
  - {name: Iran-backed factions, kind: umbrella}
facts:
  - {subject: US occupation forces, relation: operates_in, object: Syriaa}
  - {subject: Iran-backed factions, relation: backed_by, object: Irann}
"""


def test_suggestions_are_of_a_fitting_kind_or_none(tmp_path: Path) -> None:
    facts = tmp_path / "suggestions.yaml"
    facts.write_text(SUGGESTIONS, "utf-8")
    alone = agkg(tmp_path / "empty", "validate", str(facts))
    # Without the gazetteer nothing fits: no noise such as 'Syria' -> 'US occupation forces'.
    assert alone.stderr.splitlines()[:2] == [
        f"{facts}:7:68: unknown entity 'Syriaa'; declare it under `entities`",
        f"{facts}:8:66: unknown entity 'Irann'; declare it under `entities`",
    ]
    with_places = agkg(tmp_path / "gazetteer", "validate", str(DATA / "gazetteer.yaml"), str(facts))
    assert with_places.stderr.splitlines()[:2] == [
        f"{facts}:7:68: unknown entity 'Syriaa'; did you mean 'Syria'?",
        f"{facts}:8:66: unknown entity 'Irann'; did you mean 'Iran'?",
    ]
