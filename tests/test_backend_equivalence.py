"""FalkorDB and Neo4j give the same answers.

The seed data and, separately, a small generated corpus with cycles and ties are loaded into a fresh
FalkorDB graph and into the suite's Neo4j. Then

* every canned query runs on both, on parameter cases drawn from the data (tests/test_query_equivalence.py's
  `cases()` plus the queries it leaves out), and must give the same rows in the same order, except where
  the query's final ORDER BY leaves rows tied: the sequence of ORDER BY keys must be identical, and the rows
  that share a key must be the same multiset;
* every lookup command of the CLI (the commands of the "Lookups" help panel) runs as a subprocess with
  `--format json` against each store and must print the same JSON (again allowing only tied rows to swap),
  exit with the same code and say the same on stderr;
* `agkg cypher` returns nodes, relationships and paths in one shape on both.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from agkg import queries
from agkg.graph.falkor import FalkorStore
from agkg.graph.schema import SUPPORTS, load_schema
from agkg.graph.store import GraphStore
from agkg.loaders.dates import parse_partial_date
from agkg.loaders.ingest import ingest
from agkg.loaders.names import normalise
from tests.conftest import DATA, emptied_neo4j
from tests.graph_dump import dump
from tests.test_lookups_cli import lookup_commands
from tests.test_query_equivalence import cases, ids

pytestmark = pytest.mark.neo4j

REPO = Path(__file__).resolve().parent.parent
AGKG = Path(sys.executable).with_name("agkg")
Row = dict[str, Any]


# --- stores ---------------------------------------------------------------------------------------------


@pytest.fixture
def neo4j(neo4j_env: dict[str, str]) -> Iterator[GraphStore]:
    yield from emptied_neo4j(neo4j_env)


@pytest.fixture
def falkor_cli(embedded_dir: Path) -> Iterator[GraphStore]:
    """The graph `agkg --store <embedded_dir>` opens (the CLI's default graph name) on the session's server."""
    store = FalkorStore.embedded(embedded_dir, graph_name="agkg")
    store.drop()
    yield store
    store.drop()
    store.close()


@pytest.fixture(params=["seed", "corpus"])
def dataset(request: pytest.FixtureRequest) -> Path:
    if request.param == "seed":
        return DATA
    path: Path = request.getfixturevalue("corpus")
    return path


def load_both(falkor: GraphStore, neo4j: GraphStore, data: Path) -> None:
    for store in (falkor, neo4j):
        summary = ingest(store, [data])
        assert summary.failed == 0, summary.problems
    # The loader wrote the same graph to both (the ledger and the lock hold times and hosts).
    assert dump(falkor) == dump(neo4j)


# --- comparing rows ------------------------------------------------------------------------------------

# ORDER BY keys that are not columns of the rows, and how to compute them from a row. A query whose final
# ORDER BY uses any other expression that is not a column fails the test until it is added here.
HIDDEN_KEYS: dict[tuple[str, str], Callable[[Row], Any]] = {
    # r.on_lo is the first day of r.on, which the rows show as `on`.
    ("withdrawals", "r.on_lo"): lambda row: parse_partial_date(row["on"]).lo if row["on"] else None,
    # d[2] is the first day of the date the row shows as `date`.
    ("timeline", "d[2]"): lambda row: parse_partial_date(row["date"]).lo,
    # c.status_rank is the rank graph/schema.yaml gives the claim's status.
    ("evidence", "c.status_rank"): lambda row: load_schema().status_rank(row["status"]),
}


def _split_top(text: str, sep: str = ",") -> list[str]:
    """`text` split at `sep` outside brackets and quotes."""
    parts: list[str] = []
    depth = 0
    quote = ""
    current: list[str] = []
    for char in text:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"`":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == sep and depth == 0:
            parts.append("".join(current).strip())
            current = []
            continue
        current.append(char)
    parts.append("".join(current).strip())
    return [p for p in parts if p]


def _top_level(text: str) -> str:
    """`text` with everything inside brackets and quotes blanked out (same length), to find clauses."""
    out: list[str] = []
    depth = 0
    quote = ""
    for char in text:
        if quote:
            quote = "" if char == quote else quote
            out.append(" ")
        elif char in "'\"`":
            quote = char
            out.append(" ")
        elif char in "([{":
            depth += 1
            out.append(" ")
        elif char in ")]}":
            depth -= 1
            out.append(" ")
        else:
            out.append(char if depth == 0 else " ")
    return "".join(out)


def _unquote(name: str) -> str:
    return name[1:-1] if name.startswith("`") and name.endswith("`") else name


def final_order(text: str) -> tuple[list[str], dict[str, str]]:
    """The expressions of the final ORDER BY (directions dropped) and the final RETURN's `expression -> column`."""
    flat = " ".join(text.split())
    top = _top_level(flat)
    returns = [m.end() for m in re.finditer(r"\bRETURN\b", top, re.IGNORECASE)]
    assert returns, "no RETURN"
    tail, tail_top = flat[returns[-1] :], top[returns[-1] :]
    order = re.search(r"\bORDER\s+BY\b", tail_top, re.IGNORECASE)
    end = re.search(r"\b(SKIP|LIMIT)\b", tail_top, re.IGNORECASE)
    items_text = tail[: order.start() if order else (end.start() if end else len(tail))]
    items_text = re.sub(r"^\s*DISTINCT\b", "", items_text, flags=re.IGNORECASE)
    columns: dict[str, str] = {}
    for item in _split_top(items_text):
        parts = re.split(r"\s+AS\s+", item, flags=re.IGNORECASE)
        columns[parts[0].strip()] = _unquote(parts[-1].strip())
    if order is None:
        return [], columns
    keys_text = tail[order.end() : end.start() if end and end.start() > order.end() else len(tail)]
    keys = [re.sub(r"\s+(ASC|ASCENDING|DESC|DESCENDING)$", "", k, flags=re.IGNORECASE) for k in _split_top(keys_text)]
    return keys, columns


def key_function(query: str, expression: str, columns: dict[str, str]) -> Callable[[Row], Any]:
    """How to compute ORDER BY `expression` of `query` from one of its rows."""
    name = _unquote(expression)
    if name in columns.values():
        return lambda row: row[name]
    if expression in columns:
        column = columns[expression]
        return lambda row: row[column]
    sized = re.fullmatch(r"size\((.+)\)", expression, re.IGNORECASE)
    if sized:
        inner = key_function(query, sized[1].strip(), columns)
        return lambda row: None if inner(row) is None else len(inner(row))
    null_test = re.fullmatch(r"(.+?)\s+IS\s+(NOT\s+)?NULL", expression, re.IGNORECASE)
    if null_test:
        inner = key_function(query, null_test[1].strip(), columns)
        negated = bool(null_test[2])
        return lambda row: (inner(row) is None) != negated
    if (query, expression) in HIDDEN_KEYS:
        return HIDDEN_KEYS[(query, expression)]
    raise AssertionError(
        f"query '{query}': ORDER BY {expression} is not a column of its rows; add how to compute it from a row "
        "to HIDDEN_KEYS in tests/test_backend_equivalence.py"
    )


def order_keys(name: str) -> Callable[[Row], tuple[Any, ...]]:
    """The final ORDER BY of canned query `name` as a function of a row; every back end's text must agree."""
    query = queries.get(name)
    orders = {backend: final_order(query.text_for(backend)) for backend in ("falkordb", "neo4j")}
    keys, columns = orders["falkordb"]
    assert orders["neo4j"][0] == keys, f"query '{name}': the back ends' texts order differently: {orders}"
    functions = [key_function(name, k, columns) for k in keys]
    return lambda row: tuple(f(row) for f in functions)


# Lists in rows that a query builds without an order (a pattern comprehension, collect() after no ORDER BY):
# compared as multisets. The lookup commands sort them before printing.
UNORDERED: dict[str, set[str]] = {}


def canonical(value: Any) -> str:
    """One text per value: tells 1 from 1.0 and "1", keeps list order and the order of keys."""
    return json.dumps(value, ensure_ascii=False, default=str)


def runs(rows: Sequence[Row], key: Callable[[Row], tuple[Any, ...]]) -> list[tuple[str, Counter[str]]]:
    """Consecutive rows with equal keys, as (key, multiset of rows)."""
    out: list[tuple[str, Counter[str]]] = []
    for row in rows:
        k = canonical(key(row))
        if out and out[-1][0] == k:
            out[-1][1][canonical(row)] += 1
        else:
            out.append((k, Counter([canonical(row)])))
    return out


def unordered(name: str, rows: Sequence[Row]) -> list[Row]:
    """`rows` with the lists `name` builds without an order sorted."""
    columns = UNORDERED.get(name, set())
    return [{k: sorted(v, key=canonical) if k in columns else v for k, v in row.items()} for row in rows]


def same_answer(name: str, falkor_rows: Sequence[Row], neo4j_rows: Sequence[Row]) -> bool:
    """Whether two answers of canned query `name` agree: the same rows in the same order, up to ties."""
    falkor_rows, neo4j_rows = unordered(name, falkor_rows), unordered(name, neo4j_rows)
    if [canonical(r) for r in falkor_rows] == [canonical(r) for r in neo4j_rows]:
        return True
    key = order_keys(name)
    return runs(falkor_rows, key) == runs(neo4j_rows, key)


def difference(falkor_rows: Any, neo4j_rows: Any) -> str:
    return f"\nFalkorDB: {canonical(falkor_rows)[:3000]}\nNeo4j:    {canonical(neo4j_rows)[:3000]}"


# --- (a) canned queries ---------------------------------------------------------------------------------


def more_cases(store: GraphStore) -> Iterator[tuple[str, dict[str, Any]]]:
    """The canned queries `cases()` leaves out, and more of `evidence` and `profile`."""
    dates = [None, "2012-06-01", "2023-10-01"]
    yield "entities", {}
    for row in store.read("MATCH (e:Entity) RETURN e.id AS id, e.name AS name, e.aliases AS aliases ORDER BY id"):
        for name in (row["id"], row["name"], *(row["aliases"] or [])):
            yield "resolve-name", {"key": normalise(name)}
    yield "resolve-name", {"key": "no such name anywhere"}
    for place in ids(store, "place", "OPERATES_IN", 4) + ids(store, "state", "OPERATES_IN", 2):
        for as_of in dates:
            yield "operating-in", {"place": place, "as_of": as_of}
        yield "timeline", {"id": place}
    for group in ids(store, "group", "OPERATES_IN", 4) + ids(store, "umbrella", "OPERATES_IN", 2):
        for as_of in dates:
            yield "co-located", {"id": group, "as_of": as_of}
    for entity in ids(store, None, "MEMBER_OF", 6):
        yield "timeline", {"id": entity}
        yield "co-located", {"id": entity}
        yield "profile", {"id": entity}
    entities = [r["id"] for r in store.read("MATCH (e:Entity) RETURN e.id AS id ORDER BY id")]
    for a, b in zip(entities[::5], entities[2::5], strict=False):
        for hops in (2, 4):
            yield "path", {"from": a, "to": b, "max_hops": hops}


def with_every_support(
    found: Sequence[tuple[str, dict[str, Any]]],
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each case as it is, and again following every relation (announced and denied too) where the query can."""
    for name, params in found:
        yield name, params
        if queries.get(name).param("support") is not None and "support" not in params:
            yield name, {**params, "support": list(SUPPORTS)}


def test_every_canned_query_gives_the_same_rows(falkor: GraphStore, neo4j: GraphStore, dataset: Path) -> None:
    load_both(falkor, neo4j, dataset)
    covered: set[str] = set()
    answered: Counter[str] = Counter()
    for name, params in with_every_support([*cases(falkor), *more_cases(falkor)]):
        query = queries.get(name)
        bound = queries.bind(query, params)
        mine = falkor.read(query.text_for(falkor.backend), bound)
        theirs = neo4j.read(query.text_for(neo4j.backend), bound)
        assert same_answer(name, mine, theirs), f"{name} {params}{difference(mine, theirs)}"
        covered.add(name)
        answered[name] += bool(mine)
    assert covered == set(queries.catalogue()), f"no case for {sorted(set(queries.catalogue()) - covered)}"
    empty = sorted(name for name in covered if not answered[name])
    # Comparing only empty answers would prove little: the data must give every query some rows.
    assert empty == [], f"only empty answers for {empty}"


# --- (b) the lookup commands ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    args: tuple[str, ...]
    query: str | None = None  # the canned query whose rows the JSON holds, for comparing tied rows
    fails: bool = False  # exits 1 on purpose (failures must fail alike)

    @property
    def command(self) -> str:
        return self.args[0]


def agkg(store: str, env: dict[str, str], args: Sequence[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(AGKG), "--store", store, *args, "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
        cwd=REPO,
    )


def cli_env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("AGKG_STORE",) and not k.startswith("NEO4J_")}
    env.update(extra)
    env["COLUMNS"] = "200"
    return env


class Names:
    """A name for each entity that the CLI resolves to it alone: an alias where one does, to exercise resolution."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store

    def __call__(self, entity_id: str) -> str:
        row = self.store.read(
            "MATCH (e:Entity {id: $id}) RETURN e.name AS name, e.aliases AS aliases", {"id": entity_id}
        )[0]
        for name in (*(row["aliases"] or []), row["name"]):
            if len(queries.run(self.store, "resolve-name", key=normalise(name))) == 1:
                return str(name)
        return entity_id


def cli_calls(store: GraphStore) -> list[Call]:
    """Lookups on the loaded data: every command, most of their options, and two failures."""
    name = Names(store)
    umbrella = ids(store, "umbrella", "MEMBER_OF", 2)
    group = ids(store, "group", "MEMBER_OF", 2)
    place = ids(store, "place", "OPERATES_IN", 1) + ids(store, "state", "OPERATES_IN", 1)
    states = ids(store, "state", "BORDERS", 4) + ids(store, "state", "LOCATED_IN", 4)
    # Two states with groups on their border.
    border = next(
        (a, b) for a in states for b in states if a < b and queries.run(store, "border", state_a=a, state_b=b)
    )
    backer = ids(store, "state", "BACKED_BY", 1)
    withdrawal = store.read(
        "MATCH (g:Entity)-[r:WITHDREW_FROM]->(p:Entity) WHERE r.support = 'asserted' "
        "RETURN g.id AS group, p.id AS place ORDER BY g.id, p.id LIMIT 1"
    )[0]
    active = ids(store, "group", "OPERATES_IN", 1) + ids(store, "umbrella", "OPERATES_IN", 1)
    full_name = store.read("MATCH (e:Entity {id: $id}) RETURN e.name AS name", {"id": group[0]})[0]["name"]
    claim = store.read(
        "MATCH (c:Claim) RETURN c.subject_id AS s, c.relation AS r, c.object_id AS o ORDER BY c.id LIMIT 1"
    )[0]
    return [
        Call(("profile", name(group[0]), "--as-of", "2023-10")),
        Call(("members", name(umbrella[0])), "members"),
        Call(("members", name(umbrella[1]), "--direct", "--as-of", "2024-06", "--include-planned"), "members"),
        Call(("affiliations", name(group[0])), "affiliations"),
        Call(("where", name(group[1])), "where"),
        Call(("where", name(active[0]), "--direct", "--as-of", "2024-06"), "where"),
        Call(("operating-in", name(place[0]), "--as-of", "2023-10"), "operating-in"),
        Call(("withdrawals", "--include-planned", "--include-denied"), "withdrawals"),
        Call(("withdrawals", "--group", name(withdrawal["group"]), "--from", name(withdrawal["place"])), "withdrawals"),
        Call(("backed-by", name(backer[0])), "backed-by"),
        Call(("border", name(border[1]), name(border[0])), "border"),
        Call(("co-located", name(active[1]), "--as-of", "2024-06"), "co-located"),
        Call(("path", name(group[0]), name(place[0]), "--max-hops", "3", "--include-denied"), "path"),
        Call(("timeline", name(group[0])), "timeline"),
        Call(("evidence", name(group[0])), "evidence"),
        Call(("evidence", name(claim["s"]), claim["r"], name(claim["o"])), "evidence"),
        Call(("search", full_name[:-1].lower(), "--limit", "5")),
        Call(("query", "--list")),
        Call(("query", "members", "-p", f"umbrella={umbrella[0]}", "-p", "as_of=2024-01-01"), "members"),
        Call(
            (
                "cypher",
                "MATCH (e:Entity {kind: $kind}) RETURN e.id AS id, e.name AS name ORDER BY id",
                "-p",
                "kind=state",
            )
        ),
        Call(
            (
                "cypher",
                "MATCH p = (a:Entity {id: $id})-[r:MEMBER_OF]->(b:Entity) RETURN a, r, b, p ORDER BY b.id",
                "-p",
                f"id={group[0]}",
            )
        ),
        Call(("members", "Nothing Named Like This"), fails=True),
        Call(("backed-by", name(group[0])), fails=True),
    ]


def test_every_lookup_command_prints_the_same_json(
    falkor_cli: GraphStore, neo4j: GraphStore, neo4j_env: dict[str, str], embedded_dir: Path, dataset: Path
) -> None:
    load_both(falkor_cli, neo4j, dataset)
    calls = cli_calls(falkor_cli)
    assert {c.command for c in calls} == set(lookup_commands()), "every lookup command needs a case here"
    stores = [(str(embedded_dir), cli_env({})), (neo4j_env["NEO4J_URI"], cli_env(neo4j_env))]
    with ThreadPoolExecutor(max_workers=4) as pool:
        done = list(pool.map(lambda job: agkg(*job), [(s, e, c.args) for c in calls for s, e in stores]))
    for i, call in enumerate(calls):
        mine, theirs = done[2 * i], done[2 * i + 1]
        shown = f"agkg {' '.join(call.args)}"
        assert (mine.returncode != 0) == call.fails, f"{shown}: exit {mine.returncode}: {mine.stderr}"
        failed = difference([mine.returncode, mine.stderr], [theirs.returncode, theirs.stderr])
        assert (mine.returncode, mine.stderr) == (theirs.returncode, theirs.stderr), f"{shown}{failed}"
        if mine.returncode != 0:
            assert mine.stdout == theirs.stdout == ""
            continue
        assert json.loads(mine.stdout), f"{shown}: an empty answer proves little; pick other arguments"
        if mine.stdout == theirs.stdout:
            continue
        ours, other = json.loads(mine.stdout), json.loads(theirs.stdout)
        assert call.query is not None and same_answer(call.query, ours, other), f"{shown}{difference(ours, other)}"


# --- the shape of nodes, relationships and paths ------------------------------------------------------------


def test_cypher_returns_nodes_relationships_and_paths_in_one_shape(falkor: GraphStore, neo4j: GraphStore) -> None:
    node_a = {"_labels": ["Entity", "Group"], "aliases": ["KH"], "id": "a", "kind": "group", "name": "A"}
    node_b = {"_labels": ["Entity", "Umbrella"], "id": "b", "kind": "umbrella", "name": "B"}
    rel = {"_type": "MEMBER_OF", "since": "2018", "sources": ["s1"]}
    expected = [
        {
            "a": node_a,
            "r": rel,
            "p": {"nodes": [node_a, node_b], "relationships": [rel]},
            "inside": {"list": [node_b], "nodes": [node_a]},  # map keys sorted
            "id": "a",
        }
    ]
    for store in (falkor, neo4j):
        store.write(
            "CREATE (a:Entity:Group {id: $a, kind: 'group', name: 'A', aliases: ['KH']})"
            "-[:MEMBER_OF {since: '2018', sources: ['s1']}]->(b:Entity:Umbrella {id: $b, kind: 'umbrella', name: 'B'})",
            {"a": "a", "b": "b"},
        )
        rows = store.read(
            "MATCH p = (a:Entity {id: $a})-[r:MEMBER_OF]->(b:Entity) "
            "RETURN a, r, p, {nodes: [a], list: [b]} AS inside, a.id AS id",
            {"a": "a"},
        )
        assert rows == expected, store.backend
        assert canonical(rows) == canonical(expected), f"{store.backend}: keys in another order"
