"""Reading files in worker processes gives what reading them here gives, in the same order, and leaves no
worker behind: done, abandoned, failed, or with its parent killed."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from agkg.graph.store import GraphStore
from agkg.loaders import checked
from agkg.loaders.ingest import ingest
from bench.corpus import generate
from tests.graph_dump import dump

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
BAD = REPO / "tests" / "bad"


def _items() -> list[tuple[Path, str]]:
    files = sorted(DATA.glob("*.yaml")) + sorted(BAD.iterdir())
    return [(p, str(p.relative_to(REPO))) for p in files]


def _view(result: checked.Checked) -> tuple[str, object, list[str]]:
    facts = result.facts.model_dump() if result.facts is not None else None
    return result.shown, facts, [str(p) for p in result.problems]


def test_pool_reads_what_this_process_reads_in_the_same_order() -> None:
    items = _items()
    serial = [_view(r) for r in checked.check_files(items, workers=0)]
    pooled = [_view(r) for r in checked.check_files(items, workers=1)]
    assert [s for s, _, _ in serial] == [shown for _, shown in items]
    assert pooled == serial
    assert any(problems for _, _, problems in serial) and any(facts for _, facts, _ in serial)
    assert multiprocessing.active_children() == []


def test_ingest_with_a_pool_writes_and_reports_what_a_serial_ingest_does(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    corpus = generate(tmp_path / "c", groups=60, umbrellas=10, places=40, states=5, facts=1500, sources=12, seed=4)
    (corpus.directory / "source-05b.yaml").write_text(
        "source: {title: T, publisher: P, published: '2020'}\nfacts:\n"
        "  - {subject: Nobody, relation: member_of, object: Nothing}\n",
        encoding="utf-8",
    )
    (corpus.directory / "source-07b.yaml").write_text("facts: [\n", encoding="utf-8")
    serial = ingest(store, [corpus.directory])
    serial_graph = dump(store)
    assert serial.failed == 2 and serial.loaded == 13 and len(serial.problems) == 3
    getattr(store, "drop")()  # noqa: B009 - both back ends have drop(); the protocol does not
    monkeypatch.setattr(checked, "MIN_POOL_SECONDS", 0.0)
    monkeypatch.setattr(checked, "workers_for", lambda items: 1)
    pooled = ingest(store, [corpus.directory])
    assert [str(p) for p in pooled.problems] == [str(p) for p in serial.problems]
    assert pooled.as_dict() == serial.as_dict()
    assert dump(store) == serial_graph
    assert multiprocessing.active_children() == []


def test_small_inputs_and_one_core_read_here(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert checked.workers_for(_items()) == 0  # the seed data and the bad files: far below the threshold
    corpus = generate(tmp_path / "c", groups=60, umbrellas=10, places=40, states=5, facts=1200, sources=12, seed=4)
    items = [(p, str(p)) for p in corpus.files]
    monkeypatch.setattr(checked, "FILES_PER_TASK", 4)
    monkeypatch.setattr(checked, "MIN_POOL_SECONDS", 0.0)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1})
    assert checked.workers_for(items) == 1
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0})
    assert checked.workers_for(items) == 0
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1})
    monkeypatch.setattr(checked, "MIN_POOL_SECONDS", 1e9)
    assert checked.workers_for(items) == 0


def test_estimate_counts_yaml_only(tmp_path: Path) -> None:
    yaml_file, json_file = tmp_path / "a.yaml", tmp_path / "b.json"
    yaml_file.write_bytes(b"x" * 2_500_000)
    json_file.write_bytes(b"x" * 2_500_000)
    assert checked.estimated_seconds([(yaml_file, "a"), (json_file, "b")]) == 2_500_000 / checked.YAML_BYTES_PER_SECOND


def test_abandoned_or_failed_read_leaves_no_worker() -> None:
    items = _items() * 3
    reader = checked.check_files(items, workers=1)
    next(reader)
    assert len(multiprocessing.active_children()) == 1
    reader.close()
    assert multiprocessing.active_children() == []

    def consume() -> None:
        for result in checked.check_files(items, workers=1):
            if result.problems:
                raise RuntimeError(f"stop at {result.shown}")

    with pytest.raises(RuntimeError, match=r"stop at tests/bad/bad_date\.yaml"):
        consume()
    assert multiprocessing.active_children() == []


def test_workers_ignore_stop_signals_and_die_with_their_parent(tmp_path: Path) -> None:
    corpus = generate(tmp_path / "c", groups=60, umbrellas=10, places=40, states=5, facts=1200, sources=12, seed=4)
    script = textwrap.dedent(
        f"""
        import multiprocessing, os, signal, sys, time
        from pathlib import Path
        from agkg.loaders import checked
        items = [(p, str(p)) for p in sorted(Path({str(corpus.directory)!r}).iterdir())] * 50
        reader = checked.check_files(items, workers=1)
        next(reader)
        (worker,) = multiprocessing.active_children()
        os.kill(worker.pid, signal.SIGTERM)  # ignored: the ingest decides when its workers stop
        os.kill(worker.pid, signal.SIGINT)
        time.sleep(0.5)
        print(worker.pid, worker.is_alive(), flush=True)
        time.sleep(60)
        """
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script], cwd=REPO, stdout=subprocess.PIPE, text=True, env={**os.environ}
    )
    try:
        assert child.stdout is not None
        pid_text, alive = child.stdout.readline().split()
        assert alive == "True"
        worker = int(pid_text)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and _running(worker):
            time.sleep(0.05)
        assert not _running(worker)
    finally:
        child.kill()
        child.wait()


def _running(pid: int) -> bool:
    """Alive and not a zombie (a worker whose parent died is reaped by init, or lingers as a zombie briefly)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def test_a_killed_worker_costs_time_not_results() -> None:
    items = _items() * 3
    serial = [_view(r) for r in checked.check_files(items, workers=0)]
    reader = checked.check_files(items, workers=1)
    first = [_view(next(reader))]
    (worker,) = multiprocessing.active_children()
    assert worker.pid is not None
    os.kill(worker.pid, signal.SIGKILL)
    assert first + [_view(r) for r in reader] == serial
    assert multiprocessing.active_children() == []
