"""Fixtures: a real embedded FalkorDB for the session, and a fresh graph per test.

`store` is parametrised by back end: the same tests are the contract every
back end must meet. The Neo4j leg runs only when NEO4J_URI is set.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from agkg.graph.falkor import FalkorStore
from agkg.graph.store import GraphStore

# The lifecycle tests expect the last client out to stop the server at once (the default lingers 300 s);
# subprocesses inherit this.
os.environ["AGKG_EMBEDDED_LINGER"] = "0"

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
_counter = itertools.count()


@pytest.fixture(scope="session")
def embedded_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One embedded server for the whole session; an anchor client keeps it up."""
    directory = tmp_path_factory.mktemp("store")
    anchor = FalkorStore.embedded(directory, graph_name="anchor")
    yield directory
    anchor.close()


def _falkor(embedded_dir: Path) -> Iterator[GraphStore]:
    store = FalkorStore.embedded(embedded_dir, graph_name=f"test{next(_counter)}")
    yield store
    store.drop()
    store.close()


def _neo4j() -> Iterator[GraphStore]:
    if not os.environ.get("NEO4J_URI"):
        pytest.skip("NEO4J_URI is not set: no Neo4j server to run the contract suite against")
    from agkg.graph.store import open_store

    store = open_store(os.environ["NEO4J_URI"])
    store.write("MATCH (n) DETACH DELETE n")
    yield store
    store.write("MATCH (n) DETACH DELETE n")
    store.close()


@pytest.fixture(params=["falkordb", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest, embedded_dir: Path) -> Iterator[GraphStore]:
    if request.param == "falkordb":
        yield from _falkor(embedded_dir)
    else:
        yield from _neo4j()


@pytest.fixture
def falkor(embedded_dir: Path) -> Iterator[GraphStore]:
    """A fresh graph on the embedded store only (for FalkorDB-specific tests)."""
    yield from _falkor(embedded_dir)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of the curated data that a test may edit."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target
