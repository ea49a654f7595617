"""Lookup benchmark: every canned query's server-side and client time on FalkorDB and on Neo4j, and the CLI's
wall time, on the synthetic corpus.

One run: generate the corpus (default 100,000 facts), ingest it with agkg into each back end of --backends
(default falkordb,neo4j: a fresh embedded FalkorDB store, and Neo4j), then on each

  queries  each canned query in `agkg.queries` (its back end's variant where it has one), read-only, timed
             server  what the engine reports: FalkorDB's own "Query internal execution time"; Neo4j's
                     `result_available_after + result_consumed_after` from the driver's result summary (whole
                     milliseconds: Neo4j reports no finer)
             client  the call's wall time in this process, the round trip and the decoding of every row
                     included: FalkorDB one GRAPH.RO_QUERY (falkordb client); Neo4j one managed read
                     transaction (`execute_read` of the official driver: BEGIN, RUN and PULL, COMMIT)
           over
             sample   --sample parameter sets drawn at random (seeded) from the entities the query takes
                      (umbrellas for `members`, states for `backed-by`, ...): what analysts ask about; drawn
                      once, from the first back end's graph, and the same sets run on every back end. Each
                      set runs once to warm the plan cache, then --runs times; the query's figure is the
                      median over the sample of each set's median, with its p90 and max
             busiest  the busiest case of the corpus (the umbrella with most members, the entity with most
                      relations, ...), --runs times: the worst case, reported beside the sample
           A query that fails on one back end is recorded as failed there; the others go on.
  cli      (FalkorDB) `agkg --store DIR profile NAME` as a subprocess, process start included, median of
           --cli-runs:
             cold  no server running: the CLI process starts redis-server, which loads the graph from disk
             warm  the bench process holds the store open, so the CLI process reuses its server
           and `agkg --help`, median of --cli-runs

Targets: every query's median server time <= 5 ms (the sample's median); `agkg profile` <= 300 ms wall;
`agkg --help` <= 150 ms.

Neo4j: the server at --neo4j-uri (default $NEO4J_URI, with $NEO4J_USERNAME/$NEO4J_PASSWORD/$NEO4J_DATABASE),
emptied first: EVERYTHING IN IT IS DELETED. Without a URI the bench starts the Neo4j 5.26 test server
(tools/neo4j_server.py, built by `make neo4j-server`) and stops it before the CLI measurements.

    python bench/lookup_bench.py                          # full size, both back ends
    python bench/lookup_bench.py --facts 10000            # quick run
    python bench/lookup_bench.py --backends falkordb      # FalkorDB only (no Java needed)
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import neo4j
import redis

from agkg.errors import QueryError, UsageError
from agkg.graph.falkor import FalkorStore
from agkg.graph.store import GraphStore
from agkg.loaders.ingest import ingest
from agkg.loaders.names import normalise
from agkg.queries import Query, bind, catalogue

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import Corpus, add_arguments, corpus_kwargs, generate, publish
from ingest_bench import BACKENDS, LABELS, BenchError, Neo4jTarget, neo4j_target, parse_backends, revision

OUT = Path(__file__).resolve().parent / "out"
AGKG = Path(sys.executable).with_name("agkg")
TARGET_QUERY_MS = 5.0
TARGET_PROFILE_MS = 300.0
TARGET_HELP_MS = 150.0
# A query that enumerates paths can take minutes and tens of GB on a dense graph (affiliations did, at
# 100,000 facts, before these limits): each run is cut off, and the server's per-query memory capped.
QUERY_TIMEOUT_MS = 10_000
QUERY_MEM_CAPACITY = 2 * 2**30
LINGER = "AGKG_EMBEDDED_LINGER"
CLIENT = {
    "falkordb": "one GRAPH.RO_QUERY through the falkordb client",
    "neo4j": "one managed read transaction, execute_read of the official driver (BEGIN, RUN and PULL, COMMIT)",
}
SERVER = {
    "falkordb": "FalkorDB's own 'Query internal execution time'",
    "neo4j": "result_available_after + result_consumed_after of the driver's result summary (whole ms)",
}
# One timing: (query name, parameters, runs) -> figures, or an "error".
Timer = Callable[[str, Mapping[str, Any], int], dict[str, Any]]


@dataclass(frozen=True)
class Picked:
    """The parameters every back end runs: the busiest case and the random sample, per query."""

    chosen: dict[str, dict[str, Any]]
    samples: dict[str, list[dict[str, Any]]]
    drawn_from: str


def _one(store: GraphStore, query: str, params: Mapping[str, Any] | None = None) -> Any:
    rows = store.read(query, params)
    return rows[0]["id"] if rows else None


def choose_params(store: GraphStore, seed: int) -> dict[str, dict[str, Any]]:
    """Parameters for each canned query, taken from the graph: the busy cases an analyst would ask about."""
    # Fixed texts (the schema's labels written out), values as parameters.
    umbrella_id = _one(
        store, "MATCH (u:Umbrella)<-[r:MEMBER_OF]-(:Entity) RETURN u.id AS id, count(r) AS n ORDER BY n DESC, id"
    )
    group_id = _one(
        store,
        "MATCH (g:Group)-[r:MEMBER_OF|OPERATES_IN]->(:Entity) RETURN g.id AS id, count(r) AS n ORDER BY n DESC, id",
    )
    busiest = _one(store, "MATCH (e:Entity)-[r]-(:Entity) RETURN e.id AS id, count(r) AS n ORDER BY n DESC, id")
    backed_state = _one(
        store, "MATCH (s:State)<-[r:BACKED_BY]-(:Entity) RETURN s.id AS id, count(r) AS n ORDER BY n DESC, id"
    )
    operating_counts = [
        (_rows(store, "operating-in", {"place": row["id"]}), row["id"])
        for row in store.read("MATCH (s:State) RETURN s.id AS id ORDER BY id")
    ]
    busy_state = max(operating_counts)[1]
    # Few synthetic places border anything: try the states that border a place in the busy state (or it),
    # and keep the one that gives the border query the most rows.
    candidates = [
        r["id"]
        for r in store.read(
            "MATCH (pl:Entity)-[:LOCATED_IN*0..6]->(:State {id: $a}) MATCH (pl)-[:BORDERS]-(b:State) "
            "WHERE b.id <> $a RETURN b.id AS id, count(*) AS n ORDER BY n DESC, id LIMIT 10",
            {"a": busy_state},
        )
    ] or [i for _, i in sorted(operating_counts, reverse=True) if i != busy_state][:10]
    border_b = max(candidates, key=lambda b: _rows(store, "border", {"state_a": busy_state, "state_b": b}))
    # path: the busiest group and a place three hops away (where a fellow member of an umbrella operates),
    # else a seeded random place.
    far = _one(
        store,
        "MATCH (g:Entity {id: $g})-[:MEMBER_OF]->(:Entity)<-[:MEMBER_OF]-(m:Entity)-[:OPERATES_IN]->(p:Entity) "
        "WHERE m <> g AND NOT (g)-[:OPERATES_IN]->(p) RETURN p.id AS id ORDER BY id",
        {"g": group_id},
    )
    places = [r["id"] for r in store.read("MATCH (p:Place) RETURN p.id AS id ORDER BY id")]
    path_to = far or random.Random(seed).choice(places)
    busiest_name = store.read("MATCH (e:Entity {id: $id}) RETURN e.name AS name", {"id": busiest})[0]["name"]
    evidence_object = _one(
        store, "MATCH (:Entity {id: $s})-[r:MEMBER_OF]->(o:Entity) RETURN o.id AS id ORDER BY id", {"s": group_id}
    )
    return {
        "affiliations": {"id": group_id},
        "backed-by": {"state": backed_state},
        "border": {"state_a": busy_state, "state_b": border_b},
        "co-located": {"id": group_id},
        "entities": {},
        "evidence": {"subject": busiest, "relation": None, "object": None},
        "evidence (one relation)": {"subject": group_id, "relation": "member_of", "object": evidence_object},
        "members": {"umbrella": umbrella_id},
        "operating-in": {"place": busy_state},
        "path": {"from": group_id, "to": path_to},
        "profile": {"id": busiest},
        "resolve-name": {"key": normalise(busiest_name)},
        "timeline": {"id": busiest},
        "where": {"id": group_id},
        "withdrawals": {"from": busy_state, "since": "2020-01-01"},
    }


def sample_params(store: GraphStore, seed: int, size: int) -> dict[str, list[dict[str, Any]]]:
    """`size` parameter sets per query, drawn (seeded) from the kinds of entity each query takes."""
    rng = random.Random(seed)

    by_kind: dict[str, list[str]] = {}
    names: list[str] = []
    for row in store.read("MATCH (e:Entity) RETURN e.kind AS kind, e.id AS id, e.name AS name ORDER BY id"):
        by_kind.setdefault(row["kind"], []).append(row["id"])
        names.append(row["name"])
    groups, umbrellas, places, states = (by_kind.get(k, []) for k in ("group", "umbrella", "place", "state"))
    actors, locations = groups + umbrellas, places + states
    claims = store.read("MATCH (c:Claim) RETURN c.subject_id AS s, c.relation AS r, c.object_id AS o ORDER BY c.id")

    def draw(make: Any) -> list[dict[str, Any]]:
        return [make() for _ in range(size)]

    def pair(pool: list[str], other: list[str]) -> tuple[str, str]:
        while True:
            a, b = rng.choice(pool), rng.choice(other)
            if a != b:
                return a, b

    def claim() -> dict[str, Any]:
        c = rng.choice(claims)
        return {"subject": c["s"], "relation": c["r"], "object": c["o"]}

    return {
        "affiliations": draw(lambda: {"id": rng.choice(actors)}),
        "backed-by": draw(lambda: {"state": rng.choice(states)}),
        "border": draw(lambda: dict(zip(("state_a", "state_b"), pair(states, states), strict=True))),
        "co-located": draw(lambda: {"id": rng.choice(actors)}),
        "entities": draw(dict),
        "evidence": draw(lambda: {"subject": rng.choice(actors)}),
        "evidence (one relation)": draw(claim),
        "members": draw(lambda: {"umbrella": rng.choice(umbrellas)}),
        "operating-in": draw(lambda: {"place": rng.choice(locations)}),
        "path": draw(lambda: dict(zip(("from", "to"), pair(actors, actors + places), strict=True))),
        "profile": draw(lambda: {"id": rng.choice(actors)}),
        "timeline": draw(lambda: {"id": rng.choice(actors)}),
        "where": draw(lambda: {"id": rng.choice(actors)}),
        "withdrawals": draw(lambda: {"from": rng.choice(locations)}),
        # last: drawing it earlier would change every later query's sample
        "resolve-name": draw(lambda: {"key": normalise(rng.choice(names))}),
    }


def time_sample(timer: Timer, name: str, sample: list[dict[str, Any]], runs: int) -> dict[str, Any]:
    """Each parameter set's median server time, then the median, p90 and max of those over the sample.

    Stops at the first set that fails: the query's figure is void then, and a timeout per set would add up.
    """
    timed = []
    for params in sample:
        timed.append(timer(name, params, runs))
        if timed[-1].get("error"):
            return {"error": timed[-1]["error"], "params": timed[-1]["params"], "pass": False, "size": len(sample)}
    medians = [t["server_ms"]["median"] for t in timed]
    rows = [t["rows"] for t in timed]
    return {
        "size": len(sample),
        "server_ms": _stats(medians),
        "client_ms": _stats([t["client_ms"]["median"] for t in timed]),
        "rows": {"median": statistics.median(rows), "max": max(rows)},
        "rows_each": rows,
        "pass": statistics.median(medians) <= TARGET_QUERY_MS,
    }


def _query(name: str) -> Query:
    return catalogue()[name.split(" ", 1)[0]]


def _run(store: GraphStore, name: str, params: Mapping[str, Any]) -> list[Any]:
    query = _query(name)
    return store.read(query.text_for(store.backend), bind(query, params))


def _rows(store: GraphStore, name: str, params: Mapping[str, Any]) -> int:
    """How many rows a canned query gives, for choosing the busiest case; -1 if it fails (timed, and reported
    as failed, later)."""
    try:
        return len(_run(store, name, params))
    except (QueryError, UsageError, KeyError):
        return -1


def _failed(params: Mapping[str, Any], message: str, start: float | None = None) -> dict[str, Any]:
    after = f" (after {round(1000 * (time.perf_counter() - start))} ms)" if start is not None else ""
    return {"params": dict(params), "rows": None, "error": " ".join(message.split()) + after, "pass": False}


def time_query(store: FalkorStore, name: str, params: Mapping[str, Any], runs: int) -> dict[str, Any]:
    """FalkorDB: server = its internal execution time, client = the GRAPH.RO_QUERY call."""
    query = _query(name)
    try:
        text, bound = query.text_for(store.backend), bind(query, params)
    except UsageError as exc:  # the query's parameters changed under the bench
        return _failed(params, str(exc))
    graph = store._graph  # the GraphStore interface hides FalkorDB's result statistics
    start = time.perf_counter()
    try:
        rows = len(graph.ro_query(text, bound, timeout=QUERY_TIMEOUT_MS).result_set)  # warm-up: plan cache
    except redis.exceptions.ResponseError as exc:
        return _failed(params, str(exc), start)
    if time.perf_counter() - start > 1.0:
        runs = min(runs, 3)  # the target is missed by far; the median of a few runs says by how much
    server, client = [], []
    for _ in range(runs):
        start = time.perf_counter()
        result = graph.ro_query(text, bound, timeout=QUERY_TIMEOUT_MS)
        client.append(1000 * (time.perf_counter() - start))
        server.append(float(result.run_time_ms))
    return _timed(params, rows, server, client, runs)


def _timed(params: Mapping[str, Any], rows: int, server: list[float], client: list[float], runs: int) -> dict[str, Any]:
    """One parameter set's figures, the same for every back end."""
    return {
        "params": dict(params),
        "rows": rows,
        "server_ms": _stats(server),
        "client_ms": _stats(client),
        "runs": runs,
        "pass": statistics.median(server) <= TARGET_QUERY_MS,
    }


def time_query_neo4j(session: neo4j.Session, name: str, params: Mapping[str, Any], runs: int) -> dict[str, Any]:
    """Neo4j: server = result_available_after + result_consumed_after (ms) of the result summary, client = the
    managed read transaction, every record fetched and decoded."""
    query = _query(name)
    try:
        text, bound = query.text_for("neo4j"), bind(query, params)
    except UsageError as exc:
        return _failed(params, str(exc))

    @neo4j.unit_of_work(timeout=QUERY_TIMEOUT_MS / 1000)
    def work(tx: neo4j.ManagedTransaction) -> tuple[int, float]:
        result = tx.run(text, bound)
        rows = len(list(result))
        summary = result.consume()
        return rows, float((summary.result_available_after or 0) + (summary.result_consumed_after or 0))

    start = time.perf_counter()
    try:
        rows, _ = session.execute_read(work)  # warm-up: plan cache
    except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError) as exc:
        return _failed(params, f"{type(exc).__name__}: {exc}", start)
    if time.perf_counter() - start > 1.0:
        runs = min(runs, 3)
    server, client = [], []
    for _ in range(runs):
        start = time.perf_counter()
        _, server_ms = session.execute_read(work)
        client.append(1000 * (time.perf_counter() - start))
        server.append(server_ms)
    return _timed(params, rows, server, client, runs)


def _stats(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "median": round(statistics.median(ordered), 3),
        "p90": round(ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))], 3),
        "min": round(ordered[0], 3),
        "max": round(ordered[-1], 3),
    }


def time_command(argv: list[str], runs: int, env: Mapping[str, str]) -> dict[str, Any]:
    walls = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, text=True, env=dict(env), check=False)
        walls.append(1000 * (time.perf_counter() - start))
        if done.returncode != 0:
            raise BenchError(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stderr}")
    return {"argv": argv[1:], "wall_ms": _stats(walls), "runs": runs}


def _server_running(store_dir: Path) -> bool:
    pid = store_dir / "redis.pid"
    return pid.exists() and pid.read_text().strip().isdigit() and Path(f"/proc/{pid.read_text().strip()}").exists()


@contextlib.contextmanager
def _held(store_dir: Path) -> Iterator[FalkorStore]:
    store = FalkorStore.embedded(store_dir)
    try:
        with contextlib.suppress(redis.exceptions.ResponseError):  # an older FalkorDB without the setting
            store._client.config_set("QUERY_MEM_CAPACITY", QUERY_MEM_CAPACITY)
        yield store
    finally:
        store.close()


def _wait_stopped(store_dir: Path, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while _server_running(store_dir):
        if time.monotonic() > deadline:
            raise SystemExit(f"the server on {store_dir} still runs after {seconds:.0f} s")
        time.sleep(0.1)


def measure_cli(store_dir: Path, names: Mapping[str, str], runs: int) -> dict[str, Any]:
    """`agkg profile` of each named entity (busiest, typical), cold, lingering and warm; and `agkg --help`."""
    env = {k: v for k, v in os.environ.items() if k not in ("AGKG_STORE", "NEO4J_URI", LINGER)}
    result: dict[str, Any] = {}
    for which, name in names.items():
        profile = [str(AGKG), "--store", str(store_dir), "profile", name]
        _wait_stopped(store_dir)
        # cold: every process starts the server and stops it on exit
        cold = time_command(profile, runs, {**env, LINGER: "0"})
        # lingering: the server outlives its last client a while (the default), so only the first call starts it
        lingering = time_command(profile, runs, {**env, LINGER: "5"})
        _wait_stopped(store_dir)
        with _held(store_dir):
            warm = time_command(profile, runs, {**env, LINGER: "0"})
        _wait_stopped(store_dir)
        for key, run in (("cold", cold), ("lingering", lingering), ("warm", warm)):
            result[f"profile_{which}_{key}"] = {**run, "pass": run["wall_ms"]["median"] <= TARGET_PROFILE_MS}
    help_ = time_command([str(AGKG), "--help"], runs, env)
    result["help"] = {**help_, "pass": help_["wall_ms"]["median"] <= TARGET_HELP_MS}
    return result


def measure_queries(
    store: GraphStore, timer: Timer, label: str, corpus: Corpus, args: argparse.Namespace, picked: Picked | None
) -> tuple[dict[str, Any], Picked]:
    """Ingest the corpus into `store` (empty), then time every canned query with `timer`; the parameters are
    `picked`, or chosen here from this graph when None."""
    start = time.perf_counter()
    summary = ingest(store, [corpus.directory])
    ingest_seconds = time.perf_counter() - start
    if summary.failed:
        raise BenchError(f"the corpus did not load: {summary.problems[:5]}")
    print(f"[{label}] ingested in {ingest_seconds:.1f} s", flush=True)
    if picked is None:
        print(f"[{label}] choosing parameters ...", flush=True)
        picked = Picked(choose_params(store, args.seed), sample_params(store, args.seed, args.sample), label)
    queries: dict[str, Any] = {}
    for name, params in picked.chosen.items():
        if name.split(" ", 1)[0] not in catalogue():
            continue
        print(f"[{label}]   {name} ...", flush=True)
        sample = time_sample(timer, name, picked.samples[name], args.runs)
        busiest = timer(name, params, args.runs)
        queries[name] = {"sample": sample, "busiest": busiest, "pass": sample["pass"]}
    return {"ingest_seconds": round(ingest_seconds, 2), "queries": queries}, picked


def _detail(label: str, queries: Mapping[str, Any]) -> list[str]:
    lines = [
        f"{label + ', server ms':<26}{'sample median':>14}{'p90':>8}{'max':>8}{'rows':>7}  {'busiest':>9}{'rows':>7}"
        f"   target <= {TARGET_QUERY_MS:g} ms (sample median)",
    ]
    for name, q in queries.items():
        sample, busiest = q["sample"], q["busiest"]
        if sample.get("error") or busiest.get("error"):
            lines.append(f"{name:<26}  FAILED: {_short(sample.get('error') or busiest.get('error'))}")
            continue
        ms = sample["server_ms"]
        lines.append(
            f"{name:<26}{ms['median']:>14.2f}{ms['p90']:>8.2f}{ms['max']:>8.2f}{sample['rows']['median']:>7,.0f}  "
            f"{busiest['server_ms']['median']:>9.2f}{busiest['rows']:>7,}   {'pass' if q['pass'] else 'FAIL'}"
        )
    return lines


def _short(message: str, limit: int = 240) -> str:
    """An error as the report shows it (the JSON keeps it whole)."""
    return message if len(message) <= limit else message[: limit - 3] + "..."


def _side_by_side(runs: Mapping[str, Any]) -> list[str]:
    """Sample medians of every back end in one table; with both, the client-time ratio and whether each
    parameter set gave the same number of rows on both."""
    names = list(runs)
    both = names == ["falkordb", "neo4j"] or names == ["neo4j", "falkordb"]
    head1 = f"{'':<26}" + "".join(f"{LABELS[n]:>18}" for n in names)
    head2 = f"{'sample median, ms':<26}" + f"{'server':>9}{'client':>9}" * len(names)
    if both:
        head1 += f"{'Neo4j ÷ FalkorDB':>18}{'rows':>10}"
        head2 += f"{'client':>18}{'same':>10}"
    lines = [head1, head2]
    queries = dict.fromkeys(q for n in names for q in runs[n]["queries"])
    for query in queries:
        line = f"{query:<26}"
        samples = {n: runs[n]["queries"].get(query, {}).get("sample", {"error": "not run"}) for n in names}
        for n in names:
            sample = samples[n]
            if sample.get("error"):
                line += f"{'FAILED':>18}"
            else:
                line += f"{sample['server_ms']['median']:>9.2f}{sample['client_ms']['median']:>9.2f}"
        if both and not any(sample.get("error") for sample in samples.values()):
            f, n4 = samples["falkordb"], samples["neo4j"]
            ratio = n4["client_ms"]["median"] / f["client_ms"]["median"]
            same = sum(a == b for a, b in zip(f["rows_each"], n4["rows_each"], strict=True))
            agree = f"{same}/{len(f['rows_each'])}"
            line += f"{ratio:>18.2f}{agree:>10}"
        lines.append(line)
    return lines


def report(result: dict[str, Any]) -> str:
    p = result["params"]
    runs: dict[str, Any] = result["backends"]
    ok = {name: run for name, run in runs.items() if "error" not in run}
    ingested = ", ".join(f"{LABELS[n]} {run['ingest_seconds']:.1f} s" for n, run in ok.items())
    lines = [
        f"corpus: {p['facts']:,} facts, {p['files']:,} files, nesting {p.get('nesting', 'random')}; "
        f"agkg ingest: {ingested}; load {result['loadavg'][0]:.2f} at the start, {result['loadavg_end'][0]:.2f} "
        f"at the end, on {result['nproc']} CPUs; run {result['date']}, {result['seconds_total']:.0f} s in all, "
        f"code {result['revision']}",
        f"sample = {result['sample']} parameter sets drawn at random (seeded) from the {result['drawn_from']} graph, "
        f"the same sets on every back end, each the median of {result['runs']} runs after a warm-up; "
        "busiest = the corpus's busiest case",
    ]
    for name, run in runs.items():
        lines.append(f"{LABELS[name]}: {run['where']}")
        lines.append(f"  server = {SERVER[name]}")
        lines.append(f"  client = wall time in the bench process, rows decoded: {CLIENT[name]}")
    for name, run in runs.items():
        if name not in ok:
            lines += ["", f"{LABELS[name]}: FAILED, no figures: {run['error']}"]
            continue
        lines += ["", *_detail(LABELS[name], run["queries"])]
    for name in result["skipped"]:
        lines.append(f"{name:<26}  (no parameters chosen for it: not measured)")
    if ok:
        lines += ["", *_side_by_side(ok)]
    lines += ["", "busiest: " + json.dumps(result["busiest_params"])]
    cli = result["cli"]
    if result.get("cli_error"):
        lines += ["", f"cli: FAILED: {result['cli_error']}"]
        return "\n".join(lines)
    if not cli:
        lines += ["", "cli: not measured (it needs the FalkorDB store)"]
        return "\n".join(lines)
    lines += ["", f"{'command (FalkorDB store; wall, process start included)':<64}{'median ms':>10}{'p90':>8}   target"]
    rows = [
        (f"profile_{which}_{key}", f"agkg profile, {which} entity, {label}", TARGET_PROFILE_MS)
        for which in result["profile_names"]
        for key, label in (
            ("cold", "cold (no server running)"),
            ("lingering", "server lingering between calls"),
            ("warm", "warm (server held by bench)"),
        )
    ] + [("help", "agkg --help", TARGET_HELP_MS)]
    for key, label, target in rows:
        run = cli[key]
        lines.append(
            f"{label:<64}{run['wall_ms']['median']:>10.0f}{run['wall_ms']['p90']:>8.0f}   <= {target:g} ms "
            f"{'pass' if run['pass'] else 'FAIL'}"
        )
    names = ", ".join(f"{which} '{name}'" for which, name in result["profile_names"].items())
    lines.append(f"(profile of {names}; median of {cli['help']['runs']} runs each)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per parameter set")
    parser.add_argument("--sample", type=int, default=30, help="parameter sets drawn per query")
    parser.add_argument("--cli-runs", type=int, default=10, help="timed runs per CLI command")
    parser.add_argument(
        "--backends",
        type=parse_backends,
        default=BACKENDS,
        help="comma-separated, measured in this order; the first one's graph gives the parameters "
        "(default: falkordb,neo4j)",
    )
    parser.add_argument(
        "--neo4j-uri",
        default=os.environ.get("NEO4J_URI"),
        help="the Neo4j to benchmark, emptied first (default: $NEO4J_URI; unset: the bench starts the test server)",
    )
    parser.add_argument("--output", type=Path, default=OUT / "lookup.json")
    args = parser.parse_args(argv)
    if "falkordb" in args.backends and not AGKG.exists():
        raise SystemExit(f"{AGKG} not found: run `make setup`")
    os.environ[LINGER] = "0"  # the bench's own store stops when closed, so the cold CLI runs find none
    begin = time.perf_counter()
    date = time.strftime("%Y-%m-%d %H:%M %Z")
    rev = revision()
    loadavg = list(os.getloadavg())
    runs: dict[str, dict[str, Any]] = {}
    picked: Picked | None = None
    profile_names: dict[str, str] = {}

    with tempfile.TemporaryDirectory(prefix="agkg-lookup-") as tmp:
        store_dir = Path(tmp) / "store"
        with contextlib.ExitStack() as servers:  # the Neo4j server stops before the CLI measurements
            target = servers.enter_context(neo4j_target(args.neo4j_uri)) if "neo4j" in args.backends else None
            corpus = generate(Path(tmp) / "corpus", **corpus_kwargs(args))
            print(f"generated {len(corpus.facts):,} facts", flush=True)
            for name in args.backends:
                label = LABELS[name]
                where = "embedded, a new store" if name == "falkordb" else target.where() if target else "?"
                print(f"[{label}] {where}: ingesting ...", flush=True)
                try:
                    if name == "falkordb":
                        with _held(store_dir) as falkor:
                            run, picked = measure_queries(falkor, _falkor_timer(falkor), label, corpus, args, picked)
                            profile_names = _profile_names(falkor, picked)
                    else:
                        assert target is not None
                        run, picked = _measure_neo4j(target, label, corpus, args, picked)
                        where = f"{where}; {target.version()}"
                    runs[name] = {"where": where, **run}
                except Exception as exc:  # one back end failing must not lose the others' figures
                    traceback.print_exc()
                    message = " ".join(f"{type(exc).__name__}: {exc}".split())
                    print(f"[{label}] FAILED: {message}", flush=True)
                    runs[name] = {"where": where, "error": message}
        partial = args.output.with_suffix(".queries.json")
        partial.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text(json.dumps(runs, indent=2) + "\n", encoding="utf-8")
        cli: dict[str, Any] = {}
        cli_error = None
        if profile_names:
            print(f"cli ... (query figures so far: {partial})", flush=True)
            try:
                cli = measure_cli(store_dir, profile_names, args.cli_runs)
            except BenchError as exc:  # the query figures stand without it
                cli_error = str(exc)
                print(f"cli FAILED: {cli_error}", flush=True)
        shutil.rmtree(corpus.directory, ignore_errors=True)

    queries = [q for run in runs.values() for q in run.get("queries", {}).values()]
    result = {
        "params": corpus.params,
        "date": date,
        "revision": rev,
        "seconds_total": round(time.perf_counter() - begin, 1),
        "nproc": len(os.sched_getaffinity(0)),
        "loadavg": loadavg,
        "loadavg_end": list(os.getloadavg()),
        "runs": args.runs,
        "sample": args.sample,
        "drawn_from": picked.drawn_from if picked else None,
        "busiest_params": picked.chosen if picked else {},
        "profile_names": profile_names,
        "backends": runs,
        "skipped": sorted(set(catalogue()) - {n.split(" ", 1)[0] for n in (picked.chosen if picked else {})}),
        "cli": cli,
        "cli_error": cli_error,
        "targets": {"query_ms": TARGET_QUERY_MS, "profile_ms": TARGET_PROFILE_MS, "help_ms": TARGET_HELP_MS},
        "all_pass": all(q["pass"] for q in queries) and all(c["pass"] for c in cli.values()),
    }
    publish(result, report(result), args.output)
    failed = [LABELS[name] for name, run in runs.items() if "error" in run] + (["the CLI"] if cli_error else [])
    if failed:
        raise SystemExit(f"error: no figures for {', '.join(failed)} (see above)")


def _falkor_timer(store: FalkorStore) -> Timer:
    def timer(name: str, params: Mapping[str, Any], runs: int) -> dict[str, Any]:
        return time_query(store, name, params, runs)

    return timer


def _measure_neo4j(
    target: Neo4jTarget, label: str, corpus: Corpus, args: argparse.Namespace, picked: Picked | None
) -> tuple[dict[str, Any], Picked]:
    """agkg's Neo4jStore ingests (into the emptied database); the official driver times the queries."""
    target.empty()
    store = target.store()
    try:
        with (
            target.driver() as driver,
            driver.session(database=target.database, default_access_mode=neo4j.READ_ACCESS) as session,
        ):

            def timer(name: str, params: Mapping[str, Any], runs: int) -> dict[str, Any]:
                return time_query_neo4j(session, name, params, runs)

            return measure_queries(store, timer, label, corpus, args, picked)
    finally:
        store.close()


def _profile_names(store: GraphStore, picked: Picked) -> dict[str, str]:
    """The names `agkg profile` is timed with: the busiest entity, and the first of the sample."""
    return {
        which: str(store.read("MATCH (e:Entity {id: $id}) RETURN e.name AS name", {"id": eid})[0]["name"])
        for which, eid in (("busiest", picked.chosen["profile"]["id"]), ("typical", picked.samples["profile"][0]["id"]))
    }


if __name__ == "__main__":
    main()
