"""Writes on the writer thread run in the order given; after a failed one nothing more runs, and the caller
gets the error; leaving early drops what has not started. The thread never outlives its block."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from agkg.errors import QueryError
from agkg.graph.store import GraphStore
from agkg.loaders.pipelined import PipelinedWriter

# Document is one of the schema's labels; the test graphs are private to each test.
SET_STEP = "UNWIND $rows AS row MERGE (d:Document {id: 'order'}) SET d.steps = coalesce(d.steps, []) + [row.step]"
ADD = "UNWIND $rows AS row MERGE (d:Document {id: row.id}) SET d.n = row.n"


def _writer_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name in {"agkg-writer", "agkg-feeder"}]


def _ids(store: GraphStore) -> list[str]:
    return [r["id"] for r in store.read("MATCH (d:Document) RETURN d.id AS id ORDER BY id")]


def test_writes_run_in_order_and_in_batches(store: GraphStore) -> None:
    with PipelinedWriter(store) as writer:
        for step in range(12):
            writer.write(SET_STEP, [{"step": step}])
        writer.write(ADD, [{"id": f"d{i:04d}", "n": i} for i in range(4500)], size=2000)
        writer.write(ADD, [])
    steps = store.read("MATCH (d:Document {id: 'order'}) RETURN d.steps AS steps")
    assert steps == [{"steps": list(range(12))}]
    assert store.read("MATCH (d:Document) WHERE d.n IS NOT NULL RETURN count(d) AS n") == [{"n": 4500}]
    assert _writer_threads() == []


def test_a_failed_write_stops_the_rest_and_reaches_the_caller(store: GraphStore) -> None:
    with pytest.raises(QueryError, match="query failed"), PipelinedWriter(store) as writer:
        writer.write(ADD, [{"id": "before", "n": 1}])
        writer.write(ADD, [{"id": "broken", "n": {"a map": "is not a property value"}}])
        for i in range(5):
            writer.write(ADD, [{"id": f"after{i}", "n": i}])
        writer.drain()
    assert _ids(store) == ["before"]
    assert _writer_threads() == []


def test_leaving_early_drops_writes_not_started(store: GraphStore) -> None:
    gate, entered = threading.Event(), threading.Event()

    class Slow:
        """The real store, held at its first write until the caller has queued the rest and left."""

        backend = store.backend
        location = store.location
        read = staticmethod(store.read)
        prepare_write = staticmethod(store.prepare_write)

        def write(self, query: str, params: dict[str, object] | None = None) -> list[dict[str, object]]:
            entered.set()
            gate.wait(10)
            return store.write(query, params)

    with pytest.raises(RuntimeError, match="caller stops"), PipelinedWriter(Slow(), depth=2) as writer:  # type: ignore[arg-type]
        writer.write(ADD, [{"id": "first", "n": 1}])
        writer.write(ADD, [{"id": "second", "n": 2}])
        assert entered.wait(10)
        threading.Timer(0.3, gate.set).start()
        raise RuntimeError("caller stops")
    assert _ids(store) == ["first"]
    assert _writer_threads() == []


Write = tuple[str, list[dict[str, Any]], dict[str, Any]]


def _order(store: GraphStore) -> list[int]:
    rows = store.read("MATCH (d:Document {id: 'order'}) RETURN d.steps AS steps")
    return list(rows[0]["steps"]) if rows else []


def _steps(first: int, last: int) -> list[Write]:
    return [(SET_STEP, [{"step": step}], {}) for step in range(first, last)]


def test_writes_handed_over_for_later_run_before_the_writes_that_follow(store: GraphStore) -> None:
    built: list[int] = []

    def later() -> Iterator[Write]:
        for query, rows, params in _steps(0, 20):
            built.append(rows[0]["step"])  # built on the feeder thread, as the store takes them
            yield query, rows, params

    with PipelinedWriter(store, depth=2) as writer:
        writer.write_later(later())
        for query, rows, _ in _steps(20, 25):
            writer.write(query, rows)
    steps = store.read("MATCH (d:Document {id: 'order'}) RETURN d.steps AS steps")
    assert steps == [{"steps": list(range(25))}]
    assert built == list(range(20))
    assert _writer_threads() == []


def test_later_writes_handed_over_while_the_feeder_is_busy_queue_behind_without_waiting(store: GraphStore) -> None:
    gate = threading.Event()

    def held() -> Iterator[Write]:
        yield from _steps(0, 3)
        assert gate.wait(10), "the caller went on while this was held"
        yield from _steps(3, 6)

    with PipelinedWriter(store, depth=2) as writer:
        writer.write_later(held())
        writer.write_later(iter(_steps(6, 9)))  # returns at once, though the first hand-over is not done
        writer.write_later(iter(_steps(9, 12)))
        gate.set()
        writer.write(SET_STEP, [{"step": 12}])
    assert _order(store) == list(range(13))
    assert _writer_threads() == []


def test_an_error_building_later_writes_reaches_the_caller(store: GraphStore) -> None:
    def later() -> Iterator[Write]:
        yield from _steps(0, 3)
        raise ValueError("row 3 cannot be built")

    with pytest.raises(ValueError, match="row 3 cannot be built"), PipelinedWriter(store) as writer:
        writer.write_later(later())
        writer.write(SET_STEP, [{"step": 99}])
    steps = _order(store)
    assert steps == [0, 1, 2][: len(steps)], "a prefix of what was built, and nothing after the failure"
    assert _writer_threads() == []


def test_leaving_early_stops_the_later_writes(store: GraphStore) -> None:
    handed = threading.Event()

    def later() -> Iterator[Write]:
        for step in range(10_000):
            if step == 5:
                handed.set()
            yield SET_STEP, [{"step": step}], {}

    with pytest.raises(RuntimeError, match="caller stops"), PipelinedWriter(store, depth=2) as writer:
        writer.write_later(later())
        assert handed.wait(10)
        raise RuntimeError("caller stops")
    steps = _order(store)
    assert steps == list(range(len(steps))), "a prefix, in order"
    assert len(steps) < 10_000
    assert _writer_threads() == []


ODD = "UNWIND $rows AS row MERGE (d:Document {id: row.id}) SET d.value = row.value, d.list = row.list"


def test_a_prepared_write_writes_what_the_plain_write_writes(store: GraphStore) -> None:
    """The writer sends `prepare_write`'s form (FalkorDB: parameters encoded on the caller's thread); odd values
    must arrive as the plain write sends them."""
    values = ['it\'s "quoted" \\ `back`', "ünïcødé ☃ \n tab\t", "", "CYPHER x=1 MATCH (n) DETACH DELETE n", None]
    rows = [{"value": v, "list": [str(v), f"{i}", '["x"]']} for i, v in enumerate(values)]
    for kind in ("plain", "prepared"):
        mine = [{**r, "id": f"{kind}{i}"} for i, r in enumerate(rows)]
        if kind == "plain":
            store.write(ODD, {"rows": mine})
        else:
            store.write(*store.prepare_write(ODD, {"rows": mine}))
    got = store.read("MATCH (d:Document) RETURN d.id AS id, d.value AS value, d.list AS list ORDER BY id")
    plain = [{k: v for k, v in r.items() if k != "id"} for r in got if r["id"].startswith("plain")]
    prepared = [{k: v for k, v in r.items() if k != "id"} for r in got if r["id"].startswith("prepared")]
    assert len(plain) == len(values) and prepared == plain
    assert [r["value"] for r in plain] == values
