"""`agkg watch`: the incremental ingest in a loop, for unattended use."""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from pathlib import Path

from agkg.cli.logs import log
from agkg.errors import AgkgError, LockHeld, StoreUnavailable

_UNITS = {"s": 1, "m": 60, "h": 3600}
MAX_BACKOFF = 300.0


def parse_interval(text: str) -> float:
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*", text)
    if not match or float(match[1]) <= 0:
        raise ValueError(f"invalid interval '{text}': expected a number with s, m or h, e.g. 30s, 5m, 1h")
    return float(match[1]) * _UNITS[match[2] or "s"]


def watch_loop(location: str | None, paths: Sequence[Path], interval: float, *, prune: bool, max_runs: int) -> int:
    """Returns the exit code: 0 after a clean stop."""
    from agkg.graph.store import open_store
    from agkg.loaders.runs import run_ingest, stop_on_signals

    stop = threading.Event()
    runs = 0
    backoff = min(5.0, interval)
    with stop_on_signals(stop):
        while not stop.is_set():
            pause = interval
            try:
                store = open_store(location)
                try:
                    result = run_ingest(store, paths, prune=prune, stop=stop)
                finally:
                    store.close()
                s = result.summary
                log(
                    "ingest.run",
                    "warning" if s.failed else "info",
                    run=result.id,
                    status=result.status,
                    files=s.files,
                    loaded=s.loaded,
                    skipped=s.skipped,
                    failed=s.failed,
                    pruned=s.pruned,
                    claims_added=s.claims.added,
                    claims_removed=s.claims.removed,
                    relations_added=s.relations.added,
                    relations_removed=s.relations.removed,
                )
                for problem in s.problems:
                    log(
                        "problem",
                        "error",
                        file=problem.file,
                        line=problem.line,
                        column=problem.column,
                        message=problem.message,
                    )
                backoff = min(5.0, interval)
            except StoreUnavailable as exc:
                log("store.unavailable", "error", error=str(exc), retry_in=backoff)
                pause, backoff = backoff, min(backoff * 2, MAX_BACKOFF)
            except LockHeld as exc:
                log("lock.held", "warning", error=str(exc))
            except AgkgError as exc:
                log("ingest.error", "error", error=str(exc))
            runs += 1
            if max_runs and runs >= max_runs:
                break
            stop.wait(pause)
    log("watch.stopped", runs=runs)
    return 0
