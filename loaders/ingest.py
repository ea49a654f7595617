"""Validate and load fact files into a graph store, converging on a fresh load of the current files.

Each run replaces, wholesale, what the loaded documents contributed before:
their source, entity declarations and claims. Entities and edges are derived
data, recomputed from every declaration and claim behind them. Writes go in
an order that lets a run killed at any point be completed by running again:
derived state first (computed in memory from the final claims), then the
claims and declarations it was derived from, the document's hash last.

One exception, for speed: documents the store has never seen (no claims, declarations or document row,
the common case of a first load) are written while the planner still computes: their sources and claims
first, then the entities, then the edges a part at a time as they are computed. A run killed then leaves
claims (and perhaps some of their entities and edges) without a document row; the next run finds them as
that document's stored claims, and since no row records the derivation, it recomputes every edge and
entity the document touches, each looked up first, as it does for a file loaded by an older derivation.
Once a stop is requested nothing more of it is written, so an edge never goes before its claims.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections import defaultdict
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agkg.errors import Problem
from agkg.graph import reads
from agkg.graph.cypher import cypher, for_label, for_type, schema_statements
from agkg.graph.schema import load_schema
from agkg.graph.store import GraphStore
from agkg.loaders.catalog import DocumentCatalog
from agkg.loaders.changes import HashCache, cache_path, unchanged
from agkg.loaders.declarations import StoredDeclarations
from agkg.loaders.edges import DERIVATION, edge_props, entity_props
from agkg.loaders.files import FoundFile, find_files
from agkg.loaders.pipelined import PipelinedWriter
from agkg.loaders.records import Claim, Document, EdgeKey, EntityRecord
from agkg.loaders.resolve import Candidate, document_id, resolve

if TYPE_CHECKING:  # the readers and models (pydantic) load when a file is read: a no-change run reads none
    from agkg.loaders.checked import Checked


@dataclass
class Counts:
    added: int = 0
    updated: int = 0
    removed: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"added": self.added, "updated": self.updated, "removed": self.removed}


@dataclass
class Summary:
    files: int = 0
    loaded: int = 0
    skipped: int = 0
    pruned: int = 0
    gone: int = 0  # files loaded before, no longer under the given directories, and not pruned
    failed: int = 0
    entities: Counts = field(default_factory=Counts)
    claims: Counts = field(default_factory=Counts)
    relations: Counts = field(default_factory=Counts)
    sources: Counts = field(default_factory=Counts)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # never a reason to fail (loaders/resolve.py)
    failed_files: dict[str, list[Problem]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "loaded": self.loaded,
            "skipped": self.skipped,
            "pruned": self.pruned,
            "gone": self.gone,
            "failed": self.failed,
            "entities": self.entities.as_dict(),
            "claims": self.claims.as_dict(),
            "relations": self.relations.as_dict(),
            "sources": self.sources.as_dict(),
            "problems": [str(p) for p in self.problems],
            "warnings": [str(p) for p in self.warnings],
        }


@dataclass
class Plan:
    documents: list[Document]
    replaced: set[str]
    entity_rows: dict[str, list[dict[str, Any]]]  # label kind -> rows to merge
    entity_deletes: list[str]
    record_deletes: list[str]
    claim_deletes: list[str]
    claim_upserts: list[Claim]
    claim_new: set[str]
    edge_merges: dict[str, list[dict[str, Any]]]  # relation -> rows
    edge_deletes: dict[str, list[dict[str, Any]]]
    source_deletes: list[str]
    edge_new: set[str]  # keys of merged edges that were not stored
    entity_new: set[str]
    source_new: set[str]
    early: bool = False  # sources and new claims are already handed to the writer (see the module's docstring)
    summary: Summary = field(default_factory=lambda: Summary())
    catalog: DocumentCatalog | None = None  # the store's documents as this run found them

    def counts(self) -> dict[str, Counts]:
        """What the plan changes, by kind of thing: added, updated, removed."""

        def merged(rows: dict[str, list[dict[str, Any]]]) -> int:
            return sum(len(r) for r in rows.values())

        return {
            "claims": Counts(
                len(self.claim_new), len(self.claim_upserts) - len(self.claim_new), len(self.claim_deletes)
            ),
            "relations": Counts(
                len(self.edge_new), merged(self.edge_merges) - len(self.edge_new), merged(self.edge_deletes)
            ),
            "entities": Counts(
                len(self.entity_new), merged(self.entity_rows) - len(self.entity_new), len(self.entity_deletes)
            ),
            "sources": Counts(len(self.source_new), 0, 0),
        }


Progress = Callable[[str, int, int], None]


class Interrupted(Exception):
    """A stop was requested (SIGTERM/SIGINT); what was written is completed by the next run."""

    def __init__(self, summary: Summary) -> None:
        self.summary = summary
        super().__init__("ingest interrupted")


@contextlib.contextmanager
def cycle_collection_paused() -> Generator[None, None, None]:
    """No cyclic garbage collection while a run plans and writes; as it was again afterwards.

    A run builds millions of long-lived objects (rows, claims, props) and frees them only at its end; the
    collector would traverse that growing heap again and again for cycles it hardly has (measured on 100,000
    facts: a third of a YAML run's time, a tenth of a JSON run's, for ~5 % more peak memory). Reference counting
    still frees everything else at once; the cycles a run leaves are collected after it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def validate(store: GraphStore, paths: Iterable[str | Path]) -> Summary:
    """Check files against the schema and the store's entities; writes nothing."""
    with cycle_collection_paused():
        return _plan(store, paths, full=True).summary


def ingest(
    store: GraphStore,
    paths: Iterable[str | Path],
    progress: Progress | None = None,
    *,
    full: bool = False,
    prune: bool = False,
    stop: Callable[[], bool] | None = None,
    schema: bool = True,
    lookups_later: bool = False,
) -> Summary:
    """Load the files; files that fail write nothing, the others load.

    Files whose content hash equals the one recorded at their last successful
    load are skipped unless `full`; with `prune`, documents whose files have
    disappeared from the given directories are removed. `schema=False`: the
    caller has just applied the schema with `prepare_schema` (on Neo4j each
    statement is a transaction), whose answer it passes as `lookups_later`.
    """
    if schema:
        lookups_later = prepare_schema(store)
    stop = stop or (lambda: False)
    # The server executes each statement while this thread builds the next one's rows.
    with cycle_collection_paused(), PipelinedWriter(store) as writer:
        plan = _plan(store, paths, full=full, prune=prune, early=(writer, stop))
        if plan.documents or plan.replaced:
            _write_plan(writer, plan, progress or (lambda _s, _d, _t: None), stop)
        summary = plan.summary
        # Freed before the collector is on again: it would first traverse all of it (~0.5 s at 100,000 facts).
        del plan
    if lookups_later:
        store.apply_schema("lookups")
    return summary


def prepare_schema(store: GraphStore) -> bool:
    """Apply the schema before a load; True if the claims' lookup indexes were left for after it.

    They are, in a store without claims (a first load): such a load never finds a claim through them, and
    FalkorDB builds them in one go after the claims are written faster than it updates them claim by claim
    (a first load of 100,000 facts: 0.2 to 1.3 s less in three pairs of runs, the ~1 s build included). A
    load that stops before the end leaves them to the next run, which finds claims and applies the whole
    schema; lookups meanwhile are slower, not wrong.
    Back ends that keep every index up to date as they write (Neo4j) have no such part.
    With claims, the run waits for indexes still being built (the claims' own, after a start of the embedded
    store: graph/embedded.py) only once it has a file to load or a document to remove (_plan): a run that finds
    nothing changed reads no claim."""
    if not schema_statements(store.backend, "lookups") or store.read(cypher("count_claims"))[0]["claims"]:
        store.apply_schema(wait=False)
        return False
    store.apply_schema("load")
    return True


def _read_candidates(found: list[FoundFile], kept: dict[str, str], summary: Summary) -> list[Candidate]:
    """Parse and validate the files, but those `kept` (shown name -> id of their loaded, current document)."""
    summary.skipped += len(kept)
    if len(kept) == len(found):
        return []
    from agkg.loaders.checked import check_files

    # Workers parse ahead while this loop takes their results in file order; a Path only for the files read.
    with contextlib.closing(check_files([(f.path, f.shown) for f in found if f.shown not in kept])) as checked:
        return _candidates(found, kept, checked, summary)


def _candidates(
    found: list[FoundFile], kept: dict[str, str], checked: Generator[Checked, None, None], summary: Summary
) -> list[Candidate]:
    candidates: list[Candidate] = []
    ids: dict[str, str] = {}
    for f in found:
        shown = f.shown
        if shown in kept:
            ids[kept[shown]] = shown
            continue
        result = next(checked)
        parsed, facts = result.parsed, result.facts
        if parsed is None or facts is None:
            summary.failed_files[shown] = result.problems
            continue
        doc = document_id(parsed, facts)
        if doc in ids:
            loc = ("source", "id") if facts.source else ()
            summary.failed_files[shown] = [
                parsed.problem(loc, f"source id '{doc}' is also used by {ids[doc]}; give each file its own `source.id`")
            ]
            continue
        ids[doc] = shown
        candidates.append(Candidate(parsed, facts, doc, result.problems, real=f.real))
    return candidates


def _pruned(roots: Iterable[str | Path], found: list[FoundFile], loaded: dict[str, dict[str, Any]]) -> set[str]:
    """Documents loaded from files under the given directories that no longer exist there."""
    present = {f.real for f in found}
    dirs = [str(Path(r).resolve()) + os.sep for r in roots if Path(r).is_dir()]
    return {
        row["id"]
        for path, row in loaded.items()
        if path not in present and any(path.startswith(d) for d in dirs) and not Path(path).exists()
    }


# Where the planner may hand writes over before the plan is done (ingest, not validate), and its stop flag.
Early = tuple[PipelinedWriter, Callable[[], bool]]


def _plan(
    store: GraphStore,
    paths: Iterable[str | Path],
    *,
    full: bool = True,
    prune: bool = False,
    early: Early | None = None,
) -> Plan:
    schema = load_schema()
    summary = Summary()
    roots = list(paths)
    found, missing = find_files(roots)
    for problem in missing:
        summary.failed_files[problem.file] = [problem]
    summary.files = len(found)
    catalog = DocumentCatalog(store)
    existing = catalog.rows()
    loaded = {row["path"]: row for row in existing}
    loaded_by_id = {row["id"]: row for row in existing}
    kept: dict[str, str] = {}
    if not full:
        hashes = HashCache(cache_path(store.location, (os.path.realpath(r) for r in roots)))
        kept = unchanged(found, loaded, hashes)
        hashes.save()
    candidates = _read_candidates(found, kept, summary)
    gone_files = _pruned(roots, found, loaded)
    pruned = gone_files if prune else set()
    summary.gone = 0 if prune else len(gone_files)
    candidates = _check_takeovers(candidates, loaded_by_id, summary)
    if candidates or pruned:
        store.await_indexes()  # before the first read by claim, entity record or document (see prepare_schema)
    resolved = list(candidates)  # their warnings, found by resolve(), count even if the orphan check drops them
    # Only the declarations these files need are read (none when nothing changed, the common unattended
    # run); all of them only when a name does not resolve, for the suggestions.
    declarations = StoredDeclarations(store)
    if full or len(candidates) >= len(existing):
        # Reading all is no dearer than working out which to read (the names of every fact) once the files
        # outnumber the stored documents: always so for a first load.
        declarations.read_all()
    elif candidates or pruned:
        superseded = _superseded(candidates, existing)
        declarations.read_for(candidates, {c.doc_id for c in candidates} | pruned | set().union(*superseded.values()))
    while True:
        superseded = _superseded(candidates, existing)
        gone = pruned | {s for docs in superseded.values() for s in docs}
        documents, failures = resolve(candidates, [r for r in declarations.records() if r.doc not in gone])
        if failures and not declarations.complete:
            declarations.read_all()
            continue
        summary.failed_files.update(failures)
        replaced = {d.id for d in documents} | {s for d in documents for s in superseded.get(d.id, ())} | pruned
        # Derived edges and entities are recomputed only where a claim or declaration changed, unless asked
        # for all (--full) or a replaced file was loaded by an older derivation.
        rederive = full or any(loaded_by_id.get(d, {}).get("derivation") != DERIVATION for d in replaced)
        touched = _changed_entities(documents, declarations.records(), replaced, rederive)
        declarations.read_entities(touched)
        stored_records = declarations.records()
        plan = _diff(
            store,
            schema,
            documents,
            replaced,
            stored_records,
            touched,
            rederive=rederive,
            early=early,
            trusted=not catalog.unfinished,
        )
        orphan_problems = _orphans(store, plan, stored_records, documents)
        if not orphan_problems:
            break
        summary.failed_files.update(orphan_problems)
        candidates = [c for c in candidates if c.parsed.display not in orphan_problems]
    counts = plan.counts()
    summary.claims, summary.relations = counts["claims"], counts["relations"]
    summary.entities, summary.sources = counts["entities"], counts["sources"]
    plan.summary = summary
    plan.catalog = catalog
    summary.failed = len(summary.failed_files)
    summary.loaded = len(plan.documents)
    summary.pruned = len(pruned)
    summary.problems = sorted(p for ps in summary.failed_files.values() for p in ps)
    summary.warnings = sorted(w for c in resolved for w in c.warnings)
    return plan


def _check_takeovers(
    candidates: list[Candidate], by_id: dict[str, dict[str, Any]], summary: Summary
) -> list[Candidate]:
    """A source id already loaded (`by_id`: loaded documents by id) from another file that still exists is a
    clash, not a move."""
    kept = []
    for cand in candidates:
        row = by_id.get(cand.doc_id)
        here = cand.real
        if row and row["path"] != here and Path(row["path"]).exists():
            summary.failed_files[cand.parsed.display] = [
                cand.parsed.problem(
                    ("source", "id") if cand.facts.source else (),
                    f"source id '{cand.doc_id}' is already loaded from {row['path']}; give this file its own "
                    "`source.id` (or delete the other file and load again)",
                )
            ]
            continue
        kept.append(cand)
    return kept


def _superseded(candidates: list[Candidate], existing: list[dict[str, Any]]) -> dict[str, set[str]]:
    """Documents loaded earlier from the same path under another id (the file's source id changed)."""
    paths = {c.real for c in candidates}
    by_path: dict[str, set[str]] = defaultdict(set)
    for row in existing:
        if row["path"] in paths:  # a one-file run looks up one path among thousands of documents
            by_path[row["path"]].add(row["id"])
    return {c.doc_id: by_path.get(c.real, set()) - {c.doc_id} for c in candidates}


def _changed_entities(
    documents: list[Document], stored: list[EntityRecord], replaced: set[str], rederive: bool
) -> set[str]:
    """The entities whose derived properties the plan may change: those with a declaration added, removed or
    changed by the documents (every entity they declare, when `rederive`)."""
    old = {r.id: r for r in stored if r.doc in replaced}
    new = {r.id: r for d in documents for r in d.records}
    if rederive:
        return {r.entity_id for r in (*old.values(), *new.values())}
    changed = {r.entity_id for i, r in old.items() if new.get(i) != r}
    return changed | {r.entity_id for i, r in new.items() if old.get(i) != r}


def _diff(
    store: GraphStore,
    schema: Any,
    documents: list[Document],
    replaced: set[str],
    stored_records: list[EntityRecord],
    touched_set: set[str],
    *,
    rederive: bool,
    early: Early | None = None,
    trusted: bool = True,
) -> Plan:
    """What changes, given the entities whose declarations changed (`touched_set`, from _changed_entities).

    Every read comes first; then, with `early`, documents new to the store are handed to the writer as they
    are computed: sources and claims, entities, edges a part at a time (the reads would otherwise wait for
    those writes, and read their claims back). `trusted`: every run that wrote edges before their claims
    ended (graph/cypher/mark_unfinished.cypher)."""
    # Claims.
    old_claims = {r["id"]: r for r in reads.claims_of_documents(store, sorted(replaced))}
    new_claims = {c.id: c for d in documents for c in d.claims}
    claim_upserts = [
        c for c in new_claims.values() if c.id not in old_claims or old_claims[c.id]["hash"] != c.props()["hash"]
    ]
    claim_deletes = sorted(set(old_claims) - set(new_claims))

    # Edges: every claim behind each edge whose claims changed, the replaced documents' claims swapped for the
    # new. An edge none of whose claims changed keeps its derived properties (every edge of the documents, when
    # `rederive`): a one-fact edit reads the claims of one edge, not of every edge the file touches.
    if rederive:
        keys = sorted({r["edge_key"] for r in old_claims.values()} | {c.edge_key for c in new_claims.values()})
    else:
        keys = sorted({old_claims[i]["edge_key"] for i in claim_deletes} | {c.edge_key for c in claim_upserts})
    stored_behind = reads.claims_behind_edges(store, keys)
    stored_keys = {row["edge_key"] for row in stored_behind}
    old_sources = reads.source_ids(store, sorted(replaced))
    new_sources = {d.id for d in documents if d.source is not None}
    # Nothing of these documents is stored, and every run ended: an edge exists only where a stored claim is
    # behind it, so only the keys of stored claims are looked up (a killed run may have left edges without
    # their claims, which would otherwise be created twice).
    fresh = (
        trusted
        and not old_claims
        and not old_sources
        and replaced == {d.id for d in documents}
        and not any(r.doc in replaced for r in stored_records)
    )
    old_edges = reads.edge_hashes(store, [EdgeKey.parse(k) for k in sorted(stored_keys if fresh else keys)])
    touched = sorted(touched_set)
    old_entities = reads.entity_hashes(store, touched)
    # A fresh plan deletes no entity, so the orphan check (_orphans) never drops one of these documents.
    hand = early if early is not None and fresh and documents else None
    if hand is not None:
        hand[0].write_later(_source_and_claim_writes(documents, claim_upserts, hand[1]))
    # Entities: those whose declarations changed, recomputed from every declaration that remains.
    new_records = {r.id: r for d in documents for r in d.records}
    old_records = {r.id: r for r in stored_records if r.doc in replaced}
    record_deletes = sorted(set(old_records) - set(new_records))
    by_entity: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in stored_records:
        if record.doc not in replaced and record.entity_id in touched_set:
            by_entity[record.entity_id].append(record.props())
    for record in new_records.values():
        by_entity[record.entity_id].append(record.props())
    entity_rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    entity_deletes: list[str] = []
    entity_new: set[str] = set()
    for entity_id in touched:
        if entity_id in by_entity:
            props = entity_props(by_entity[entity_id])
            if old_entities.get(entity_id) != props["hash"]:
                entity_rows[props["kind"]].append({"id": entity_id, "props": props})
                if entity_id not in old_entities:
                    entity_new.add(entity_id)
        elif entity_id in old_entities:
            entity_deletes.append(entity_id)
    if hand is not None:
        # Before any edge, whose statement finds its ends by id.
        hand[0].write_later(_entity_writes(entity_rows, entity_new, hand[1]))

    behind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in stored_behind:
        if row["doc"] not in replaced:
            behind[row["edge_key"]].append(row)
    for claim in new_claims.values():
        behind[claim.edge_key].append({"id": claim.id, **claim.props()})
    edge_merges: dict[str, list[dict[str, Any]]] = defaultdict(list)
    edge_deletes: dict[str, list[dict[str, Any]]] = defaultdict(list)
    edge_new: set[str] = set()
    # Handed over, a part at a time, as computed: the store writes them while the rest is computed. A part's
    # keys are in edge_new before it is handed over; the feeder reads the set while this loop adds to it.
    part: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for n, key in enumerate(keys, 1):
        s, relation, o = EdgeKey.parse(key)
        if behind.get(key):
            props = edge_props(behind[key], schema)
            if old_edges.get(key) != props["hash"]:
                row = {"s": s, "o": o, "props": props}
                edge_merges[relation].append(row)
                if key not in old_edges:
                    edge_new.add(key)
                if hand is not None:
                    part[relation].append(row)
        elif key in old_edges:
            edge_deletes[relation].append({"s": s, "o": o})
        if hand is not None and part and (n % EDGE_PART == 0 or n == len(keys)):
            hand[0].write_later(_edge_writes(part, edge_new, hand[1]))
            part = defaultdict(list)

    source_deletes = sorted(old_sources - new_sources)
    return Plan(
        documents,
        replaced,
        entity_rows,
        entity_deletes,
        record_deletes,
        claim_deletes,
        claim_upserts,
        {c.id for c in claim_upserts if c.id not in old_claims},
        edge_merges,
        edge_deletes,
        source_deletes,
        edge_new,
        entity_new,
        new_sources - old_sources,
        early=hand is not None,
    )


def _orphans(
    store: GraphStore, plan: Plan, stored: list[EntityRecord], documents: list[Document]
) -> dict[str, list[Problem]]:
    """An entity whose last declaration goes while other sources' claims still use it blocks that file."""
    if not plan.entity_deletes:
        return {}
    used = reads.entity_uses(store, plan.entity_deletes, sorted(plan.replaced))
    problems: dict[str, list[Problem]] = defaultdict(list)
    shown = {d.id: d.display for d in documents}
    for record in stored:
        if record.entity_id in used and record.doc in shown:
            problems[shown[record.doc]].append(
                Problem(
                    shown[record.doc],
                    1,
                    1,
                    f"entity '{record.name}' (id {record.entity_id}) is no longer declared in this file, but "
                    f"{used[record.entity_id]} claim(s) of other sources still use it; keep its entry here or "
                    "declare it in another file",
                )
            )
    return dict(problems)


def _write_plan(writer: PipelinedWriter, plan: Plan, progress: Progress, stop: Callable[[], bool]) -> None:
    total = (
        sum(map(len, plan.entity_rows.values()))
        + sum(map(len, plan.edge_merges.values()))
        + len(plan.claim_upserts)
        + len(plan.documents)
    )
    done = 0

    def step(label: str, n: int) -> None:
        nonlocal done
        done += n
        progress(label, done, total)
        if stop() and done < total:
            raise Interrupted(plan.summary)

    if plan.early:
        # Handed over by the planner, in this order: sources and claims, entities, edges.
        step("claims", len(plan.claim_new))
        step("entities", sum(map(len, plan.entity_rows.values())))
        step("relations", sum(map(len, plan.edge_merges.values())))
    else:
        writer.write(cypher("mark_unfinished"), [{}])
        writer.write(cypher("merge_sources"), _source_rows(plan.documents))
        for kind, rows in sorted(plan.entity_rows.items()):
            for query, batch, _ in _entity_writes({kind: rows}, plan.entity_new):
                writer.write(query, batch)
            step("entities", len(rows))
    for relation, rows in sorted(plan.edge_deletes.items()):
        writer.write(for_type("delete_edges", relation), rows)
    if not plan.early:
        for relation, rows in sorted(plan.edge_merges.items()):
            for query, batch, _ in _edge_writes({relation: rows}, plan.edge_new):
                writer.write(query, batch)
            step("relations", len(rows))
    else:
        # What the planner handed over stops being written once a stop is requested: after it has all run, a
        # stop means part of it was left out, and nothing below may record the documents as loaded.
        writer.drain()
        if stop():
            raise Interrupted(plan.summary)
    writer.write(cypher("delete_claims"), plan.claim_deletes)
    new = [] if plan.early else [c for c in plan.claim_upserts if c.id in plan.claim_new]
    changed = [c for c in plan.claim_upserts if c.id not in plan.claim_new]
    for statement, claims, strip in (("create_claims", new, True), ("merge_claims", changed, False)):
        for chunk in _claim_chunks(claims, strip):
            writer.write(cypher(statement), chunk, size=len(chunk))
            step("claims", sum(len(g["claims"]) for g in chunk))
    # Entities go before their declarations: a run killed in between still sees them as touched next time.
    writer.write(cypher("delete_entities"), plan.entity_deletes)
    writer.write(cypher("delete_records"), plan.record_deletes)
    records = [{"id": r.id, "props": r.props()} for d in plan.documents for r in d.records]
    writer.write(cypher("merge_records"), records)
    writer.write(cypher("delete_sources"), plan.source_deletes)
    superseded = sorted(plan.replaced - {d.id for d in plan.documents})
    version = DocumentCatalog.new_version()
    writer.write(cypher("delete_documents"), superseded, version=version)
    documents: list[dict[str, Any]] = [
        {
            "id": d.id,
            "props": {
                "path": d.path,
                "display": d.display,
                "sha256": d.sha256,
                "derivation": DERIVATION,
                "source_id": d.id if d.source else None,
            },
        }
        for d in plan.documents
    ]
    writer.write(cypher("merge_documents"), documents, version=version)
    writer.drain()
    if plan.catalog is not None and (superseded or documents):
        plan.catalog.written(version, superseded, [{"id": d["id"], **d["props"]} for d in documents])
    step("documents", len(documents))


def _set(props: dict[str, Any]) -> dict[str, Any]:
    """A new node's properties: it has none to clear, so nulls are left out."""
    return {k: v for k, v in props.items() if v is not None}


def _source_rows(documents: list[Document]) -> list[dict[str, Any]]:
    return [{"id": d.id, "props": d.source} for d in documents if d.source]


def _source_and_claim_writes(
    documents: list[Document], claims: list[Claim], stop: Callable[[], bool]
) -> Generator[tuple[str, list[dict[str, Any]], dict[str, Any]], None, None]:
    """New documents' sources and claims, as writes built one batch at a time (see PipelinedWriter.write_later)."""
    yield cypher("merge_sources"), _source_rows(documents), {}
    for chunk in _claim_chunks(claims, strip=True):
        if stop():
            return  # the ingest notices the stop at its next write and leaves; nothing here is needed for that
        yield cypher("create_claims"), chunk, {"size": len(chunk)}


Writes = Iterator[tuple[str, list[dict[str, Any]], dict[str, Any]]]

# Edge keys a fresh plan computes before it hands their edges to the writer: a few statements per part.
EDGE_PART = 10_000


def _entity_writes(
    rows: dict[str, list[dict[str, Any]]], new: set[str], stop: Callable[[], bool] | None = None
) -> Writes:
    """Writes of entities by kind: those the plan found missing are created, not merged (nothing to look up).

    With `stop`, none once it is set: what the planner hands over must never follow claims it stopped."""
    for kind, group in sorted(rows.items()):
        if stop is not None and stop():
            return
        yield (
            for_label("create_entities", kind),
            [{"id": r["id"], "props": _set(r["props"])} for r in group if r["id"] in new],
            {},
        )
        yield for_label("merge_entities", kind), [r for r in group if r["id"] not in new], {}


def _edge_writes(
    rows: dict[str, list[dict[str, Any]]], new: set[str], stop: Callable[[], bool] | None = None
) -> Writes:
    """Writes of edges by relation (`new`: keys of those to create), as _entity_writes."""
    for relation, group in sorted(rows.items()):
        if stop is not None and stop():
            return
        yield for_type("create_edges", relation), [r for r in group if r["props"]["key"] in new], {}
        yield for_type("merge_edges", relation), [r for r in group if r["props"]["key"] not in new], {}


def _claim_chunks(claims: list[Claim], strip: bool, size: int = 2000) -> Iterable[list[dict[str, Any]]]:
    """The claims grouped by source, in batches holding about `size` claims each (a large source is split).

    Rows are built a batch at a time: the writer's queue, not this list, bounds what waits in memory."""
    by_source: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        by_source[claim.source_id].append(claim)
    chunk: list[dict[str, Any]] = []
    count = 0
    for source_id, group in by_source.items():
        for start in range(0, len(group), size):
            # A new node has no property to clear, so nulls are left out; an update must send them.
            part = [{"id": c.id, "props": _set(c.props()) if strip else c.props()} for c in group[start : start + size]]
            chunk.append({"source_id": source_id, "claims": part})
            count += len(part)
            if count >= size:
                yield chunk
                chunk, count = [], 0
    if chunk:
        yield chunk
