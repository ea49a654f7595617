"""Incremental-ingest benchmark: what a scheduled re-run costs when nothing, or one file, has changed.

One run on the synthetic corpus (default 50,000 facts over 1,000 source files, plus the gazetteer), on an
embedded FalkorDB and on Neo4j side by side (the Neo4j 5.26 test server, started here, unless NEO4J_URI names
one), every load through `agkg.loaders.runs.run_ingest` (lock, run ledger, incremental ingest), as
`agkg ingest` does:

  full       the whole corpus into a fresh embedded store
  no-change  the same again, nothing changed                   target <= 10% of full
  one-file   one fact's status edited in one file, run again    target <= 2x "one file alone"
  alone      the edited file alone into a fresh store; a source file names entities declared in other
             files, so it is loaded as a self-contained copy that also declares those entities (as they are
             declared elsewhere): a few more entity writes than the file itself causes. Loaded twice, each
             time into an empty store, the second counted (the first warms the engine up)

    python bench/incremental_bench.py
    python bench/incremental_bench.py --facts 10000 --sources 200     # quick run
    python bench/incremental_bench.py --backends falkordb             # FalkorDB alone
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from agkg.graph.falkor import FalkorStore
from agkg.graph.store import GraphStore
from agkg.loaders.names import NameIndex
from agkg.loaders.runs import RunResult, run_ingest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import Corpus, _entity_doc, _yaml, add_arguments, corpus_kwargs, generate, publish
from ingest_bench import BACKENDS, LABELS, Neo4jTarget, neo4j_target, parse_backends, revision

OUT = Path(__file__).resolve().parent / "out"
TARGET_NO_CHANGE = 0.10  # of the full load
TARGET_ONE_FILE = 2.0  # times loading that file alone
_STATUS = re.compile(r"^(\s+status: )(\w+)$", re.MULTILINE)


@contextlib.contextmanager
def fresh_store(root: Path, name: str) -> Iterator[FalkorStore]:
    store = FalkorStore.embedded(root / name)
    try:
        yield store
    finally:
        store.close()
        shutil.rmtree(root / name, ignore_errors=True)


def timed_run(store: GraphStore, paths: list[Path]) -> tuple[float, RunResult]:
    start = time.perf_counter()
    result = run_ingest(store, paths)
    seconds = time.perf_counter() - start
    if result.status != "ok":
        shown = "\n".join(str(p) for p in result.summary.problems[:10])
        raise RuntimeError(f"run {result.status}:\n{shown}")
    return seconds, result


def _summary(result: RunResult) -> dict[str, Any]:
    return {k: v for k, v in result.summary.as_dict().items() if k != "problems"}


def edit_status(path: Path) -> tuple[str, str]:
    """Change the first fact's status in place (the rest of the file byte for byte the same)."""
    text = path.read_text(encoding="utf-8")
    found = _STATUS.search(text)
    if not found:
        raise SystemExit(f"{path}: no `status:` line to edit")
    old = found[2]
    new = "confirmed" if old != "confirmed" else "reported"
    path.write_text(text[: found.start(2)] + new + text[found.end(2) :], encoding="utf-8")
    return old, new


def standalone_copy(corpus: Corpus, path: Path, out: Path) -> Path:
    """`path` plus declarations of the entities its facts name but other files declare."""
    body = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    index = NameIndex()
    by_id = {e.id: e for e in corpus.entities}
    for e in corpus.entities:
        index.add(e.id, e.kind, e.name, e.aliases)
    declared = {index.resolve(d["name"]).id for d in body.get("entities", [])}
    named = {index.resolve(f[role]).id for f in body["facts"] for role in ("subject", "object")}
    extra = [_entity_doc(by_id[i]) for i in sorted(named - declared)]
    copy = {"source": body["source"], "entities": [*body.get("entities", []), *extra], "facts": body["facts"]}
    out.mkdir(parents=True, exist_ok=True)
    target = out / path.name
    target.write_text(_yaml(copy), encoding="utf-8")
    return target


LABELS_RUN = {
    "full": "full load, fresh store",
    "no_change": "re-run, nothing changed",
    "one_file": "re-run, one file changed",
    "alone_fresh": "one file alone, fresh store (self-contained copy)",
}


def report(result: dict[str, Any]) -> str:
    p = result["params"]
    one = result["one_file"]
    backends: dict[str, Any] = result["backends"]
    lines = [
        f"corpus: {p['facts']:,} facts in {p['files']:,} files ({p['bytes'] / 2**20:.1f} MiB); "
        f"edited {one['file']} ({one['facts']} facts): status {one['status_from']} -> {one['status_to']}",
        f"load {result['loadavg'][0]:.2f} on {result['nproc']} CPUs; every load via run_ingest (lock + ledger)",
        "",
        f"{'run':<52}" + "".join(f"{LABELS[b] + ' s':>14}" for b in backends),
    ]
    for key, label in LABELS_RUN.items():
        lines.append(f"{label:<52}" + "".join(f"{r['runs'][key]['seconds']:>14.3f}" for r in backends.values()))
    lines.append("")
    for name, r in backends.items():
        q = r["ratios"]
        lines += [
            f"{LABELS[name]}: no-change / full        = {q['no_change_vs_full']:.4f}  (target <= {TARGET_NO_CHANGE}: "
            f"{'met' if q['no_change_pass'] else 'NOT MET'})",
            f"{LABELS[name]}: one-file / alone, fresh = {q['one_file_vs_alone_fresh']:.2f}x (target <= "
            f"{TARGET_ONE_FILE:g}x: {'met' if q['one_file_pass'] else 'NOT MET'})",
        ]
    return "\n".join(lines)


@contextlib.contextmanager
def neo4j_fresh(target: Neo4jTarget, _name: str) -> Iterator[GraphStore]:
    target.empty()
    with contextlib.closing(target.store()) as store:
        yield store


def measure(
    fresh: Callable[[str], contextlib.AbstractContextManager[GraphStore]], corpus: Corpus, target: Path, alone: Path
) -> dict[str, Any]:
    """The four runs on one back end; the edited file is put back afterwards."""
    runs: dict[str, dict[str, Any]] = {}

    def record(key: str, seconds: float, result: RunResult) -> None:
        runs[key] = {"seconds": round(seconds, 3), "summary": _summary(result)}
        print(f"  {key}: {seconds:.3f} s", flush=True)

    original = target.read_bytes()
    # Twice, each into an empty store, and the second counted: the first pays for a cold engine (Neo4j's JIT
    # and plan cache), which a store that has been loading for a while does not.
    for _ in range(2):
        with fresh("store-alone") as store:
            record("alone_fresh", *timed_run(store, [alone]))
    with fresh("store-main") as store:
        record("full", *timed_run(store, [corpus.directory]))
        record("no_change", *timed_run(store, [corpus.directory]))
        try:
            edit_status(target)
            record("one_file", *timed_run(store, [corpus.directory]))
        finally:
            target.write_bytes(original)
    changed = runs["one_file"]["summary"]
    if changed["loaded"] != 1 or changed["claims"]["updated"] != 1:
        raise SystemExit(f"the one-file re-run did not reload exactly one file and update one claim: {changed}")
    ratios: dict[str, Any] = {
        "no_change_vs_full": round(runs["no_change"]["seconds"] / runs["full"]["seconds"], 4),
        "one_file_vs_alone_fresh": round(runs["one_file"]["seconds"] / runs["alone_fresh"]["seconds"], 3),
    }
    ratios["no_change_pass"] = ratios["no_change_vs_full"] <= TARGET_NO_CHANGE
    ratios["one_file_pass"] = ratios["one_file_vs_alone_fresh"] <= TARGET_ONE_FILE
    return {"runs": runs, "ratios": ratios}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser)
    parser.set_defaults(facts=50_000, sources=1000)
    parser.add_argument("--backends", type=parse_backends, default=BACKENDS)
    parser.add_argument("--output", type=Path, default=OUT / "incremental.json")
    args = parser.parse_args(argv)
    # Temporary stores: a lingering server would outlive its deleted directory.
    os.environ["AGKG_EMBEDDED_LINGER"] = "0"
    measured = revision()  # the code at the start: commits made while the bench runs do not count

    with tempfile.TemporaryDirectory(prefix="agkg-incremental-") as tmp, contextlib.ExitStack() as stack:
        root = Path(tmp)
        corpus = generate(root / "corpus", **corpus_kwargs(args))
        print(f"generated {len(corpus.facts):,} facts in {len(corpus.files):,} files", flush=True)
        target = corpus.files[1 + len(corpus.files) // 2]  # a source file, not the gazetteer
        alone = standalone_copy(corpus, target, root / "alone")
        facts = len(YAML(typ="safe").load(target.read_text(encoding="utf-8"))["facts"])
        old, new = _edit_preview(target)
        backends: dict[str, Any] = {}
        for name in args.backends:
            print(f"[{LABELS[name]}]", flush=True)
            if name == "falkordb":
                backends[name] = measure(functools.partial(fresh_store, root), corpus, target, alone)
            else:
                neo = stack.enter_context(neo4j_target(os.environ.get("NEO4J_URI")))
                backends[name] = measure(functools.partial(neo4j_fresh, neo), corpus, target, alone)

    result = {
        "params": corpus.params,
        "revision": measured,
        "nproc": len(os.sched_getaffinity(0)),
        "loadavg": list(os.getloadavg()),
        "one_file": {"file": target.name, "facts": facts, "status_from": old, "status_to": new},
        "backends": backends,
        "targets": {"no_change_vs_full": TARGET_NO_CHANGE, "one_file_vs_alone": TARGET_ONE_FILE},
    }
    publish(result, report(result), args.output)


def _edit_preview(path: Path) -> tuple[str, str]:
    """The status edit_status would make, without making it."""
    found = _STATUS.search(path.read_text(encoding="utf-8"))
    if not found:
        raise SystemExit(f"{path}: no `status:` line to edit")
    return found[2], "confirmed" if found[2] != "confirmed" else "reported"


if __name__ == "__main__":
    main()
