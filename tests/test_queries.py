"""Golden answers of the canned queries on the curated seed data, through the library runner.

Runs on every back end of the `store` fixture (FalkorDB always, Neo4j when NEO4J_URI is set).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from agkg import queries
from agkg.errors import NotFound, UsageError
from agkg.graph.store import GraphStore
from agkg.loaders.ingest import ingest
from agkg.lookups import build_profile, search_entities

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture
def seeded(store: GraphStore) -> GraphStore:
    summary = ingest(store, [DATA])
    assert summary.failed == 0
    return store


def run(store: GraphStore, name: str, **params: Any) -> list[dict[str, Any]]:
    return queries.run(store, name, params)


def ids(rows: list[dict[str, Any]]) -> set[str]:
    return {r["id"] for r in rows}


def by_id(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in rows}


# --- members and affiliations ------------------------------------------------------------------


def test_members_of_pmu_include_the_three_named_factions(seeded: GraphStore) -> None:
    rows = run(seeded, "members", umbrella="popular-mobilization-units")
    assert {"kataib-hezbollah", "asaib-ahl-al-haq", "harakat-hezbollah-al-nujaba", "pro-iranian-militias-iraq"} <= ids(
        rows
    )
    kh = by_id(rows)["kataib-hezbollah"]
    assert kh["via"] == [] and kh["since"] == "2018" and kh["status"] == "reported"
    assert kh["sources"] == ["jpost-iraq-militias-border"]
    assert len(rows) == len(ids(rows)), "one row per member"


def test_members_go_through_nested_umbrellas_unless_direct(seeded: GraphStore) -> None:
    rows = by_id(run(seeded, "members", umbrella="axis-of-resistance"))
    # Pro-Iranian militias in Iraq is a member of the PMU, which is a member of the Axis.
    assert rows["pro-iranian-militias-iraq"]["via"] == ["Popular Mobilization Units"]
    assert rows["hezbollah"]["via"] == []
    direct = ids(run(seeded, "members", umbrella="axis-of-resistance", direct=True))
    assert "pro-iranian-militias-iraq" not in direct
    assert {"hezbollah", "palestinian-islamic-jihad", "popular-mobilization-units", "kataib-hezbollah"} <= direct


def test_members_as_of_a_date_skip_later_memberships(seeded: GraphStore) -> None:
    # The three joined the Islamic Resistance in Iraq in October 2023.
    assert run(seeded, "members", umbrella="islamic-resistance-in-iraq", as_of="2023-09-30") == []
    later = ids(run(seeded, "members", umbrella="islamic-resistance-in-iraq", as_of="2023-10-01"))
    assert later == {"kataib-hezbollah", "asaib-ahl-al-haq", "harakat-hezbollah-al-nujaba"}


def test_affiliations_climb_to_the_state(seeded: GraphStore) -> None:
    rows = by_id(run(seeded, "affiliations", id="kataib-hezbollah"))
    assert rows["popular-mobilization-units"]["depth"] == 1
    assert rows["iraq"]["depth"] == 2
    assert rows["iraq"]["relation"] == "part_of"
    assert rows["iraq"]["via"] == ["Popular Mobilization Units"]
    # Before 2018 the PMU was not yet part of the Iraqi state, and KH was in it only through the
    # (undated) membership of the Pro-Iranian militias in Iraq.
    early = by_id(run(seeded, "affiliations", id="kataib-hezbollah", as_of="2017-06-01"))
    assert "iraq" not in early
    assert early["popular-mobilization-units"]["via"] == ["Pro-Iranian militias in Iraq"]
    assert early["popular-mobilization-units"]["depth"] == 2


# --- places -------------------------------------------------------------------------------------------


def test_where_lists_places_with_their_containers(seeded: GraphStore) -> None:
    rows = by_id(run(seeded, "where", id="pro-iranian-militias-iraq"))
    assert rows["al-qaim"]["within"][:1] == ["Anbar Province"] or rows["al-qaim"]["within"][:1] == [
        "Iraqi-Syrian border strip"
    ]
    assert {"Anbar Province", "Iraq", "Iraqi-Syrian border strip"} == set(rows["al-qaim"]["within"])
    assert rows["albukamal"]["within"] == ["Deir Ezzor Governorate", "Syria"]
    assert rows["albukamal"]["until"] == "2024-12"
    assert rows["syria"]["since"] == "2018"
    assert all(r["via"] is None for r in rows.values())


def test_where_as_of_after_the_fall_of_assad_is_the_iraqi_side(seeded: GraphStore) -> None:
    rows = run(seeded, "where", id="pro-iranian-militias-iraq", as_of="2025-01-15")
    assert ids(rows) == {"al-qaim", "hasiba-al-gharbiya", "al-rummanah", "iraq-syria-border-strip"}


def test_where_a_member_inherits_its_umbrellas_places_unless_direct(seeded: GraphStore) -> None:
    rows = by_id(run(seeded, "where", id="kataib-hezbollah", as_of="2025-01-15"))
    assert rows["al-qaim"]["via"] == "Pro-Iranian militias in Iraq"
    assert run(seeded, "where", id="kataib-hezbollah", direct=True) == []


def test_operating_in_includes_places_within(seeded: GraphStore) -> None:
    rows = run(seeded, "operating-in", place="anbar")
    pairs = {(r["id"], r["place"]) for r in rows}
    assert ("pro-iranian-militias-iraq", "Al-Qaim") in pairs
    assert ("iraqi-border-guards", "Anbar Province") in pairs
    syria = {(r["id"], r["place"]) for r in run(seeded, "operating-in", place="syria", as_of="2024-06-01")}
    assert ("pro-iranian-militias-iraq", "Albukamal") in syria
    assert ("fatimiyun", "Syria") in syria
    assert ("us-forces-al-tanf", "Al-Tanf") in syria


def test_withdrawals_from_syria_after_the_fall_of_assad(seeded: GraphStore) -> None:
    rows = run(seeded, "withdrawals", **{"from": "syria"})
    assert ids(rows) == {"pro-iranian-militias-iraq", "fatimiyun", "syrian-regime-forces"}
    assert {r["on"] for r in rows} == {"2024-12"}
    assert {r["from"] for r in rows} == {"Syria"}


def test_withdrawals_show_planned_ones_only_when_asked_and_filter_by_date(seeded: GraphStore) -> None:
    # Changed with issue 12: a planned withdrawal ("may move") is an announcement, not support, so it is
    # left out by default (it was listed with status planned before) and shown when announced ones are asked for.
    rows = run(seeded, "withdrawals", group="pro-iranian-militias-iraq")
    assert {r["from"]: r["status"] for r in rows} == {"Syria": "reported"}
    rows = run(seeded, "withdrawals", group="pro-iranian-militias-iraq", support=["asserted", "announced"])
    statuses = {r["from"]: r["status"] for r in rows}
    assert statuses == {"Syria": "reported", "Iraqi-Syrian border strip": "planned"}
    assert run(seeded, "withdrawals", since="2025-01-01") == []
    assert run(seeded, "withdrawals", until="2024-11-30") == []
    # Three, not four (before issue 12): the fourth is the planned move to the border strip.
    assert len(run(seeded, "withdrawals", since="2024-12-01", until="2024-12-31")) == 3
    announced = run(seeded, "withdrawals", since="2024-12-01", until="2024-12-31", support=["asserted", "announced"])
    assert len(announced) == 4
    # Places within a place count: nothing withdrew from Iraq itself or from anything located in it.
    assert run(seeded, "withdrawals", **{"from": "deir-ezzor-governorate"}) == []


def test_backed_by_iran_directly_and_through_umbrellas(seeded: GraphStore) -> None:
    rows = by_id(run(seeded, "backed-by", state="iran"))
    assert rows["kataib-hezbollah"]["via"] == []
    assert rows["fatimiyun"]["via"] == []
    assert rows["hezbollah"]["via"] == ["Axis of Resistance"]
    assert rows["palestinian-islamic-jihad"]["via"] == ["Axis of Resistance"]
    assert "hamas" not in rows
    assert len(run(seeded, "backed-by", state="iran")) == len(rows), "one row per group"


def test_border_finds_the_factions_in_al_qaim_and_the_strip(seeded: GraphStore) -> None:
    rows = run(seeded, "border", state_a="iraq", state_b="syria", as_of="2025-01-15")
    places = {(r["id"], r["place"]) for r in rows}
    assert ("pro-iranian-militias-iraq", "Al-Qaim") in places
    assert ("pro-iranian-militias-iraq", "Iraqi-Syrian border strip") in places
    assert ("iraqi-army", "Iraqi-Syrian border strip") in places
    assert ("pro-iranian-militias-iraq", "Albukamal") not in places  # left in December 2024
    strip = next(r for r in rows if r["place"] == "Iraqi-Syrian border strip")
    assert strip["state"] == ["Iraq", "Syria"]
    al_qaim = next(r for r in rows if r["place"] == "Al-Qaim")
    assert al_qaim["state"] == ["Iraq"]
    # The Euphrates valley lies in both states but borders neither: not a border place.
    assert "Euphrates River Valley" not in {r["place"] for r in run(seeded, "border", state_a="iraq", state_b="syria")}


def test_border_is_symmetric_in_its_states(seeded: GraphStore) -> None:
    one = run(seeded, "border", state_a="iraq", state_b="syria")
    other = run(seeded, "border", state_a="syria", state_b="iraq")
    assert one == other
    assert ("pro-iranian-militias-iraq", "Albukamal") in {(r["id"], r["place"]) for r in one}
    assert run(seeded, "border", state_a="iraq", state_b="afghanistan") == []


def test_co_located_groups_share_a_place(seeded: GraphStore) -> None:
    rows = by_id(run(seeded, "co-located", id="pro-iranian-militias-iraq"))
    assert rows["iraqi-army"]["places"] == ["Iraqi-Syrian border strip"]
    assert rows["isis"]["places"] == ["Euphrates River Valley"]
    assert "pro-iranian-militias-iraq" not in rows
    later = ids(run(seeded, "co-located", id="pro-iranian-militias-iraq", as_of="2025-01-15"))
    assert later == {"iraqi-army", "iraqi-border-guards"}


# --- connections, timeline, evidence ---------------------------------------------------------------------


def test_path_is_the_shortest_connection(seeded: GraphStore) -> None:
    rows = run(seeded, "path", **{"from": "kataib-hezbollah", "to": "al-qaim"})
    assert rows == [
        {
            "step": 1,
            "from": "Kataib Hezbollah",
            "from_id": "kataib-hezbollah",
            "relation": "member_of",
            "direction": "forward",
            "to": "Pro-Iranian militias in Iraq",
            "to_id": "pro-iranian-militias-iraq",
            "status": "reported",
            "sources": ["jpost-iraq-militias-border"],
            "contested": False,
            "denied_by": [],
        },
        {
            "step": 2,
            "from": "Pro-Iranian militias in Iraq",
            "from_id": "pro-iranian-militias-iraq",
            "relation": "operates_in",
            "direction": "forward",
            "to": "Al-Qaim",
            "to_id": "al-qaim",
            "status": "reported",
            "sources": ["jpost-iraq-militias-border"],
            "contested": False,
            "denied_by": [],
        },
    ]
    assert run(seeded, "path", max_hops=1, **{"from": "kataib-hezbollah", "to": "al-qaim"}) == []


def test_path_marks_relations_followed_backwards(seeded: GraphStore) -> None:
    rows = run(seeded, "path", **{"from": "iran", "to": "fatimiyun"})
    assert [(r["from"], r["relation"], r["direction"], r["to"]) for r in rows] == [
        ("Iran", "backed_by", "backward", "Fatimiyun")
    ]


PAIRS = [
    ("kataib-hezbollah", "al-qaim", 4),
    ("iran", "al-tanf", 4),
    ("hezbollah", "us-forces-al-tanf", 6),
    ("hamas", "albukamal", 6),
    ("afghanistan", "deir-ezzor", 3),
    ("fatimiyun", "iraqi-army", 2),
]


def test_timeline_is_in_date_order(seeded: GraphStore) -> None:
    rows = run(seeded, "timeline", id="pro-iranian-militias-iraq")
    assert rows[0]["date"] == "2018" and rows[0]["relation"] == "operates_in" and rows[0]["what"] == "since"
    dates = [r["date"] for r in rows]
    assert dates == sorted(dates)
    assert {"on", "since", "until"} == {r["what"] for r in rows}
    assert any(r["relation"] == "withdrew_from" and r["status"] == "planned" for r in rows)
    # Claims where the entity is the object count too.
    iraq = run(seeded, "timeline", id="iraq")
    assert any(r["subject"] == "ISIS" and r["relation"] == "attacked" and r["date"] == "2014" for r in iraq)


def test_evidence_gives_source_and_quote(seeded: GraphStore) -> None:
    rows = run(
        seeded, "evidence", subject="kataib-hezbollah", relation="member_of", object="popular-mobilization-units"
    )
    assert len(rows) == 1
    row = rows[0]
    assert row["publisher"] == "The Jerusalem Post" and row["published"] == "2024-12"
    assert row["quote"].startswith("In 2018, many of these groups")
    assert (row["status"], row["credibility"]) == ("reported", 2)
    every = run(seeded, "evidence", subject="kataib-hezbollah")
    assert {r["relation"] for r in every} == {"member_of", "backed_by"}


def test_evidence_for_symmetric_relations_works_either_way_round(seeded: GraphStore) -> None:
    one = run(seeded, "evidence", subject="syria", relation="borders", object="iraq")
    other = run(seeded, "evidence", subject="iraq", relation="borders", object="syria")
    assert len(one) == 1 and one == other


def test_profile_has_every_relation_list(seeded: GraphStore) -> None:
    rows = run(seeded, "profile", id="popular-mobilization-units")
    assert len(rows) == 1
    profile = build_profile(rows[0]).model_dump(mode="json")
    assert "PMU" in profile["aliases"]
    assert {m["id"] for m in profile["members"]} >= {"kataib-hezbollah", "pro-iranian-militias-iraq"}
    assert [m["id"] for m in profile["member_of"]] == ["axis-of-resistance"]
    assert profile["part_of"][0] == {
        "name": "Iraq",
        "id": "iraq",
        "since": "2018",
        "until": None,
        "on": None,
        "status": "reported",
        "sources": ["jpost-iraq-militias-border"],
        "contested": False,
        "denied_by": [],
    }
    assert [b["id"] for b in profile["backed_by"]] == ["iran"]
    assert [a["id"] for a in profile["attacked"]] == ["isis"]
    assert profile["allied_with"] == [] and profile["operates_in"] == []
    assert [s["id"] for s in profile["sources"]] == ["jpost-iraq-militias-border"]


def test_profile_of_an_entity_without_relations(seeded: GraphStore) -> None:
    rows = run(seeded, "profile", id="lebanon", as_of="1900-01-01")
    assert len(rows) == 1
    profile = build_profile(rows[0]).model_dump(mode="json")
    assert profile["name"] == "Lebanon"
    # Relations without dates are valid at any date.
    assert {b["id"] for b in profile["borders"]} == {"syria", "israel"}


def test_search_matches_spellings_and_scripts(seeded: GraphStore) -> None:
    rows = run(seeded, "entities")
    assert search_entities(rows, "hizbalah", 3)[0].id == "hezbollah"
    assert search_entities(rows, "Nujabah", 3)[0].id == "harakat-hezbollah-al-nujaba"
    arabic = search_entities(rows, "الحشد الشعبي", 3)[0].model_dump()
    assert (arabic["id"], arabic["score"]) == ("popular-mobilization-units", 100)
    assert search_entities(rows, "zzzzqqq", 3) == []


# --- the runner ------------------------------------------------------------------------------------------------


def test_runner_refuses_unknown_and_missing_parameters(seeded: GraphStore) -> None:
    with pytest.raises(UsageError, match="no parameter colour"):
        run(seeded, "members", umbrella="popular-mobilization-units", colour="red")
    with pytest.raises(UsageError, match="needs parameter"):
        run(seeded, "members")
    with pytest.raises(NotFound, match="did you mean 'members'"):
        run(seeded, "membres")


def test_runner_on_an_empty_graph_returns_no_rows(store: GraphStore) -> None:
    assert run(store, "members", umbrella="popular-mobilization-units") == []
    assert run(store, "entities") == []


def test_cypher_literals_of_the_headers() -> None:
    assert queries.literal("'it\\'s'") == "it's"
    assert queries.literal('"a\\\\b"') == "a\\b"
    assert queries.literal("[1, 2.5, true, null, 'x']") == [1, 2.5, True, None, "x"]
    assert queries.literal("{a: 1, `b`: 'c'}".replace("`b`", "'b'")) == {"a": 1, "b": "c"}
    with pytest.raises(ValueError):
        queries.literal("popular-mobilization-units")
    for value in ["it's \\ {x}", "كتائب", 3, None, True, [1, "a"]]:
        assert queries.literal(queries.to_literal(value)) == value


def test_header_parse_errors_are_clear() -> None:
    with pytest.raises(queries.HeaderError, match="lacks `// description"):
        queries.parse("x.cypher", "// name: x\nRETURN 1")
    with pytest.raises(queries.HeaderError, match="names the query 'y'"):
        queries.parse("x.cypher", "// name: y\n// description: d\nRETURN 1")
    parsed = queries.parse(
        "x.cypher",
        "// name: x\n// description: d\n// param: a entity  An id\n// param: b boolean  Flag (default false)\n"
        "// example:\n// :param a => 'q'\n// :param b => true\nRETURN $a, $b",
    )
    assert [(p.name, p.type, p.required, p.default) for p in parsed.params] == [
        ("a", "entity", True, None),
        ("b", "boolean", False, False),
    ]
    assert parsed.example == {"a": "q", "b": True}
    assert parsed.text == "RETURN $a, $b"
    with pytest.raises(queries.HeaderError, match=r"x.cypher:3: expected `// param: NAME TYPE  description`"):
        queries.parse("x.cypher", "// name: x\n// description: d\n// param: a  An id\nRETURN $a")


def test_parameters_are_typed_as_their_header_declares() -> None:
    members = queries.get("members")
    direct, as_of, support = (members.param(n) for n in ("direct", "as_of", "support"))
    assert direct is not None and as_of is not None and support is not None
    assert queries.typed(direct, "true") is True
    assert queries.typed(as_of, "2024") == "2024"  # a date stays text, whatever it looks like
    assert queries.typed(support, "['asserted', 'denied']") == ["asserted", "denied"]
    assert queries.typed(as_of, "null") is None
    with pytest.raises(UsageError, match="parameter direct: 'yes' is not true or false"):
        queries.typed(direct, "yes")
