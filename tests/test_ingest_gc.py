"""A run pauses the cyclic garbage collector while it plans and writes, and leaves it as it found it, also
when the run fails."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from agkg.graph.store import GraphStore
from agkg.loaders.ingest import ingest


class _Watching:
    """A real store that notes, at each write, whether the collector was on (and can fail a write)."""

    def __init__(self, store: GraphStore, fail_on: str | None = None) -> None:
        self._store = store
        self.collector_on: list[bool] = []
        self._fail_on = fail_on

    def write(self, query: str, params: Any = None) -> Any:
        self.collector_on.append(gc.isenabled())
        if self._fail_on and self._fail_on in query:
            raise RuntimeError("the store went away")
        return self._store.write(query, params)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


@pytest.fixture
def collector_on() -> Iterator[None]:
    gc.enable()
    yield
    gc.enable()


def test_the_collector_is_paused_during_a_run_and_on_again_after(
    falkor: GraphStore, data_copy: Path, collector_on: None
) -> None:
    watching = _Watching(falkor)
    summary = ingest(watching, [data_copy], schema=False)
    assert summary.loaded == 2
    assert watching.collector_on and not any(watching.collector_on)
    assert gc.isenabled()


def test_a_failed_run_turns_the_collector_on_again(falkor: GraphStore, data_copy: Path, collector_on: None) -> None:
    watching = _Watching(falkor, fail_on="Claim")
    with pytest.raises(RuntimeError, match="the store went away"):
        ingest(watching, [data_copy], schema=False)
    assert gc.isenabled()


def test_a_collector_the_caller_turned_off_stays_off(falkor: GraphStore, data_copy: Path, collector_on: None) -> None:
    gc.disable()
    ingest(falkor, [data_copy])
    assert not gc.isenabled()
