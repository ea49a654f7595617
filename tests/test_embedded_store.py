"""The embedded store's life cycle: start on first use, shared by processes, stopped by the last, crash recovery."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from agkg.graph.embedded import DEFERRED_INDEXES, EmbeddedServer, pid_alive, schema_indexes
from agkg.graph.falkor import FalkorStore
from agkg.loaders.ingest import ingest
from tests.conftest import DATA
from tests.graph_dump import dump

AGKG = [sys.executable, "-m", "agkg.cli.main"]


def agkg(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*AGKG, "--store", str(store), *args], capture_output=True, text=True, timeout=120)


def server_pid(directory: Path) -> int | None:
    try:
        return int((directory / "redis.pid").read_text().strip())
    except (OSError, ValueError):
        return None


alive = pid_alive


def test_last_client_stops_the_server_and_data_persists(tmp_path: Path) -> None:
    store = FalkorStore.embedded(tmp_path)
    ingest(store, [DATA])
    before = dump(store)
    pid = server_pid(tmp_path)
    assert pid and alive(pid)
    store.close()
    assert not alive(pid)
    assert not (tmp_path / "redis.sock").exists()
    again = FalkorStore.embedded(tmp_path)
    try:
        assert dump(again) == before
    finally:
        again.close()


def test_two_processes_share_one_server(tmp_path: Path) -> None:
    first = FalkorStore.embedded(tmp_path)
    try:
        pid = server_pid(tmp_path)
        result = agkg(tmp_path, "ingest", str(DATA))
        assert result.returncode == 0, result.stderr
        assert server_pid(tmp_path) == pid and pid and alive(pid), "the second process must reuse the server"
        assert first.read("MATCH (s:Source) RETURN count(s) AS n")[0]["n"] == 2
    finally:
        first.close()
    assert pid and not alive(pid)


def test_concurrent_ingests_and_reads_do_not_corrupt(tmp_path: Path, embedded_dir: Path) -> None:
    procs = [
        subprocess.Popen(
            [*AGKG, "--store", str(tmp_path), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        # The two ingests queue on the store's lock (--wait); the reader needs no lock.
        for args in (
            ["ingest", str(DATA), "--wait", "60"],
            ["ingest", str(DATA), "--wait", "60"],
            ["stats", "--format", "json"],
        )
    ]
    outcomes = [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in procs]
    for code, err in outcomes:
        assert code == 0, err
    assert not (tmp_path / "redis.sock").exists(), "the last process out stops the server"
    loaded = FalkorStore.embedded(tmp_path)
    reference = FalkorStore.embedded(embedded_dir, graph_name="concurrency-reference")
    try:
        ingest(reference, [DATA])
        assert dump(loaded) == dump(reference)
    finally:
        reference.drop()
        reference.close()
        loaded.close()


def test_recovers_after_the_server_is_killed(tmp_path: Path) -> None:
    store = FalkorStore.embedded(tmp_path)
    ingest(store, [DATA])
    before = dump(store)
    pid = server_pid(tmp_path)
    assert pid
    os.kill(pid, signal.SIGKILL)
    for _ in range(100):
        if not alive(pid):
            break
        time.sleep(0.02)
    store._server = None  # its server is gone; nothing to release
    result = agkg(tmp_path, "stats", "--format", "json")
    assert result.returncode == 0, result.stderr
    counts = json.loads(result.stdout)
    assert counts["claims"] == len([n for n in before["nodes"] if '"Claim"' in n])
    again = FalkorStore.embedded(tmp_path)
    try:
        assert dump(again) == before
    finally:
        again.close()


def test_stale_socket_and_pid_file_are_cleared(tmp_path: Path) -> None:
    (tmp_path / "redis.sock").write_text("not a socket")
    (tmp_path / "redis.pid").write_text("999999")
    result = agkg(tmp_path, "stats", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["claims"] == 0


def test_long_store_paths_get_a_short_socket(tmp_path: Path) -> None:
    deep = tmp_path / ("x" * 60) / ("y" * 60)
    server = EmbeddedServer(deep)
    assert len(str(server.socket)) <= 100
    store = FalkorStore.embedded(deep)
    try:
        assert store.read("RETURN 1 AS one") == [{"one": 1}]
    finally:
        store.close()


def test_unwritable_store_directory_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = agkg(blocker / "store", "stats")
    assert result.returncode == 3
    assert result.stderr.startswith(f"error: embedded store {blocker / 'store'}: cannot create it")


def test_a_lingering_server_is_reused_then_stopped_when_idle(tmp_path: Path) -> None:
    env = {**os.environ, "AGKG_EMBEDDED_LINGER": "2"}
    first = subprocess.run([*AGKG, "--store", str(tmp_path), "stats"], capture_output=True, text=True, env=env)
    assert first.returncode == 0, first.stderr
    pid = server_pid(tmp_path)
    assert pid and alive(pid), "the server outlives its last client for the linger period"
    second = subprocess.run([*AGKG, "--store", str(tmp_path), "stats"], capture_output=True, text=True, env=env)
    assert second.returncode == 0 and server_pid(tmp_path) == pid, "the next command reuses it"
    deadline = time.monotonic() + 20
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(pid), "the reaper stops it once idle"


def test_a_lingering_server_of_a_store_deleted_and_made_anew_is_stopped(tmp_path: Path) -> None:
    # Its socket file went with the directory, so only its pid can reach it; the new store's server stays.
    store = tmp_path / "store"
    env = {**os.environ, "AGKG_EMBEDDED_LINGER": "2"}
    first = subprocess.run([*AGKG, "--store", str(store), "stats"], capture_output=True, text=True, env=env)
    assert first.returncode == 0, first.stderr
    old = server_pid(store)
    assert old and alive(old)
    shutil.rmtree(store)
    again = subprocess.run([*AGKG, "--store", str(store), "stats"], capture_output=True, text=True, env=env)
    assert again.returncode == 0, again.stderr
    new = server_pid(store)
    assert new and new != old and alive(new)
    deadline = time.monotonic() + 20
    while alive(old) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(old), "the orphaned server is stopped by its reaper"
    deadline = time.monotonic() + 20
    while alive(new) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(new), "and the new one by its own"


# The engine's own listing (FalkorDB's procedure is not Neo4j Cypher, so not for the Cypher linter).
INDEXES = {"falkordb": "CALL db.indexes() YIELD label, properties, status RETURN label, properties, status"}


def _index_labels(server: EmbeddedServer) -> list[str]:
    """The labels FalkorDB has indexes for, asked over a bare connection (no agkg client in between)."""
    from agkg.graph.resp import Connection

    client = Connection(str(server.socket), timeout=60)
    try:
        _, rows, _ = client.call("GRAPH.QUERY", "agkg", "CALL db.indexes() YIELD label RETURN label")
    finally:
        client.close()
    return sorted(str(row[0]) for row in rows)


def test_the_indexes_are_left_out_of_the_file_and_built_again_at_the_next_start(tmp_path: Path) -> None:
    store = FalkorStore.embedded(tmp_path)
    ingest(store, [DATA])
    by_subject = "MATCH (c:Claim) WITH c.subject_id AS id, count(*) AS n RETURN id, n ORDER BY id"
    by_name = "MATCH (k:EntityKey {key: $key})-[:NAMES]->(e:Entity) RETURN e.id AS id"
    name = {"key": "kh"}
    before, answers, named = dump(store), store.read(by_subject), store.read(by_name, name)
    assert answers and named  # not vacuous
    store.close()  # the last client out: the compacting shut-down
    assert json.loads((tmp_path / DEFERRED_INDEXES).read_text()) == ["agkg"]
    # The file as a server loads it, before any agkg client has asked for anything: no index on claims.
    server = EmbeddedServer(tmp_path)
    with server._lifecycle():
        server._start()
    try:
        assert _index_labels(server) == []
    finally:
        server.stop_if_idle(compact=False)
    # Opened as agkg opens it: the indexes are asked for again; the answers are the same while they are built
    # and after (apply_schema waits for them, as a load does).
    again = FalkorStore.embedded(tmp_path)
    try:
        assert not (tmp_path / DEFERRED_INDEXES).exists()
        assert again.read(by_subject) == answers and again.read(by_name, name) == named
        again.apply_schema()
        indexes = {r["label"]: (r["properties"], r["status"]) for r in again.read(INDEXES[again.backend])}
        assert indexes == {label: (props, "OPERATIONAL") for label, props in schema_indexes().items()}
        assert again.read(by_subject) == answers and again.read(by_name, name) == named and dump(again) == before
    finally:
        again.close()


def test_the_deferred_indexes_are_read_from_the_schema() -> None:
    from agkg.graph.cypher import schema_statements

    found = schema_indexes()
    assert sum(len(p) for p in found.values()) == len(schema_statements("falkordb")) > 0
    # A start creates them in this order: a single node's first, the longest build last (graph/embedded.py).
    assert next(iter(found)) == "Lock" and list(found)[-1] == "Claim"
