"""The Neo4j back end.

Tests marked `neo4j` run against the suite's Neo4j server (the `neo4j_env` fixture: NEO4J_URI if
set, else the Neo4j 5.26 server from tools/neo4j-server); the contract suite in the other test files
runs against it through the `store` fixture. The rest run without a server: what happens when there
is none, or no password.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from agkg.cli.exit_codes import STORE_UNAVAILABLE, exit_code
from agkg.errors import QueryError, StoreUnavailable
from agkg.graph import neo4j_store
from agkg.graph.neo4j_store import READ_ONLY_REFUSED, Neo4jStore, split_credentials
from agkg.graph.store import open_store

AGKG = str(Path(sys.executable).parent / "agkg")
NOWHERE = "bolt://127.0.0.1:1"  # nothing listens on port 1: connection refused at once
NO_PASSWORD = f"Neo4j at {NOWHERE}: no password: set NEO4J_PASSWORD (or put user:password@ in the URI)"

# --- without a server ------------------------------------------------------------------------


def test_missing_password_is_store_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    with pytest.raises(StoreUnavailable) as caught:
        open_store(NOWHERE)
    assert str(caught.value) == NO_PASSWORD
    assert exit_code(caught.value) == STORE_UNAVAILABLE


def test_empty_password_counts_as_missing() -> None:
    with pytest.raises(StoreUnavailable, match="no password"):
        Neo4jStore.connect(NOWHERE, password="")


def test_connection_refused_is_store_unavailable_quickly() -> None:
    started = time.monotonic()
    with pytest.raises(StoreUnavailable) as caught:
        Neo4jStore.connect(NOWHERE, password="not-used", connection_timeout=2.0)
    assert time.monotonic() - started < 5
    message = str(caught.value)
    assert message.startswith(f"Neo4j at {NOWHERE}: server unavailable")
    assert "\n" not in message


def test_routing_uri_without_server_is_store_unavailable() -> None:
    with pytest.raises(StoreUnavailable, match=r"^Neo4j at neo4j://127\.0\.0\.1:1: server unavailable"):
        Neo4jStore.connect("neo4j://127.0.0.1:1", password="not-used", connection_timeout=2.0)


def test_credentials_in_the_uri_are_used_and_never_shown() -> None:
    assert split_credentials("neo4j+s://reader:s%40cret@abcd1234.databases.neo4j.io") == (
        "neo4j+s://abcd1234.databases.neo4j.io",
        "reader",
        "s@cret",
    )
    assert split_credentials("bolt://localhost:7687") == ("bolt://localhost:7687", None, None)
    # The URI's password is enough (no NEO4J_PASSWORD), and the error message hides it.
    with pytest.raises(StoreUnavailable) as caught:
        Neo4jStore.connect("bolt://neo4j:hunter22@127.0.0.1:1", connection_timeout=2.0)
    assert "server unavailable" in str(caught.value)
    assert "hunter22" not in str(caught.value)


def _cli(*args: str, password: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "AGKG_"))}
    if password is not None:
        env["NEO4J_PASSWORD"] = password
    return subprocess.run([AGKG, *args], capture_output=True, text=True, env=env, timeout=60, check=False)


def test_cli_exits_3_with_one_line_when_neo4j_is_down() -> None:
    done = _cli("--store", NOWHERE, "stats", password="not-used")
    assert done.returncode == 3
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"error: Neo4j at {NOWHERE}: server unavailable")
    assert done.stdout == ""


def test_cli_exits_3_without_a_password() -> None:
    done = _cli("--store", NOWHERE, "stats", password=None)
    assert done.returncode == 3
    assert done.stderr.splitlines() == [f"error: {NO_PASSWORD}"]


def test_neo4j_uri_from_the_environment_selects_neo4j() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "AGKG_"))}
    env |= {"NEO4J_URI": NOWHERE, "NEO4J_PASSWORD": "not-used"}
    done = subprocess.run([AGKG, "stats"], capture_output=True, text=True, env=env, timeout=60, check=False)
    assert done.returncode == 3
    assert f"Neo4j at {NOWHERE}" in done.stderr


# --- with a server (neo4j_env) -----------------------------------------------------------------


@pytest.fixture
def neo4j(neo4j_env: dict[str, str]) -> Iterator[Neo4jStore]:
    store = open_store(neo4j_env["NEO4J_URI"])
    assert isinstance(store, Neo4jStore)
    store.drop()
    yield store
    store.drop()
    store.close()


@pytest.mark.neo4j
def test_reads_refuse_writes(neo4j: Neo4jStore) -> None:
    with pytest.raises(QueryError) as caught:
        neo4j.read("CREATE (n:Entity {id: $id})", {"id": "x"})
    assert str(caught.value) == READ_ONLY_REFUSED
    assert neo4j.read("MATCH (n:Entity) RETURN count(n) AS n") == [{"n": 0}]


@pytest.mark.neo4j
def test_write_then_read_plain_values(neo4j: Neo4jStore) -> None:
    neo4j.write(
        "MERGE (a:Entity {id: $a}) SET a.name = $name, a.aliases = $aliases "
        "MERGE (b:Entity {id: $b}) MERGE (a)-[r:MEMBER_OF {key: $key}]->(b)",
        {"a": "g1", "b": "u1", "name": "Group", "aliases": ["G", "Grp"], "key": "g1|u1"},
    )
    rows = neo4j.read(
        "MATCH (a:Entity {id: $a})-[r:MEMBER_OF]->(b:Entity) RETURN a, r, b.id AS b, {n: a.name} AS m, a.aliases AS al",
        {"a": "g1"},
    )
    assert rows == [
        {
            "a": {"_labels": ["Entity"], "aliases": ["G", "Grp"], "id": "g1", "name": "Group"},
            "r": {"_type": "MEMBER_OF", "key": "g1|u1"},
            "b": "u1",
            "m": {"n": "Group"},
            "al": ["G", "Grp"],
        }
    ]
    assert all(type(v) in (dict, list, str) for v in rows[0].values())


@pytest.mark.neo4j
def test_bad_query_is_query_error(neo4j: Neo4jStore) -> None:
    broken = "MATCH (n:Entity) RETRUN n"  # a local, so test_cypher_lint does not collect it
    with pytest.raises(QueryError, match=r"^query failed: "):
        neo4j.read(broken)


@pytest.mark.neo4j
def test_apply_schema_is_idempotent(neo4j: Neo4jStore) -> None:
    neo4j.apply_schema()
    neo4j.apply_schema()
    names = {r["name"] for r in neo4j.read("SHOW CONSTRAINTS YIELD name RETURN name")}
    assert {"entity_id", "source_id", "claim_id", "entity_record_id", "document_id"} <= names


@pytest.mark.neo4j
def test_drop_deletes_everything_in_batches(neo4j: Neo4jStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(neo4j_store, "DROP_BATCH_SIZE", 7)
    neo4j.write(
        "UNWIND range(1, $n) AS i MERGE (a:Entity {id: 'e' + toString(i)}) "
        "MERGE (s:Source {id: 's' + toString(i)}) MERGE (a)-[:BACKED_BY]->(s)",
        {"n": 20},
    )
    assert neo4j.read("MATCH (n) RETURN count(n) AS n") == [{"n": 40}]
    neo4j.drop()
    assert neo4j.read("MATCH (n) RETURN count(n) AS n") == [{"n": 0}]


@pytest.mark.neo4j
def test_wrong_password_is_store_unavailable(neo4j_env: dict[str, str]) -> None:
    with pytest.raises(StoreUnavailable, match="authentication failed"):
        Neo4jStore.connect(neo4j_env["NEO4J_URI"], password="certainly-not-the-password")
