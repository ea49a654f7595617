"""agkg's own FalkorDB client (`agkg.graph.falkor_wire` over `agkg.graph.resp`) against the falkordb client.

The embedded store no longer goes through redis-py and the `falkordb` client (their imports cost every command
~100 ms); parameters must still travel exactly as that client sends them, and replies must decode to the same
values. Both clients run here against the same real embedded server.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from falkordb.graph import Graph as FalkordbGraph
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agkg.errors import QueryError
from agkg.graph.falkor import FalkorStore, _ServerClient
from agkg.graph.falkor_wire import params_header
from agkg.graph.resp import ReplyError
from agkg.graph.store import GraphStore

# Strings that need escaping in the header, and every JSON-like type the loader and the lookups send.
PARAMS: dict[str, Any] = {
    "quoted": 'The "Resistance" Front {of} \\Iraq\\',
    "apostrophes": "Kata'ib Sayyid al-Shuhada' {{TYPE}} $name",
    "arabic": "كتائب سيد الشهداء",
    "escapes": "Dawlat 'X' \\n {y} \\\\\" end\\",
    "empty": "",
    "none": None,
    "yes": True,
    "no": False,
    "int": -42,
    "big": 2**53 + 1,
    "float": 0.1,
    "list": ["a", 'b"c', 1, None, ["nested", "\\"]],
    "empty_list": [],
    "map": {"key with space": "v", "n": None, "inner": {"l": [1, 2], "s": "x}y"}},
    "rows": [{"s": "g1", "o": "u1", "quote": 'He said "yes" \\ no'}, {"s": "kss", "o": "قلعة", "quote": ""}],
    "tuple": ("x", 2),
}


def falkordb_header(params: dict[str, Any]) -> str:
    # The falkordb client's own encoder: a Graph builds the header without touching its connection.
    graph = FalkordbGraph(SimpleNamespace(execute_command=None), "g")
    header: str = graph._build_params_header(params)
    return header


def test_the_parameter_header_is_the_falkordb_clients() -> None:
    assert params_header(PARAMS) == falkordb_header(PARAMS)
    assert params_header({}) == falkordb_header({}) == "CYPHER "
    assert params_header(None) == ""
    for bad in ({"": 1}, {"a`b": 1}, {"m": {"a`b": 1}}, {"m": {"": 1}}):
        with pytest.raises(ValueError) as ours:
            params_header(bad)
        with pytest.raises(ValueError) as theirs:
            falkordb_header(bad)
        assert str(ours.value) == str(theirs.value)


JSON_LIKE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(st.characters(blacklist_characters="`"), min_size=1, max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # a loaded CI machine draws slowly
@given(st.dictionaries(st.sampled_from(["rows", "ids", "name", "size"]), JSON_LIKE, max_size=3))
def test_any_json_like_parameters_encode_as_the_falkordb_client_encodes_them(params: dict[str, Any]) -> None:
    assert params_header(params) == falkordb_header(params)


def falkordb_client(store: GraphStore) -> _ServerClient:
    """The falkordb client on the same server and graph as `store` (the embedded one)."""
    assert isinstance(store, FalkorStore)
    return _ServerClient(store._client, store.graph_name)


def test_parameters_come_back_unchanged(falkor: GraphStore) -> None:
    text = "RETURN " + ", ".join(f"${name} AS {name}" for name in PARAMS)
    rows = falkor.read(text, PARAMS)
    assert rows == [{**PARAMS, "tuple": ["x", 2]}]
    assert rows == falkordb_client(falkor).query(text, PARAMS, read_only=True)


def test_every_kind_of_value_decodes_as_the_falkordb_client_decodes_it(falkor: GraphStore) -> None:
    falkor.write(
        "CREATE (a:Entity:Group {id: 'g1', name: $name, aliases: ['G', 'ج'], score: 1.5, n: 3, ok: true})"
        "-[:MEMBER_OF {since: '2020', weight: 0.25, sources: ['s1']}]->"
        "(b:Entity:Umbrella {id: 'u1', name: 'U'})-[:OPERATES_IN]->(:Entity:Place {id: 'p1'})",
        {"name": PARAMS["quoted"]},
    )
    # New labels, types and property keys after the first read: the wire client's id tables must refresh.
    falkor.read("MATCH (n:Entity {id: 'g1'}) RETURN n")
    falkor.write("CREATE (:Source {id: 's1', fresh_key: $v})", {"v": PARAMS["arabic"]})
    text = (
        "MATCH p = (a:Entity {id: 'g1'})-[r:MEMBER_OF]->(b)-[:OPERATES_IN]->(c) "
        "MATCH (s:Source {id: 's1'}) "
        "RETURN a, r, b, p, s, [a, r] AS mixed, {k: a.name, n: null, l: [1, 2.5, true, 'x'], m: {z: 1, a: 2}} AS map, "
        "point({latitude: 1.5, longitude: 2.25}) AS pt, null AS nothing, 1.0 AS d, -7 AS i, false AS f, "
        "'كتائب' AS s2, [] AS empty, labels(c) AS labels, type(r) AS type"
    )
    ours = falkor.read(text)
    theirs = falkordb_client(falkor).query(text, {}, read_only=True)
    assert ours == theirs
    row = ours[0]
    assert row["a"] == {
        "_labels": ["Entity", "Group"],
        "aliases": ["G", "ج"],
        "id": "g1",
        "n": 3,
        "name": PARAMS["quoted"],
        "ok": True,
        "score": 1.5,
    }
    assert row["r"] == {"_type": "MEMBER_OF", "since": "2020", "sources": ["s1"], "weight": 0.25}
    assert [n["id"] for n in row["p"]["nodes"]] == ["g1", "u1", "p1"]
    assert [r["_type"] for r in row["p"]["relationships"]] == ["MEMBER_OF", "OPERATES_IN"]
    assert row["s"] == {"_labels": ["Source"], "fresh_key": PARAMS["arabic"], "id": "s1"}
    assert list(row["map"]) == ["k", "l", "m", "n"] and list(row["map"]["m"]) == ["a", "z"]
    assert (row["pt"], row["nothing"], row["d"], row["i"], row["f"]) == (
        {"latitude": 1.5, "longitude": 2.25},
        None,
        1.0,
        -7,
        False,
    )


def test_errors_are_the_same_query_errors(falkor: GraphStore) -> None:
    falkor.write("RETURN 0")  # the graph exists: its errors, not "empty key", come back
    broken = "MATCH (n:Entity) RETRUN n"  # a local, so test_cypher_lint does not collect it
    for text in (broken, "UNWIND [0] AS x RETURN 1 / x AS boom"):
        with pytest.raises(QueryError) as ours:
            falkor.read(text)
        with pytest.raises(ReplyError) as theirs:
            falkordb_client(falkor).query(text, {}, read_only=True)
        assert str(ours.value) == f"query failed: {theirs.value}"
    assert "Division by zero" in str(ours.value)
    with pytest.raises(QueryError) as refused:
        falkor.read("CREATE (:Entity {id: 'x'})")
    assert str(refused.value) == "refused: this command runs read-only queries and the query writes"


def test_a_graph_nobody_wrote_reads_empty(falkor: GraphStore) -> None:
    assert falkor.read("MATCH (n:Entity) RETURN n.id AS id") == []
