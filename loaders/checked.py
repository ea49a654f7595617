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
import marshal
import multiprocessing
import os
import signal
from collections.abc import Generator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agkg.errors import InputError, Problem
from agkg.loaders.model import FactFile
from agkg.loaders.parse import ParsedFile

# Below this much estimated serial YAML reading a pool does not pay for its start-up and for pickling the
# results back (bench/ingest_bench.py --pool-threshold measures it: with yaml-rs and the workers parsing only,
# 2026-12-03, 0.83-1.04x the serial time from 256 files on, more below; a first load of 1,001 files gained
# ~1.3 s over workers that also validated). Only YAML counts: JSON, CSV and JSON Lines parse faster than
# their results unpickle, so the pool never paid for them in measurements.
MIN_POOL_SECONDS = 0.4
YAML_BYTES_PER_SECOND = 1e7  # read and validated, ~2 ms for a 100-fact file
FILES_PER_TASK = 16
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

    try:
        parsed = read_any(path, shown)
    except InputError as exc:
        return Checked(shown, None, None, exc.problems)
    return _validated(shown, parsed)


def _validated(shown: str, parsed: ParsedFile) -> Checked:
    from agkg.loaders.validate import validate_file

    facts, problems = validate_file(parsed)
    return Checked(shown, parsed, facts, problems)


# What a worker sends back for a file: its problems when it could not be read, else the ParsedFile's fields with
# its data as marshal bytes (plain YAML and JSON values; pickled when marshal refuses a value, e.g. a date).
_Sent = list[Problem] | tuple[Path, str, str, str, str, bytes | None, Any]


def _parse_many(items: Sequence[tuple[Path, str]]) -> list[_Sent]:
    from agkg.loaders.readers import read_any

    out: list[_Sent] = []
    for path, shown in items:
        try:
            parsed = read_any(path, shown)
        except InputError as exc:
            out.append(exc.problems)
            continue
        try:
            packed, data = marshal.dumps(parsed.data), None
        except ValueError:
            packed, data = None, parsed.data
        # The located tree (a file with problems) is rebuilt from the text on demand, not sent.
        out.append((parsed.path, parsed.display, parsed.sha256, parsed.text, parsed.format, packed, data))
    return out


def _check_many(items: Sequence[tuple[Path, str]]) -> list[Checked]:
    return [check_file(path, shown) for path, shown in items]


def _received(items: Sequence[tuple[Path, str]], sent: list[_Sent]) -> list[Checked]:
    out = []
    for (_, shown), one in zip(items, sent, strict=True):
        if isinstance(one, list):
            out.append(Checked(shown, None, None, one))
            continue
        path, display, sha256, text, fmt, packed, data = one
        parsed = ParsedFile(path, display, sha256, text, fmt, marshal.loads(packed) if packed is not None else data)
        out.append(_validated(shown, parsed))
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
    return min(cores - 1, -(-len(items) // FILES_PER_TASK))


def check_files(items: Sequence[tuple[Path, str]], workers: int | None = None) -> Generator[Checked, None, None]:
    """Every file read and validated, in the order given.

    With workers, the files go in tasks of FILES_PER_TASK: the workers read and parse them, and this process
    validates what they send back, in file order, while they parse the next. Validated models would cost more
    to send back than to make here (100 facts: ~0.8 ms to pickle and unpickle, ~0.9 ms to validate), plain
    parsed values ~0.1 ms as marshal bytes; parsing and validating cost about the same, so two cores share
    them evenly."""
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
        futures = [pool.submit(_parse_many, task) for task in tasks]
        for future, task in zip(futures, tasks, strict=True):
            yield from _result(future, task)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _result(future: Future[list[_Sent]], task: Sequence[tuple[Path, str]]) -> list[Checked]:
    try:
        sent = future.result()
    except BrokenProcessPool:
        # A worker was killed (out of memory, or by hand): read its share here rather than fail the run.
        return _check_many(task)
    return _received(task, sent)


def _worker_setup(parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    with contextlib.suppress(OSError, AttributeError):
        # Linux: killed when the parent dies, even by SIGKILL, instead of waiting on a queue nobody feeds.
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)
