"""Scheduled ingestion: incremental runs, prune, the lock, the ledger and crash safety (real processes)."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from agkg.graph.falkor import FalkorStore
from agkg.graph.lock import IngestLock
from agkg.graph.store import GraphStore
from agkg.loaders.ingest import ingest
from agkg.loaders.runs import list_runs, run_ingest
from bench.corpus import generate
from tests.conftest import DATA
from tests.graph_dump import dump

AGKG = [sys.executable, "-m", "agkg.cli.main"]
BOOKKEEPING = frozenset({"Document", "IngestRun", "Lock"})


def agkg(store: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*AGKG, "--store", str(store), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def test_unchanged_files_are_skipped_and_the_ledger_says_so(store: GraphStore, data_copy: Path) -> None:
    first = run_ingest(store, [data_copy])
    second = run_ingest(store, [data_copy])
    assert (first.summary.loaded, first.summary.skipped) == (2, 0)
    assert (second.summary.loaded, second.summary.skipped) == (0, 2)
    newest, older = list_runs(store, 2)
    assert newest["id"] == second.id and newest["status"] == "ok"
    assert (newest["files_seen"], newest["files_loaded"], newest["files_skipped"]) == (2, 0, 2)
    assert older["claims_added"] == first.summary.claims.added > 0


def test_an_edit_is_picked_up(store: GraphStore, data_copy: Path) -> None:
    run_ingest(store, [data_copy])
    article = data_copy / "jpost-iraq-militias-syrian-border.yaml"
    article.write_text(article.read_text("utf-8").replace("status: planned", "status: confirmed", 1), "utf-8")
    result = run_ingest(store, [data_copy])
    assert (result.summary.loaded, result.summary.skipped) == (1, 1)
    assert result.summary.claims.updated == 1


def test_prune_removes_a_deleted_files_claims_and_nothing_else(
    store: GraphStore, data_copy: Path, embedded_dir: Path
) -> None:
    extra = data_copy / "extra.yaml"
    extra.write_text(
        "source: {id: extra, title: Extra, publisher: Test, published: '2025'}\n"
        "facts:\n  - {subject: KH, relation: operates_in, object: Albukamal, quote: 'extra'}\n",
        "utf-8",
    )
    run_ingest(store, [data_copy])
    extra.unlink()
    kept = run_ingest(store, [data_copy])
    assert kept.summary.pruned == 0
    assert store.read("MATCH (c:Claim {doc: $doc}) RETURN count(c) AS n", {"doc": "extra"})[0]["n"] == 1
    pruned = run_ingest(store, [data_copy], prune=True)
    assert pruned.summary.pruned == 1 and pruned.summary.claims.removed == 1
    reference = FalkorStore.embedded(embedded_dir, graph_name="prune-reference")
    try:
        ingest(reference, [data_copy])
        assert dump(store, skip_labels=BOOKKEEPING) == dump(reference, skip_labels=BOOKKEEPING)
    finally:
        reference.drop()
        reference.close()


def test_a_held_lock_makes_a_second_ingest_exit_4(tmp_path: Path) -> None:
    store = FalkorStore.embedded(tmp_path)
    lock = IngestLock(store)
    lock.acquire()
    try:
        result = agkg(tmp_path, "ingest", str(DATA))
        assert result.returncode == 4, result.stderr
        assert result.stderr.startswith(f"error: another ingest holds the lock on this store: pid {os.getpid()} on ")
        waited = agkg(tmp_path, "ingest", str(DATA), "--wait", "0.5")
        assert waited.returncode == 4
    finally:
        lock.release()
        store.close()
    assert agkg(tmp_path, "ingest", str(DATA)).returncode == 0


def test_an_expired_lease_from_another_host_is_taken_over(falkor: GraphStore) -> None:
    falkor.write(
        "MERGE (l:Lock {id: 'ingest'}) SET l.holder = 'elsewhere:1:x', l.host = 'elsewhere', l.pid = 1, "
        "l.since = '2026-01-01T00:00:00+00:00', l.expires = $expires",
        {"expires": time.time() + 1.0},
    )
    with pytest.raises(Exception, match="another ingest holds the lock"):
        IngestLock(falkor).acquire()
    time.sleep(1.2)
    lock = IngestLock(falkor)
    lock.acquire()
    lock.release()


def _ingest_in_background(tmp_path: Path, seed: int) -> tuple[Path, Path, subprocess.Popen[str]]:
    """A 12,000-fact corpus and an ingest of it running in another process, once it holds the lock."""
    corpus = tmp_path / "corpus"
    generate(corpus, groups=300, umbrellas=30, places=100, states=5, facts=12_000, sources=40, seed=seed)
    store_dir = tmp_path / "store"
    proc = subprocess.Popen(
        [*AGKG, "--store", str(store_dir), "ingest", str(corpus)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _wait_for_lock(store_dir)
    return corpus, store_dir, proc


def test_two_concurrent_ingests_one_gets_exit_4(tmp_path: Path) -> None:
    corpus, store_dir, first = _ingest_in_background(tmp_path, seed=3)
    second = agkg(store_dir, "ingest", str(corpus))
    assert second.returncode == 4, second.stderr
    assert "another ingest holds the lock" in second.stderr
    assert first.wait(timeout=300) == 0


def _wait_for_lock(store_dir: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (store_dir / "redis.sock").exists():
            store = FalkorStore.embedded(store_dir)
            try:
                rows = store.read("MATCH (l:Lock {id: 'ingest'}) RETURN l.holder AS holder")
            finally:
                store.close()
            if rows and rows[0]["holder"]:
                return
        time.sleep(0.05)
    raise AssertionError("the first ingest never took the lock")


def test_a_sigkilled_holder_does_not_block_the_next_run(tmp_path: Path) -> None:
    corpus, store_dir, victim = _ingest_in_background(tmp_path, seed=4)
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    result = agkg(store_dir, "ingest", str(corpus), env={"AGKG_LOCK_TTL": "3600"})
    assert result.returncode == 0, result.stderr


def test_sigterm_stops_cleanly_and_the_next_run_finishes(tmp_path: Path) -> None:
    corpus, store_dir, proc = _ingest_in_background(tmp_path, seed=5)
    proc.send_signal(signal.SIGTERM)
    code = proc.wait(timeout=300)
    assert code in (0, 130), proc.stderr.read() if proc.stderr else ""
    again = agkg(store_dir, "ingest", str(corpus))
    assert again.returncode == 0, again.stderr
    store = FalkorStore.embedded(store_dir)
    try:
        assert store.read("MATCH (l:Lock {id: 'ingest'}) RETURN l.holder AS holder") == [{"holder": None}]
        statuses = [r["status"] for r in list_runs(store, 5)]
        assert statuses[0] == "ok"
        assert statuses[1] in {"interrupted", "ok"}
    finally:
        store.close()


def test_broken_file_among_many_loads_the_rest_and_is_in_the_ledger(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    (data / "broken.yaml").write_text("source: {title: x\n", "utf-8")
    result = agkg(tmp_path / "store", "ingest", str(data))
    assert result.returncode == 1
    assert f"{data / 'broken.yaml'}:" in result.stderr
    runs = agkg(tmp_path / "store", "runs", "--format", "json")
    newest = json.loads(runs.stdout)[0]
    assert newest["status"] == "invalid"
    assert (newest["files_loaded"], newest["files_failed"]) == (2, 1)
    assert newest["failed_files"] == [str(data / "broken.yaml")]
    assert newest["errors"][0].startswith(f"{data / 'broken.yaml'}:")


@pytest.mark.slow
def test_sigkill_loop_converges_on_a_fresh_load(tmp_path: Path, embedded_dir: Path) -> None:
    corpus = tmp_path / "corpus"
    generate(corpus, groups=400, umbrellas=40, places=150, states=6, facts=15_000, sources=60, seed=11)
    store_dir = tmp_path / "store"
    rng = random.Random(2026)
    kills = edits = 0
    files = sorted(corpus.glob("*.yaml"))
    for _ in range(120):  # until 20 kills: a run that finished first leaves less work for the next
        if kills >= 20:
            break
        proc = subprocess.Popen(
            [*AGKG, "--store", str(store_dir), "ingest", str(corpus)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.3, 2.5))
        killed = proc.poll() is None
        if killed:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait()
        if not killed or kills % 6 == 0:
            # Edit a third of the files so the next run has real work to do (a finished run left none): long
            # enough that the kill, 0.3-2.5 s after the start, often falls in its writes.
            for k in range(20):
                path = files[(edits + k) % len(files)]
                text = path.read_text("utf-8")
                path.write_text(text.replace("status: reported", "status: claimed", 1), "utf-8")
            edits += 20
    assert kills >= 20
    final = agkg(store_dir, "ingest", str(corpus))
    assert final.returncode == 0, final.stderr
    loaded = FalkorStore.embedded(store_dir)
    reference = FalkorStore.embedded(embedded_dir, graph_name="kill-loop-reference")
    try:
        ingest(reference, [corpus])
        assert dump(loaded, skip_labels=BOOKKEEPING) == dump(reference, skip_labels=BOOKKEEPING)
        assert loaded.read("MATCH (l:Lock {id: 'ingest'}) RETURN l.holder AS holder") == [{"holder": None}]
    finally:
        reference.drop()
        reference.close()
        loaded.close()
