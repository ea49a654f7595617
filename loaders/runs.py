"""A scheduled-ingest run: lock, ledger entry, incremental ingest, clean stop on SIGTERM/SIGINT."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import threading
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from agkg import __version__
from agkg.graph.cypher import cypher
from agkg.graph.lock import IngestLock
from agkg.graph.store import GraphStore
from agkg.loaders.ingest import Interrupted, Progress, Summary, ingest, prepare_schema

MAX_LEDGER_ERRORS = 200


@dataclass
class RunResult:
    id: str
    status: str  # ok | invalid | interrupted
    summary: Summary


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


@contextmanager
def stop_on_signals(flag: threading.Event) -> Iterator[None]:
    """SIGTERM and SIGINT ask the run to stop at the next safe point instead of killing it mid-batch."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, _frame: FrameType | None) -> None:
        flag.set()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def run_ingest(
    store: GraphStore,
    paths: Iterable[str | Path],
    *,
    full: bool = False,
    prune: bool = False,
    wait: float = 0.0,
    progress: Progress | None = None,
    stop: threading.Event | None = None,
) -> RunResult:
    """One ingest run under the store's lock, recorded in the run ledger."""
    given = [str(p) for p in paths]
    lookups_later = prepare_schema(store)
    lock = IngestLock(store)
    flag = stop or threading.Event()
    with lock.held(wait), stop_on_signals(flag):
        run_id = f"{_now()}-{uuid.uuid4().hex[:6]}"
        base = {
            "started": _now(),
            "version": __version__,
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "paths": given,
            "full": full,
            "prune": prune,
            "status": "running",
        }
        store.write(cypher("run_abandon"), {"id": run_id})
        store.write(cypher("run_start"), {"id": run_id, "props": base})
        try:
            summary = ingest(
                store,
                given,
                progress,
                full=full,
                prune=prune,
                stop=flag.is_set,
                schema=False,
                lookups_later=lookups_later,
            )
            status = "invalid" if summary.failed else "ok"
        except Interrupted as exc:
            summary, status = exc.summary, "interrupted"
        except BaseException:
            store.write(cypher("run_start"), {"id": run_id, "props": {"status": "failed", "finished": _now()}})
            raise
        store.write(
            cypher("run_start"), {"id": run_id, "props": {**_ledger(summary), "status": status, "finished": _now()}}
        )
    return RunResult(run_id, status, summary)


def _ledger(summary: Summary) -> dict[str, Any]:
    props: dict[str, Any] = {
        "files_seen": summary.files,
        "files_loaded": summary.loaded,
        "files_skipped": summary.skipped,
        "files_failed": summary.failed,
        "files_pruned": summary.pruned,
        "failed_files": sorted(summary.failed_files),
        "errors": [str(p) for p in summary.problems[:MAX_LEDGER_ERRORS]],
    }
    for name in ("entities", "claims", "relations"):
        for what, count in getattr(summary, name).as_dict().items():
            props[f"{name}_{what}"] = count
    return props


def list_runs(store: GraphStore, last: int = 10) -> list[dict[str, Any]]:
    return [row["run"] for row in store.read(cypher("run_list"), {"limit": last})]
