"""Lookup benchmark: every canned query's server-side time, and the CLI's wall time, on the synthetic corpus.

One run: generate the corpus (default 100,000 facts), ingest it once into a fresh embedded FalkorDB store,
then

  queries  each canned query in `agkg.queries`, read-only, timed by FalkorDB's own "Query internal execution
           time" (server) and by the client call (round trip + result parsing):
             sample   --sample parameter sets drawn at random (seeded) from the entities the query takes
                      (umbrellas for `members`, states for `backed-by`, ...): what analysts ask about. Each
                      set runs once to warm the plan cache, then --runs times; the query's figure is the
                      median over the sample of each set's median, with its p90 and max
             busiest  the busiest case of the corpus (the umbrella with most members, the entity with most
                      relations, ...), --runs times: the worst case, reported beside the sample
  cli      `agkg --store DIR profile NAME` as a subprocess, process start included, median of --cli-runs:
             cold  no server running: the CLI process starts redis-server, which loads the graph from disk
             warm  the bench process holds the store open, so the CLI process reuses its server
           and `agkg --help`, median of --cli-runs

Targets: every query's median server time <= 5 ms (the sample's median); `agkg profile` <= 300 ms wall;
`agkg --help` <= 150 ms.

    python bench/lookup_bench.py                    # full size
    python bench/lookup_bench.py --facts 10000      # quick run
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
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import redis

from agkg.graph.falkor import FalkorStore
from agkg.loaders.ingest import ingest
from agkg.queries import Query, bind, catalogue

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import add_arguments, corpus_kwargs, generate, publish

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


def _one(store: FalkorStore, query: str, params: Mapping[str, Any] | None = None) -> Any:
    rows = store.read(query, params)
    return rows[0]["id"] if rows else None


def choose_params(store: FalkorStore, seed: int) -> dict[str, dict[str, Any]]:
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
        (len(_run(store, "operating-in", {"place": row["id"]})), row["id"])
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
    border_b = max(candidates, key=lambda b: len(_run(store, "border", {"state_a": busy_state, "state_b": b})))
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
        "timeline": {"id": busiest},
        "where": {"id": group_id},
        "withdrawals": {"from": busy_state, "since": "2020-01-01"},
    }


def sample_params(store: FalkorStore, seed: int, size: int) -> dict[str, list[dict[str, Any]]]:
    """`size` parameter sets per query, drawn (seeded) from the kinds of entity each query takes."""
    rng = random.Random(seed)

    by_kind: dict[str, list[str]] = {}
    for row in store.read("MATCH (e:Entity) RETURN e.kind AS kind, e.id AS id ORDER BY id"):
        by_kind.setdefault(row["kind"], []).append(row["id"])
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
    }


def time_sample(store: FalkorStore, name: str, sample: list[dict[str, Any]], runs: int) -> dict[str, Any]:
    """Each parameter set's median server time, then the median, p90 and max of those over the sample."""
    timed = [time_query(store, name, params, runs) for params in sample]
    failed = [t for t in timed if t.get("error")]
    if failed:
        return {"error": failed[0]["error"], "pass": False, "size": len(sample)}
    medians = [t["server_ms"]["median"] for t in timed]
    rows = [t["rows"] for t in timed]
    return {
        "size": len(sample),
        "server_ms": _stats(medians),
        "client_ms": _stats([t["client_ms"]["median"] for t in timed]),
        "rows": {"median": statistics.median(rows), "max": max(rows)},
        "pass": statistics.median(medians) <= TARGET_QUERY_MS,
    }


def _query(name: str) -> Query:
    return catalogue()[name.split(" ", 1)[0]]


def _run(store: FalkorStore, name: str, params: Mapping[str, Any]) -> list[Any]:
    query = _query(name)
    return store.read(query.text_for(store.backend), bind(query, params))


def time_query(store: FalkorStore, name: str, params: Mapping[str, Any], runs: int) -> dict[str, Any]:
    query = _query(name)
    text, bound = query.text_for(store.backend), bind(query, params)
    graph = store._graph  # the GraphStore interface hides FalkorDB's result statistics
    start = time.perf_counter()
    try:
        rows = len(graph.ro_query(text, bound, timeout=QUERY_TIMEOUT_MS).result_set)  # warm-up: plan cache
    except redis.exceptions.ResponseError as exc:
        took = round(1000 * (time.perf_counter() - start))
        return {"params": dict(params), "rows": None, "error": f"{exc} (after {took} ms)", "pass": False}
    if time.perf_counter() - start > 1.0:
        runs = min(runs, 3)  # the target is missed by far; the median of a few runs says by how much
    server, client = [], []
    for _ in range(runs):
        start = time.perf_counter()
        result = graph.ro_query(text, bound, timeout=QUERY_TIMEOUT_MS)
        client.append(1000 * (time.perf_counter() - start))
        server.append(float(result.run_time_ms))
    return {
        "params": dict(params),
        "rows": rows,
        "server_ms": _stats(server),
        "client_ms": _stats(client),
        "runs": runs,
        "pass": statistics.median(server) <= TARGET_QUERY_MS,
    }


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
            raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stderr}")
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


def report(result: dict[str, Any]) -> str:
    p = result["params"]
    lines = [
        f"corpus: {p['facts']:,} facts, {p['files']:,} files, nesting {p.get('nesting', 'random')}; "
        f"ingest {result['ingest_seconds']:.1f} s; load {result['loadavg'][0]:.2f} on {result['nproc']} CPUs",
        f"server = FalkorDB's internal execution time; sample = {result['sample']} parameter sets drawn at random, "
        f"each the median of {result['runs']} runs after a warm-up; busiest = the corpus's busiest case",
        "",
        f"{'query':<26}{'sample median':>14}{'p90':>8}{'max':>8}{'rows':>7}  {'busiest':>9}{'rows':>7}"
        f"   target <= {TARGET_QUERY_MS:g} ms (sample median)",
    ]
    for name, q in result["queries"].items():
        sample, busiest = q["sample"], q["busiest"]
        if sample.get("error") or busiest.get("error"):
            lines.append(f"{name:<26}  {sample.get('error') or busiest.get('error')}   FAIL")
            continue
        ms = sample["server_ms"]
        lines.append(
            f"{name:<26}{ms['median']:>14.2f}{ms['p90']:>8.2f}{ms['max']:>8.2f}{sample['rows']['median']:>7,.0f}  "
            f"{busiest['server_ms']['median']:>9.2f}{busiest['rows']:>7,}   {'pass' if q['pass'] else 'FAIL'}"
        )
    for name in result["skipped"]:
        lines.append(f"{name:<26}  (no parameters chosen for it: not measured)")
    lines += ["", "busiest: " + json.dumps({k: v["busiest"]["params"] for k, v in result["queries"].items()})]
    cli = result["cli"]
    lines += ["", f"{'command (wall, process start included)':<64}{'median ms':>10}{'p90':>8}   target"]
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
    parser.add_argument("--output", type=Path, default=OUT / "lookup.json")
    args = parser.parse_args(argv)
    if not AGKG.exists():
        raise SystemExit(f"{AGKG} not found: run `make setup`")
    os.environ[LINGER] = "0"  # the bench's own store stops when closed, so the cold CLI runs find none

    with tempfile.TemporaryDirectory(prefix="agkg-lookup-") as tmp:
        corpus = generate(Path(tmp) / "corpus", **corpus_kwargs(args))
        store_dir = Path(tmp) / "store"
        print(f"generated {len(corpus.facts):,} facts; ingesting ...", flush=True)
        with _held(store_dir) as store:
            start = time.perf_counter()
            summary = ingest(store, [corpus.directory])
            ingest_seconds = time.perf_counter() - start
            if summary.failed:
                raise SystemExit(f"the corpus did not load: {summary.problems[:5]}")
            print(f"ingested in {ingest_seconds:.1f} s; choosing parameters ...", flush=True)
            chosen = choose_params(store, args.seed)
            samples = sample_params(store, args.seed, args.sample)
            known = {name.split(" ", 1)[0] for name in chosen}
            skipped = sorted(set(catalogue()) - known)
            queries: dict[str, Any] = {}
            for name, params in chosen.items():
                if name.split(" ", 1)[0] not in catalogue():
                    continue
                print(f"  {name} ...", flush=True)
                sample = time_sample(store, name, samples[name], args.runs)
                busiest = time_query(store, name, params, args.runs)
                queries[name] = {"sample": sample, "busiest": busiest, "pass": sample["pass"]}
            profile_names = {
                which: str(store.read("MATCH (e:Entity {id: $id}) RETURN e.name AS name", {"id": eid})[0]["name"])
                for which, eid in (("busiest", chosen["profile"]["id"]), ("typical", samples["profile"][0]["id"]))
            }
        partial = args.output.with_suffix(".queries.json")
        partial.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text(json.dumps(queries, indent=2) + "\n", encoding="utf-8")
        print(f"cli ... (query figures so far: {partial})", flush=True)
        cli = measure_cli(store_dir, profile_names, args.cli_runs)
        shutil.rmtree(corpus.directory, ignore_errors=True)

    result = {
        "params": corpus.params,
        "ingest_seconds": round(ingest_seconds, 2),
        "nproc": len(os.sched_getaffinity(0)),
        "loadavg": list(os.getloadavg()),
        "runs": args.runs,
        "sample": args.sample,
        "profile_names": profile_names,
        "queries": queries,
        "skipped": skipped,
        "cli": cli,
        "targets": {"query_ms": TARGET_QUERY_MS, "profile_ms": TARGET_PROFILE_MS, "help_ms": TARGET_HELP_MS},
        "all_pass": all(q["pass"] for q in queries.values()) and all(c["pass"] for c in cli.values()),
    }
    publish(result, report(result), args.output)


if __name__ == "__main__":
    main()
