"""Bad input gets a clear, located error and changes nothing; the valid files given with it still load.

Each file in tests/bad/ is loaded together with the seed data. The messages are
locked as exact strings: a change in wording or location has to change this table.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from agkg.graph.falkor import FalkorStore
from agkg.graph.store import GraphStore
from agkg.loaders.ingest import ingest, validate
from agkg.loaders.names import NameIndex, Unresolved
from agkg.loaders.parse import MAX_FILE_BYTES
from tests.conftest import DATA, REPO
from tests.graph_dump import dump

SEED = [DATA / "gazetteer.yaml", DATA / "jpost-iraq-militias-syrian-border.yaml"]
BAD = REPO / "tests" / "bad"

# file in tests/bad -> the exact problem lines (paths relative to the repository root).
CASES: dict[str, list[str]] = {
    "bad_date.yaml": ["tests/bad/bad_date.yaml:7:12: since: invalid date '2024-13': month 13 is not 01-12"],
    "declared_kind.yaml": [
        "tests/bad/declared_kind.yaml:4:29: entity 'Testistan' is declared as a group, but the fact at line 7 "
        "needs a state: is this kind wrong?",
        "tests/bad/declared_kind.yaml:7:58: relation backed_by does not take a group as object: 'Testistan' is a "
        "group; expected state",
    ],
    "object_list.yaml": [
        "tests/bad/object_list.yaml:6:5: object: expected text, got a list; only `subject` takes a list "
        "(one claim each): write one fact per object"
    ],
    "bad_date_format.yaml": [
        "tests/bad/bad_date_format.yaml:2:62: published: invalid date '12/2024': "
        "expected an ISO date: YYYY, YYYY-MM or YYYY-MM-DD"
    ],
    "broken_json.json": ["tests/bad/broken_json.json:4:77: invalid JSON: trailing comma before '}': remove the comma"],
    "broken_yaml.yaml": [
        "tests/bad/broken_yaml.yaml:5:13: invalid YAML: did not find expected ',' or ']' "
        "(in a flow sequence that starts at line 4, column 14); is a closing ']' missing?"
    ],
    "conflicting_kind.yaml": [
        "tests/bad/conflicting_kind.yaml:5:11: entity 'Iraq' is declared here as a group, but 'Iraq' (id iraq) "
        "is a state: expected kind state, as an entity has one kind"
    ],
    "credibility_out_of_range.yaml": [
        "tests/bad/credibility_out_of_range.yaml:7:18: credibility: 7 is out of range: "
        "expected a whole number from 1 to 6"
    ],
    "disallowed_kind.yaml": [
        "tests/bad/disallowed_kind.yaml:4:14: relation member_of does not take a place as subject: "
        "'Al-Qaim' is a place; expected group or umbrella"
    ],
    "duplicate_entity_entry.yaml": [
        "tests/bad/duplicate_entity_entry.yaml:7:5: entity 'SAD' is declared twice in this file "
        "(first at line 4, as 'Saraya Awliya al-Dam'); merge the two entries"
    ],
    "duplicate_fact.yaml": [
        "tests/bad/duplicate_fact.yaml:8:14: duplicate fact: 'KH' member_of 'Popular Mobilization Units' repeats "
        "the fact at line 4 (same subject, relation, object and dates); merge them or give distinct dates"
    ],
    # One pass: a problem in every phase (schema, declarations, names, relations, kinds, duplicates, dates).
    # No cascade: the facts naming Testistan (its entry's kind is invalid) and Iraq (its declaration
    # conflicts) are not reported again; the fact whose credibility is invalid is not checked further.
    "every_phase.yaml": [
        "tests/bad/every_phase.yaml:2:66: unknown field 'reliabilty' in `source`; did you mean 'reliability'?",
        "tests/bad/every_phase.yaml:4:29: invalid kind 'sate': expected one of group, umbrella, state, place; "
        "did you mean 'state'?",
        "tests/bad/every_phase.yaml:5:24: entity 'Iraq' is declared here as a group, but 'Iraq' (id iraq) is a "
        "state: expected kind state, as an entity has one kind",
        "tests/bad/every_phase.yaml:7:56: local alias 'The brigade' of 'Other Brigade' is also a local alias of "
        "'Test Brigade' in this file: a name must name one entity in a file",
        "tests/bad/every_phase.yaml:9:80: credibility: 9 is out of range: expected a whole number from 1 to 6",
        "tests/bad/every_phase.yaml:12:15: unknown entity 'Kataib Hezbolah'; did you mean 'Kataib Hezbollah'?",
        "tests/bad/every_phase.yaml:13:39: unknown relation 'membr_of'; did you mean 'member_of'?",
        "tests/bad/every_phase.yaml:14:15: relation member_of does not take a place as subject: 'Anbar' is a "
        "place; expected group or umbrella",
        "tests/bad/every_phase.yaml:16:15: duplicate fact: 'Test Brigade' operates_in 'Anbar' repeats the fact at "
        "line 15 (same subject, relation, object and dates); merge them or give distinct dates",
        "tests/bad/every_phase.yaml:17:78: relation withdrew_from is an event: it takes `on` (the date it "
        "happened), not `since`; use `on: 2024`",
    ],
    "empty.yaml": ["tests/bad/empty.yaml:1:1: file is empty: expected a mapping with `source`, `entities` and `facts`"],
    "facts_without_source.yaml": [
        "tests/bad/facts_without_source.yaml:2:1: facts need a `source`: expected a `source` mapping "
        "(title, publisher, published) naming the article they come from"
    ],
    "names_two_entities.yaml": [
        "tests/bad/names_two_entities.yaml:5:5: entity 'Kataib Hezbollah' matches two different entities: "
        "'Asaib Ahl al-Haq' (group, id asaib-ahl-al-haq, matched by 'AAH') and "
        "'Kataib Hezbollah' (group, id kataib-hezbollah, matched by 'Kataib Hezbollah'); "
        "remove the name or alias that belongs to the other one (or make it a `local_aliases` entry, if it is "
        "this article's wording)"
    ],
    "source_id_clash.yaml": [
        "tests/bad/source_id_clash.yaml:3:7: source id 'jpost-iraq-militias-border' is also used by "
        f"{DATA / 'jpost-iraq-militias-syrian-border.yaml'}; give each file its own `source.id`"
    ],
    "subject_list_unknown.yaml": [
        "tests/bad/subject_list_unknown.yaml:4:33: unknown entity 'Asaib Ahl al-Haqq'; did you mean 'Asaib Ahl al-Haq'?"
    ],
    "top_level_list.yaml": [
        "tests/bad/top_level_list.yaml:2:1: expected a mapping with `source`, `entities` and `facts` "
        "at the top level, found a list"
    ],
    "unknown_entity.yaml": [
        "tests/bad/unknown_entity.yaml:4:14: unknown entity 'Kataib Hezbolah'; did you mean 'Kataib Hezbollah'?"
    ],
    "unknown_field.yaml": [
        "tests/bad/unknown_field.yaml:4:5: unknown field 'subjet' in this fact; did you mean 'subject'?"
    ],
    "unknown_kind.yaml": [
        "tests/bad/unknown_kind.yaml:5:11: invalid kind 'gruop': expected one of group, umbrella, state, place; "
        "did you mean 'group'?"
    ],
    "unknown_relation.yaml": [
        "tests/bad/unknown_relation.yaml:5:15: unknown relation 'membr_of'; did you mean 'member_of'?"
    ],
    "unknown_status.yaml": [
        "tests/bad/unknown_status.yaml:7:13: invalid status 'confimed': expected one of confirmed, reported, "
        "claimed, alleged, planned, denied; did you mean 'confirmed'?"
    ],
    "until_before_since.yaml": [
        "tests/bad/until_before_since.yaml:8:12: until '2018-06' is before since '2020': expected an end date "
        "on or after the start date; are they swapped?"
    ],
}

LATIN1 = (
    "# Saved as Latin-1, not UTF-8.\n"
    'source: {title: Non-UTF-8, publisher: Test, published: "2024"}\n'
    "entities:\n"
    "  - name: Brigade Sécurité\n"
    "    kind: group\n"
)


@pytest.fixture(scope="module")
def seed_dump(tmp_path_factory: pytest.TempPathFactory, embedded_dir: Path) -> dict[str, list[str]]:
    """The seed data alone, loaded into a graph of its own: what every bad case must leave behind."""
    baseline = FalkorStore.embedded(embedded_dir, graph_name="bad-input-baseline")
    try:
        summary = ingest(baseline, SEED)
        assert summary.problems == []
        return dump(baseline)
    finally:
        baseline.drop()
        baseline.close()


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run from the repository root so that messages name files as tests/bad/<file>."""
    monkeypatch.chdir(REPO)
    yield


def _check_rejected(store: GraphStore, bad: str | Path, expected: list[str], seed_dump: dict[str, list[str]]) -> None:
    paths = [*SEED, bad]

    checked = validate(store, paths)
    assert [str(p) for p in checked.problems] == expected
    assert dump(store) == {"nodes": [], "edges": []}, "validate() wrote to the graph"

    summary = ingest(store, paths)
    assert [str(p) for p in summary.problems] == expected
    assert (summary.files, summary.loaded, summary.failed) == (3, 2, 1)
    assert list(summary.failed_files) == [str(bad)]
    assert dump(store) == seed_dump


def test_every_bad_file_has_a_case() -> None:
    assert sorted(p.name for p in BAD.iterdir()) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_file_is_rejected_with_exact_message(
    name: str, store: GraphStore, seed_dump: dict[str, list[str]], in_repo: None
) -> None:
    _check_rejected(store, f"tests/bad/{name}", CASES[name], seed_dump)


def test_bad_files_start_with_a_comment_saying_what_is_wrong() -> None:
    for path in BAD.glob("*.yaml"):
        assert path.read_text(encoding="utf-8").startswith("# "), path.name


def test_non_utf8_file(
    store: GraphStore, seed_dump: dict[str, list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("latin1.yaml").write_bytes(LATIN1.encode("latin-1"))
    _check_rejected(
        store,
        "latin1.yaml",
        [
            "latin1.yaml:4:20: invalid UTF-8 byte 0xe9 (the file looks like Windows-1252/Latin-1, where it is 'é'): "
            "expected UTF-8 text; re-save the file as UTF-8"
        ],
        seed_dump,
    )


def test_huge_file(
    store: GraphStore, seed_dump: dict[str, list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with open("huge.yaml", "wb") as handle:
        handle.write(b"# One byte over the limit; the rest is a sparse hole.\n")
        handle.truncate(MAX_FILE_BYTES + 1)
    _check_rejected(
        store,
        "huge.yaml",
        [
            "huge.yaml:1:1: file is too large: 20,971,521 bytes, expected at most 20,971,520 bytes (20 MiB); "
            "split it into one file per article"
        ],
        seed_dump,
    )


def test_ambiguous_name_lists_candidates() -> None:
    # Files cannot create a shared alias today (see the xfail below), so the message is checked on the index.
    index = NameIndex()
    index.add("kataib-hezbollah", "group", "Kataib Hezbollah", ["KH"])
    index.add("khorasan-group", "group", "Khorasan Group", ["KH"])
    with pytest.raises(Unresolved) as caught:
        index.resolve("kh")
    assert caught.value.message == (
        "ambiguous name 'kh': it matches 2 entities, 'Kataib Hezbollah' (group, id kataib-hezbollah), "
        "'Khorasan Group' (group, id khorasan-group); expected a name of one entity: "
        "write its id instead (e.g. 'kataib-hezbollah')"
    )


def test_a_new_entity_may_not_take_another_entitys_alias(store: GraphStore, tmp_path: Path) -> None:
    bad = tmp_path / "khorasan.yaml"
    bad.write_text(
        'source: {title: Khorasan, publisher: Test, published: "2024"}\n'
        "entities:\n"
        "  - name: Khorasan Group\n"
        "    id: khorasan-group\n"
        "    kind: group\n"
        "    aliases: [KH]\n"
        "facts:\n"
        "  - subject: KH\n"
        "    relation: operates_in\n"
        "    object: Syria\n",
        encoding="utf-8",
    )
    summary = ingest(store, [*SEED, bad])
    assert [str(p) for p in summary.problems] == [
        f"{bad}:6:15: entity 'Khorasan Group' (id khorasan-group) shares the name 'KH' with 'Kataib Hezbollah' "
        "(id kataib-hezbollah): a name or alias must name one entity; remove 'KH' here, or drop `id` to add "
        "these names to 'Kataib Hezbollah'"
    ]


def test_first_load_counts_its_sources(store: GraphStore) -> None:
    assert ingest(store, SEED).sources.added == 2


def _agkg() -> list[str]:
    script = Path(sys.executable).parent / "agkg"
    return [str(script)] if script.exists() else [sys.executable, "-m", "agkg.cli.main"]


def test_cli_reports_problems_on_stderr_and_exits_1(tmp_path: Path) -> None:
    bad = "tests/bad/unknown_relation.yaml"
    args = [str(p) for p in SEED] + [bad]

    text = subprocess.run(
        [*_agkg(), "--store", str(tmp_path / "table"), "ingest", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert text.returncode == 1
    assert text.stderr.splitlines() == CASES["unknown_relation.yaml"]
    assert text.stdout.startswith("loaded 2 of 3 file(s), 1 failed;")

    # As JSON (into a fresh store): stdout is only the JSON summary, the problem still goes to stderr.
    as_json = subprocess.run(
        [*_agkg(), "--store", str(tmp_path / "json"), "ingest", "--format", "json", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert as_json.returncode == 1
    assert as_json.stderr.splitlines() == CASES["unknown_relation.yaml"]
    summary = json.loads(as_json.stdout)
    assert (summary["files"], summary["loaded"], summary["failed"]) == (3, 2, 1)
    assert summary["problems"] == CASES["unknown_relation.yaml"]
    assert summary["claims"]["added"] >= 60  # the seed article still loaded
