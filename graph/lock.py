"""The ingest lock: a lease stored in the graph itself, so it works for every back end and every host.

A holder renews its lease while it works. A holder that died stops renewing and
its lease expires; on the same host a dead holder is recognised at once by its pid.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator

from agkg.errors import LockHeld
from agkg.graph.cypher import cypher
from agkg.graph.embedded import pid_alive
from agkg.graph.store import GraphStore

LOCK_NAME = "ingest"


def lease_seconds() -> float:
    return float(os.environ.get("AGKG_LOCK_TTL", "60"))


def _iso(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, dt.UTC).isoformat(timespec="seconds")


class IngestLock:
    def __init__(self, store: GraphStore, *, ttl: float | None = None) -> None:
        self.store = store
        self.ttl = ttl if ttl is not None else lease_seconds()
        self.host = socket.gethostname()
        self.pid = os.getpid()
        self.holder = f"{self.host}:{self.pid}:{uuid.uuid4().hex[:8]}"
        self._stop = threading.Event()
        self._renewer: threading.Thread | None = None

    def _try(self) -> bool:
        now = time.time()
        rows = self.store.write(
            cypher("lock_acquire"),
            {
                "name": LOCK_NAME,
                "holder": self.holder,
                "host": self.host,
                "pid": self.pid,
                "now": now,
                "since": _iso(now),
                "expires": now + self.ttl,
                "dead": self._dead_local_holders(),
            },
        )
        return bool(rows)

    def _dead_local_holders(self) -> list[str]:
        """Holders on this host whose process is gone: no need to wait for their lease to run out."""
        rows = self.store.read(cypher("lock_read"), {"name": LOCK_NAME})
        dead = []
        for row in rows:
            if row["holder"] and row["host"] == self.host and row["pid"] and not pid_alive(int(row["pid"])):
                dead.append(row["holder"])
        return dead

    def describe_holder(self) -> str:
        rows = self.store.read(cypher("lock_read"), {"name": LOCK_NAME})
        if not rows or not rows[0]["holder"]:
            return "nobody"
        row = rows[0]
        return f"pid {row['pid']} on {row['host']} since {row['since']} (lease until {_iso(row['expires'])})"

    def acquire(self, wait: float = 0.0) -> None:
        deadline = time.monotonic() + wait
        while not self._try():
            if time.monotonic() >= deadline:
                raise LockHeld(f"another ingest holds the lock on this store: {self.describe_holder()}")
            time.sleep(min(0.5, max(deadline - time.monotonic(), 0.01)))
        self._stop.clear()
        self._renewer = threading.Thread(target=self._renew, name="agkg-lock-renewer", daemon=True)
        self._renewer.start()

    def _renew(self) -> None:
        while not self._stop.wait(self.ttl / 3):
            with contextlib.suppress(Exception):  # a missed renewal only shortens the lease
                self.store.write(
                    cypher("lock_renew"),
                    {"name": LOCK_NAME, "holder": self.holder, "expires": time.time() + self.ttl},
                )

    def release(self) -> None:
        self._stop.set()
        if self._renewer is not None:
            self._renewer.join(timeout=5)
            self._renewer = None
        with contextlib.suppress(Exception):
            self.store.write(cypher("lock_release"), {"name": LOCK_NAME, "holder": self.holder})

    @contextlib.contextmanager
    def held(self, wait: float = 0.0) -> Iterator[None]:
        self.acquire(wait)
        try:
            yield
        finally:
            self.release()
