"""Writes that run on a thread of their own, in the order given, while the caller prepares the next ones.

The store is another process (the embedded FalkorDB server, or Neo4j): while it executes one batch, the
caller's thread builds the next rows and, where the store's client encodes parameters itself (FalkorDB),
encodes them (`GraphStore.prepare_write`), so the writer thread only sends: encoded on the writer thread,
each batch's encoding had the server wait (a 100,000-fact load spent ~2 s so). Every statement is split
into batches as `write_rows`, the one batched `UNWIND $rows` helper, splits it (`batched_writes`), and they
run one at a time and in order, so a run stopped or killed at any point has written a prefix of what a
serial run writes: the crash-safety order of the ingest is unchanged.

At most `depth` batches wait in the queue: the caller is never more than that far ahead of the store,
so a stop requested between batches is honoured within `depth` batches, after those already handed
over have run.

`write_later` hands over writes the caller can already name while it still has work to do before its
next ones (the ingest's planner, computing edges while a fresh document's claims are written): a feeder
thread builds and queues them, in the order of the `write_later` calls (a call while the feeder is busy
returns at once, its writes queued behind), and every later write, drain or close waits for the feeder
first, so the order stays the order of the calls.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Sequence
from types import TracebackType
from typing import Any

from agkg.graph.store import GraphStore, batched_writes

_DONE = object()


class PipelinedWriter:
    def __init__(self, store: GraphStore, depth: int = 2) -> None:
        self._store = store
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._feeder: threading.Thread | None = None
        self._later: queue.Queue[Any] = queue.Queue()  # what write_later handed over, for the feeder
        self._leaving = False
        self._thread = threading.Thread(target=self._run, name="agkg-writer", daemon=True)
        self._thread.start()

    def write(self, query: str, rows: Sequence[Any], **params: Any) -> None:
        """Queue what `write_rows(store, query, rows, **params)` runs; raises the error of an earlier write, if any."""
        self._join_feeder()
        self._raise()
        for batch in batched_writes(query, rows, **params):
            self._queue.put(self._store.prepare_write(*batch))

    def write_later(self, writes: Iterable[tuple[str, Sequence[Any], dict[str, Any]]]) -> None:
        """Queue each (query, rows, params) of `writes` from a thread of its own, and return at once.

        `writes` is consumed on that thread (a generator builds its rows there, as the store takes them);
        an error it raises is raised here by the next call, like a failed write's."""
        self._raise()
        self._later.put(writes)
        if self._feeder is None:
            self._feeder = threading.Thread(target=self._feed_all, name="agkg-feeder", daemon=True)
            self._feeder.start()

    def drain(self) -> None:
        """Wait until every queued write has run; raises the first error."""
        self._join_feeder()
        self._queue.join()
        self._raise()

    def close(self) -> None:
        """Stop the thread once the queued writes have run (or, after an error, been dropped)."""
        self._join_feeder()
        if self._thread.is_alive():
            self._queue.put(_DONE)
            self._thread.join()

    def __enter__(self) -> PipelinedWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if kind is not None:
            self._leaving = True
            self._discard()
        self.close()
        if kind is None:
            self._raise()

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            try:
                if item is _DONE:
                    return
                if self._error is None and not self._leaving:  # a feeder may queue one more as the caller leaves
                    self._store.write(*item)
            except BaseException as exc:  # handed to the caller's thread, which raises it
                self._error = exc
            finally:
                self._queue.task_done()

    def _feed_all(self) -> None:
        while (writes := self._later.get()) is not _DONE:
            self._feed(writes)

    def _feed(self, writes: Iterable[tuple[str, Sequence[Any], dict[str, Any]]]) -> None:
        try:
            for query, rows, params in writes:
                for batch in batched_writes(query, rows, **params):
                    if self._leaving or self._error is not None:
                        return
                    self._queue.put(self._store.prepare_write(*batch))
        except BaseException as exc:  # raised on the caller's thread by its next call
            if self._error is None:
                self._error = exc

    def _join_feeder(self) -> None:
        feeder, self._feeder = self._feeder, None
        if feeder is not None:
            self._later.put(_DONE)
        while feeder is not None and feeder.is_alive():
            if self._leaving:
                self._discard()  # a feeder blocked on a full queue gets its place, sees the flag and stops
            feeder.join(timeout=0.05)

    def _discard(self) -> None:
        """Drop writes not yet started: the caller is leaving early (a stop or an error)."""
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                return
            self._queue.task_done()

    def _raise(self) -> None:
        # The error stays set: writes queued after a failed one are dropped, never run.
        if self._error is not None:
            raise self._error
