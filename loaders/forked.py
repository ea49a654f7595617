"""Work split between this process and one forked worker, for CPU-bound steps on a machine with a core to spare.

A forked worker starts in milliseconds and sees this process's data as it is (copy-on-write: nothing is pickled
on the way in), so a step over in-memory data (resolving every file's facts against the name index) can run in
two halves at once; only the worker's half of the results is pickled back. The worker ignores SIGINT and
SIGTERM (the caller decides when to stop) and dies with its parent (Linux's parent-death signal).
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

T = TypeVar("T")
Part = Callable[[int, int], list[T]]
_PR_SET_PDEATHSIG = 1
# What the forked worker runs and how it sends its results: set just before the fork, inherited by it.
_WORK: tuple[Part[Any], Callable[[Any], Any]] | None = None


def _same(value: Any) -> Any:
    return value


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def in_two(
    part: Part[T],
    weights: Sequence[int],
    *,
    first: float = 0.5,
    pack: Callable[[list[T]], Any] = _same,
    unpack: Callable[[Any], list[T]] = _same,
) -> list[T]:
    """`part(0, n)` over n = len(weights) items, computed as `part(0, cut) + part(cut, n)`: this process takes
    the first part, a forked worker the second; `cut` gives this process the share `first` of the weights (the
    work each item costs; more than half when the worker's results cost it to send back). The worker returns
    `pack(results)`, which this process reads with `unpack` (pickle by default, between them). A worker that
    dies (killed, out of memory) has its part computed here instead."""
    n = len(weights)
    total, cut, acc = sum(weights), 0, 0
    while cut < n and acc + weights[cut] <= first * total:
        acc += weights[cut]
        cut += 1
    if cut in (0, n):
        return part(0, n)
    global _WORK
    _WORK = (part, pack)
    try:
        # fork, for the reasons loaders/checked.py gives; the worker touches neither the store nor the lock.
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(1, mp_context=context, initializer=worker_setup, initargs=(os.getpid(),)) as pool:
            future = pool.submit(_run_part, cut, n)  # forks here, with _WORK set
            head = part(0, cut)
            try:
                tail = unpack(future.result())
            except BrokenProcessPool:
                tail = part(cut, n)
    finally:
        _WORK = None
    return head + tail


def _run_part(lo: int, hi: int) -> Any:
    assert _WORK is not None
    part, pack = _WORK
    return pack(part(lo, hi))


def worker_setup(parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    with contextlib.suppress(OSError, AttributeError):
        # Linux: killed when the parent dies, even by SIGKILL, instead of waiting on a queue nobody feeds.
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)
