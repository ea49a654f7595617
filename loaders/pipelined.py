"""Writes that run on a thread of their own, in the order given, while the caller prepares the next ones.

The store is another process (the embedded FalkorDB server, or Neo4j): while it executes one batch, the
caller's thread can build and encode the next rows instead of waiting on the socket (the wait releases the
GIL). Every statement still goes through `write_rows`, the one batched `UNWIND $rows` helper, one at a time
and in order, so a run stopped or killed at any point has written a prefix of what a serial run writes:
the crash-safety order of the ingest is unchanged.

At most `depth` statements wait in the queue: the caller is never more than that far ahead of the store,
so a stop requested between statements is honoured within `depth` batches, after those already handed
over have run.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Sequence
from types import TracebackType
from typing import Any

from agkg.graph.store import GraphStore, write_rows

_DONE = object()


class PipelinedWriter:
    def __init__(self, store: GraphStore, depth: int = 2) -> None:
        self._store = store
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="agkg-writer", daemon=True)
        self._thread.start()

    def write(self, query: str, rows: Sequence[Any], **params: Any) -> None:
        """Queue `write_rows(store, query, rows, **params)`; raises the error of an earlier write, if any."""
        self._raise()
        if rows:
            self._queue.put((query, rows, params))

    def drain(self) -> None:
        """Wait until every queued write has run; raises the first error."""
        self._queue.join()
        self._raise()

    def close(self) -> None:
        """Stop the thread once the queued writes have run (or, after an error, been dropped)."""
        if self._thread.is_alive():
            self._queue.put(_DONE)
            self._thread.join()

    def __enter__(self) -> PipelinedWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if kind is not None:
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
                if self._error is None:
                    query, rows, params = item
                    write_rows(self._store, query, rows, **params)
            except BaseException as exc:  # handed to the caller's thread, which raises it
                self._error = exc
            finally:
                self._queue.task_done()

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
