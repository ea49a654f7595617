"""Fixtures: a real embedded FalkorDB for the session, and a fresh graph per test.

`store` is parametrised by back end: the same tests are the contract every
back end must meet. The Neo4j leg runs against NEO4J_URI when it is set, and
otherwise against the Neo4j 5.26 server built from Maven Central (tools/neo4j-server,
`make neo4j-server`), started once for the session. It is never skipped: a Neo4j leg
that cannot run fails, and says what to install.
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


@pytest.fixture(scope="session")
def neo4j_env() -> Iterator[dict[str, str]]:
    """NEO4J_URI/NEO4J_USERNAME/NEO4J_PASSWORD of the server the Neo4j leg runs against."""
    if os.environ.get("NEO4J_URI"):
        yield {key: value for key, value in os.environ.items() if key.startswith("NEO4J_")}
        return
    from tools.neo4j_server import Neo4jServer, ServerError

    try:
        server = Neo4jServer.start()
    except ServerError as exc:
        pytest.fail(f"the Neo4j leg cannot run: {exc}", pytrace=False)
    with server:
        os.environ.update(server.env())  # subprocesses (the CLI tests) reach the same server
        os.environ["NEO4J_HTTP_URI"] = server.http_uri  # for neo4j_http_uri
        yield server.env()
        for key in [*server.env(), "NEO4J_HTTP_URI"]:
            os.environ.pop(key, None)


@pytest.fixture(scope="session")
def neo4j_http_uri(neo4j_env: dict[str, str]) -> str:
    """The HTTP address of the same server (Neo4j Browser is at /browser/): NEO4J_HTTP_URI."""
    uri = os.environ.get("NEO4J_HTTP_URI")
    if not uri:
        pytest.fail("NEO4J_URI names a server: set NEO4J_HTTP_URI to its HTTP address too", pytrace=False)
    return uri.rstrip("/")


def emptied_neo4j(env: dict[str, str]) -> Iterator[GraphStore]:
    """The Neo4j of `env`, emptied before and after (one database: the suite runs one test at a time)."""
    from agkg.graph.neo4j_store import Neo4jStore

    store = Neo4jStore.connect(env["NEO4J_URI"], env.get("NEO4J_USERNAME"), env.get("NEO4J_PASSWORD"))
    store.drop()
    yield store
    store.drop()
    store.close()


@pytest.fixture(params=["falkordb", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest, embedded_dir: Path) -> Iterator[GraphStore]:
    if request.param == "falkordb":
        yield from _falkor(embedded_dir)
    else:
        yield from emptied_neo4j(request.getfixturevalue("neo4j_env"))


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


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small generated corpus for the query tests: few entities, many facts, dense member_of chains with
    cycles and ties between equally short chains, and (statuses drawn by weight) a few planned and denied
    facts, some denying an asserted relation."""
    from bench.corpus import generate

    out = tmp_path_factory.mktemp("corpus")
    return generate(
        out, groups=50, umbrellas=12, places=30, states=5, facts=350, sources=4, seed=3, nesting="random"
    ).directory
