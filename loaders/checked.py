"""Parse and validate fact files, in worker processes when there is enough work to pay for them.

Parsing holds the GIL (ruamel builds Python objects for every scalar), so threads would not help; worker
processes do, on a machine with a core to spare. A pool costs its start-up and the pickling of every result
back to this process, so small runs and one-core machines read here. Results come back in file order,
whatever order the workers finish in, so that messages and the first-file-wins rules are the same as a
serial read.

Workers ignore SIGINT and SIGTERM: the ingest that started them decides when to stop (at its next write
batch), and shuts the pool down, cancelling unstarted work, however it leaves the read: done, an error, or
a stop. A worker whose parent dies is killed with it (Linux's parent-death signal).
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
from collections.abc import Generator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from agkg.errors import InputError, Problem
from agkg.loaders.model import FactFile
from agkg.loaders.parse import ParsedFile

# Below this much estimated serial YAML reading a pool does not pay for its start-up and for pickling the
# results back (bench/ingest_bench.py --pool-threshold measures it: with yaml-rs, 2026-12-03, the pool took
# 0.92-0.98x the serial time from 128 files on, more below: since YAML reads as fast as JSON validates, it pays
# little). Only YAML counts: JSON, CSV and JSON Lines
# parse faster than their validated results unpickle, so the pool never paid for them in measurements.
MIN_POOL_SECONDS = 0.4
YAML_BYTES_PER_SECOND = 1e7  # read and validated, ~2 ms for a 100-fact file
FILES_PER_TASK = 4
_PR_SET_PDEATHSIG = 1


@dataclass
class Checked:
    """One file read and validated: `facts` holds its valid parts (None when none can be checked further),
    `problems` what is wrong with it (see `validate_file`)."""

    shown: str
    parsed: ParsedFile | None
    facts: FactFile | None
    problems: list[Problem]


def check_file(path: Path, shown: str) -> Checked:
    from agkg.loaders.readers import read_any
    from agkg.loaders.validate import validate_file

    try:
        parsed = read_any(path, shown)
    except InputError as exc:
        return Checked(shown, None, None, exc.problems)
    facts, problems = validate_file(parsed)
    return Checked(shown, parsed, facts, problems)


def _check_many(items: Sequence[tuple[Path, str]]) -> list[Checked]:
    out = []
    for path, shown in items:
        checked = check_file(path, shown)
        if checked.parsed is not None:
            # The located tree of a file with problems is rebuilt on demand; not worth pickling back.
            checked.parsed._tree = None
        out.append(checked)
    return out


def estimated_seconds(items: Sequence[tuple[Path, str]]) -> float:
    """Serial YAML parsing time, roughly, from the files' sizes."""
    total = 0
    for path, _ in items:
        if path.suffix.lower() in (".yaml", ".yml"):
            with contextlib.suppress(OSError):
                total += path.stat().st_size
    return total / YAML_BYTES_PER_SECOND


def workers_for(items: Sequence[tuple[Path, str]]) -> int:
    """How many worker processes to read these files with, beside this one: 0 means read them all here."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if cores < 2 or len(items) < 2 * FILES_PER_TASK or estimated_seconds(items) < MIN_POOL_SECONDS:
        return 0
    return min(cores - 1, len(items) // FILES_PER_TASK - 1)


def check_files(items: Sequence[tuple[Path, str]], workers: int | None = None) -> Generator[Checked, None, None]:
    """Every file read and validated, in the order given.

    With workers, the files go in tasks of FILES_PER_TASK, dealt round-robin between this process and the
    workers: this process reads its share itself (nothing to pickle) while the workers read theirs."""
    count = workers_for(items) if workers is None else workers
    if count < 1:
        for path, shown in items:
            yield check_file(path, shown)
        return
    tasks = [items[i : i + FILES_PER_TASK] for i in range(0, len(items), FILES_PER_TASK)]
    # fork: a worker starts in milliseconds with the parsers already imported. spawn and forkserver would run
    # the caller's main module again in every worker, which breaks any script calling ingest() without an
    # `if __name__ == "__main__"` guard. A forked worker only parses: it never touches the store connection
    # or the lock it inherits, and it dies with its parent.
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(count, mp_context=context, initializer=_worker_setup, initargs=(os.getpid(),))
    try:
        share = count + 1
        futures = {i: pool.submit(_check_many, task) for i, task in enumerate(tasks) if i % share}
        for i, task in enumerate(tasks):
            yield from _result(futures.pop(i), task) if i % share else _check_many(task)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _result(future: Future[list[Checked]], task: Sequence[tuple[Path, str]]) -> list[Checked]:
    try:
        return future.result()
    except BrokenProcessPool:
        # A worker was killed (out of memory, or by hand): read its share here rather than fail the run.
        return _check_many(task)


def _worker_setup(parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    with contextlib.suppress(OSError, AttributeError):
        # Linux: killed when the parent dies, even by SIGKILL, instead of waiting on a queue nobody feeds.
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)
