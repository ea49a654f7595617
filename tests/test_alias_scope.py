"""Alias scope (issue 13): `aliases` name an entity everywhere, `local_aliases` only in the file that gives them;
a new global alias that is a common word or a place's name gets a warning (never a failure)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from agkg.api import Graph
from agkg.errors import NotFound
from agkg.graph.store import GraphStore
from agkg.loaders.ingest import ingest, validate
from agkg.loaders.names import common_words, normalise
from tests.conftest import DATA

SEED = [DATA / "gazetteer.yaml", DATA / "jpost-iraq-militias-syrian-border.yaml"]

# TEST FIXTURE: an article whose own wording ("the Axis", "Damascus" for Syria's government) is local to it.
LOCAL = """\
source: {id: local-article, title: Local wording, publisher: Test, published: "2024-12"}
entities:
  - {name: Axis of Resistance, kind: umbrella, local_aliases: [the Axis]}
  - {name: Syria, kind: state, local_aliases: [Damascus]}
facts:
  - {subject: Kataib Hezbollah, relation: member_of, object: the Axis, quote: "KH, part of the Axis"}
  - {subject: Syrian regime forces, relation: backed_by, object: Damascus}
"""

# TEST FIXTURE: a later article that uses the first article's local wording.
LATER = """\
source: {id: later-article, title: Later wording, publisher: Test, published: "2025-01"}
facts:
  - {subject: Hezbollah, relation: member_of, object: the Axis}
  - {subject: Hezbollah, relation: operates_in, object: Damascus}
"""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, "utf-8")
    return path


def test_a_local_alias_resolves_only_in_its_own_file(store: GraphStore, tmp_path: Path) -> None:
    local = _write(tmp_path, "a-local.yaml", LOCAL)
    later = _write(tmp_path, "b-later.yaml", LATER)
    first = ingest(store, [*SEED, local])
    assert (first.problems, first.warnings, first.loaded) == ([], [], 3)

    claims = store.read(
        "MATCH (c:Claim) WHERE c.doc = $doc RETURN c.subject_id AS s, c.relation AS r, c.object_id AS o ORDER BY s",
        {"doc": "local-article"},
    )
    assert claims == [
        {"s": "kataib-hezbollah", "r": "member_of", "o": "axis-of-resistance"},
        {"s": "syrian-regime-forces", "r": "backed_by", "o": "syria"},
    ]
    graph = Graph(store)
    for name in ("the Axis", "Damascus"):
        with pytest.raises(NotFound):  # a lookup never resolves a file's local alias
            graph.entity(name)
    records = store.read(
        "MATCH (r:EntityRecord) WHERE r.doc = $doc RETURN r.entity_id AS id, r.local_aliases AS local ORDER BY id",
        {"doc": "local-article"},
    )
    assert records == [
        {"id": "axis-of-resistance", "local": ["the Axis"]},
        {"id": "syria", "local": ["Damascus"]},
    ]
    names = store.read(
        "MATCH (k:EntityKey) WHERE k.key IN $keys RETURN k.key AS key", {"keys": ["the axis", "damascus"]}
    )
    assert names == []

    # Incremental: the later file, loaded on its own, cannot see the first file's local wording.
    second = ingest(store, [*SEED, local, later])
    assert [str(p) for p in second.problems] == [
        f"{later}:3:55: unknown entity 'the Axis'; did you mean 'Axis of Resistance'?",
        f"{later}:4:57: unknown entity 'Damascus'; did you mean 'United States'?",
    ]
    assert (second.skipped, second.loaded, second.failed) == (3, 0, 1)


def test_a_local_alias_goes_when_its_file_drops_it(store: GraphStore, tmp_path: Path) -> None:
    local = _write(tmp_path, "a-local.yaml", LOCAL)
    assert ingest(store, [*SEED, local]).problems == []
    local.write_text(
        LOCAL.replace(", local_aliases: [Damascus]", "").replace("object: Damascus", "object: Syria"), "utf-8"
    )
    assert ingest(store, [*SEED, local]).problems == []
    records = store.read(
        "MATCH (r:EntityRecord) WHERE r.doc = $doc RETURN r.entity_id AS id, r.local_aliases AS local ORDER BY id",
        {"doc": "local-article"},
    )
    assert records == [
        {"id": "axis-of-resistance", "local": ["the Axis"]},
        {"id": "syria", "local": None},
    ]


def test_a_local_alias_shadows_a_global_name_in_its_file_only(store: GraphStore, tmp_path: Path) -> None:
    # TEST FIXTURE: "Iran" written for the Iran-backed umbrella of the article, in its own wording only.
    text = (
        'source: {id: shadow-article, title: Shadow, publisher: Test, published: "2024"}\n'
        "entities:\n"
        "  - {name: Axis of Resistance, kind: umbrella, local_aliases: [Iran]}\n"
        "facts:\n"
        "  - {subject: Hamas, relation: member_of, object: Iran}\n"
    )
    shadow = _write(tmp_path, "shadow.yaml", text)
    assert ingest(store, [*SEED, shadow]).problems == []
    claims = store.read(
        "MATCH (c:Claim) WHERE c.doc = $doc RETURN c.subject_id AS s, c.object_id AS o", {"doc": "shadow-article"}
    )
    assert claims == [{"s": "hamas", "o": "axis-of-resistance"}]
    assert Graph(store).entity("Iran").id == "iran"  # everywhere else, Iran is the state


# TEST FIXTURE: new global aliases that are common words, or another entry's place name (declared in a file
# loaded after this one), next to harmless ones (an acronym that spells a common word is not warned) and to
# the same forms made local.
WARNED = """\
source: {id: warned-article, title: Warned, publisher: Test, published: "2024"}
entities:
  - {name: Axis of Resistance, kind: umbrella, aliases: [Axis, Resistance Axis]}
  - {name: Test Kingdom, kind: state, aliases: [Testville]}
  - {name: Test Militia, kind: group, aliases: [The Group, AL], local_aliases: [the militia, Testville]}
facts:
  - {subject: Test Militia, relation: backed_by, object: Test Kingdom}
"""

# TEST FIXTURE: a gazetteer, loaded after the article, that declares Testville as a place.
PLACES = """\
source: {id: z-places, title: Places, publisher: Test, published: "2024"}
entities:
  - {name: Testville, kind: place}
"""


def test_new_global_aliases_that_are_common_words_or_place_names_are_warned(store: GraphStore, tmp_path: Path) -> None:
    warned = _write(tmp_path, "a-warned.yaml", WARNED)
    summary = validate(store, [*SEED, warned])
    advice = "if it is this article's wording, move it to `local_aliases`"
    assert [str(w) for w in summary.warnings] == [
        f"{warned}:3:58: warning: new global alias 'Axis' is a common word: it would name 'Axis of Resistance' "
        f"in every file and every lookup; {advice}",
        f"{warned}:5:49: warning: new global alias 'The Group' is a common word: it would name 'Test Militia' "
        f"in every file and every lookup; {advice}",
    ]
    assert (summary.problems, summary.failed) == ([], 0)

    places = _write(tmp_path, "z-places.yaml", PLACES)
    both = validate(store, [*SEED, warned, places])
    assert [str(w) for w in both.warnings][1] == (
        f"{warned}:4:49: warning: new global alias 'Testville' is also the name of a place 'Testville' declared "
        f"at {places}:3: it would name 'Test Kingdom' in every file and every lookup; {advice}"
    )
    # The warning says why the gazetteer then fails: its Testville is the article's alias of a state.
    assert [str(p) for p in both.problems] == [
        f"{places}:3:29: entity 'Testville' is declared here as a place, but 'Test Kingdom' (id test-kingdom) is a "
        "state: expected kind state, as an entity has one kind ('Testville' is an alias of 'Test Kingdom': if a "
        "file gave it as its own wording, make it a `local_aliases` entry there)"
    ]

    # Loading again: the aliases are not new any more, so they are not warned twice.
    assert ingest(store, [*SEED, warned]).warnings != []
    again = _write(tmp_path, "b-again.yaml", WARNED.replace("warned-article", "again-article"))
    assert validate(store, [*SEED, warned, again]).warnings == summary.warnings


def test_an_alias_naming_a_known_place_of_another_kind_suggests_local_aliases(
    store: GraphStore, tmp_path: Path
) -> None:
    # TEST FIXTURE: the Amman-for-Jordan mistake against a known place: a new state takes Anbar's alias.
    text = (
        'source: {id: anbar-alias, title: Anbar alias, publisher: Test, published: "2024"}\n'
        "entities:\n"
        "  - {name: Test Republic, kind: state, aliases: [Anbar]}\n"
    )
    bad = _write(tmp_path, "anbar-alias.yaml", text)
    assert [str(p) for p in validate(store, [*SEED, bad]).problems] == [
        f"{bad}:3:50: alias 'Anbar' of 'Test Republic' (state) names 'Anbar Province' (place, id anbar): a name "
        "or alias must name one entity; if 'Anbar' is this article's wording, make it a `local_aliases` entry, "
        "else remove it"
    ]


def test_two_entities_may_not_share_a_local_alias_in_one_file(store: GraphStore, tmp_path: Path) -> None:
    text = (
        'source: {id: twice-local, title: Twice, publisher: Test, published: "2024"}\n'
        "entities:\n"
        "  - {name: Kataib Hezbollah, kind: group, local_aliases: [the Brigades]}\n"
        "  - {name: Asaib Ahl al-Haq, kind: group, local_aliases: [The Brigades]}\n"
    )
    bad = _write(tmp_path, "twice.yaml", text)
    assert [str(p) for p in validate(store, [*SEED, bad]).problems] == [
        f"{bad}:4:59: local alias 'The Brigades' of 'Asaib Ahl al-Haq' is also a local alias of "
        "'Kataib Hezbollah' in this file: a name must name one entity in a file"
    ]


def test_the_common_word_list_is_package_data_and_spares_the_seed_aliases() -> None:
    words = common_words()
    assert {"axis", "the group", "government", "al"} <= words
    from ruamel.yaml import YAML

    for path in SEED:
        for entry in YAML(typ="safe").load(path.read_text("utf-8"))["entities"]:
            assert not {normalise(a) for a in entry.get("aliases", [])} & words, entry["name"]


def test_cli_prints_warnings_with_locations_counts_them_and_exits_0(tmp_path: Path) -> None:
    warned = _write(tmp_path, "a-warned.yaml", WARNED)
    env = {k: v for k, v in os.environ.items() if k not in ("AGKG_STORE", "NEO4J_URI")}
    agkg = str(Path(sys.executable).parent / "agkg")
    done = subprocess.run(
        [agkg, "--store", str(tmp_path / "store"), "ingest", str(DATA), str(warned)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert [line.split(": warning: ")[0] for line in done.stderr.splitlines()] == [
        f"{warned}:3:58",
        f"{warned}:5:49",
    ]
    assert done.stdout.rstrip().endswith("; 2 warning(s)")


def test_json_lines_entities_take_local_aliases_and_are_checked_in_one_pass(store: GraphStore, tmp_path: Path) -> None:
    # TEST FIXTURE: a JSON Lines file with a local alias, a fact using it, and a problem of each phase.
    lines = [
        '{"source": {"id": "jsonl-local", "title": "JSONL", "publisher": "Pipeline", "published": "2025-01"}}',
        '{"entity": {"name": "Syria", "kind": "state", "local_aliases": ["Damascus"]}}',
        '{"subject": "Syrian regime forces", "relation": "backed_by", "object": "Damascus"}',
        '{"subject": "Hezbollah", "relation": "operates_in", "object": "Syria", "credibility": 0}',
        '{"subject": "Hezbolah", "relation": "operates_in", "object": "Syria"}',
    ]
    facts = _write(tmp_path, "pipeline.jsonl", "\n".join(lines) + "\n")
    assert [str(p) for p in validate(store, [*SEED, facts]).problems] == [
        f"{facts}:4:87: credibility: 0 is out of range: expected a whole number from 1 to 6",
        f"{facts}:5:13: unknown entity 'Hezbolah'; did you mean 'Hezbollah'?",
    ]
    facts.write_text("\n".join(lines[:3]) + "\n", "utf-8")
    summary = ingest(store, [*SEED, facts])
    assert (summary.problems, summary.loaded) == ([], 3)
    claims = store.read(
        "MATCH (c:Claim) WHERE c.doc = $doc RETURN c.subject_id AS s, c.object_id AS o", {"doc": "jsonl-local"}
    )
    assert claims == [{"s": "syrian-regime-forces", "o": "syria"}]
