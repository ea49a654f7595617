"""Name resolution is an index seek on both back ends, and the name nodes follow the entities.

Every command argument is resolved by `resolve-name`: (:EntityKey {key})-[:NAMES]->(:Entity), one node per
entity and normalised name, written with the entity (graph/cypher/merge_entities.cypher).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from agkg import queries
from agkg.graph.embedded import EmbeddedServer
from agkg.graph.falkor import FalkorStore
from agkg.graph.store import GraphStore
from agkg.loaders.ingest import ingest
from agkg.loaders.names import normalise
from tests.conftest import DATA

ARTICLE = "jpost-iraq-militias-syrian-border.yaml"
SCANS = {"AllNodesScan", "NodeByLabelScan", "NodeIndexScan", "NodeUniqueIndexScan"}


@dataclass(frozen=True)
class Operator:
    name: str
    details: str
    rows: int


def operators(plan: dict[str, Any]) -> Iterator[Operator]:
    """Every operator of a Neo4j PROFILE plan, the root first."""
    yield Operator(plan["operatorType"].split("@")[0], str(plan.get("args", {}).get("Details", "")), plan["rows"])
    for child in plan.get("children", []):
        yield from operators(child)


def resolve(store: GraphStore, name: str) -> list[str]:
    return [r["id"] for r in queries.run(store, "resolve-name", key=normalise(name))]


@pytest.mark.neo4j
def test_resolution_is_an_index_seek_on_neo4j(neo4j_env: dict[str, str]) -> None:
    import neo4j

    from agkg.graph.neo4j_store import Neo4jStore

    uri, user, password = neo4j_env["NEO4J_URI"], neo4j_env.get("NEO4J_USERNAME", "neo4j"), neo4j_env["NEO4J_PASSWORD"]
    store = Neo4jStore.connect(uri, user, password)
    driver = neo4j.GraphDatabase.driver(uri, auth=(user, password))
    try:
        store.drop()
        assert ingest(store, [DATA]).failed == 0
        text = queries.get("resolve-name").text_for("neo4j")
        with driver.session(database=store.database) as session:
            result = session.run("PROFILE " + text, {"key": normalise("Kata'ib Hizballah")})
            assert [r["id"] for r in result] == ["kataib-hezbollah"]
            profile = result.consume().profile
        assert profile is not None
        plan = list(operators(profile))
        shown = "\n".join(f"{op.name} {op.details} ({op.rows} rows)" for op in plan)
        seeks = [op for op in plan if op.name in ("NodeIndexSeek", "NodeUniqueIndexSeek")]
        assert [op.details for op in seeks] == ["RANGE INDEX k:EntityKey(key) WHERE key = $key"], shown
        assert seeks[0].rows == 1, shown  # one index entry read, not every name in the graph
        assert not [op for op in plan if op.name in SCANS], shown
    finally:
        store.drop()
        store.close()
        driver.close()


def test_resolution_is_an_index_seek_on_falkordb(falkor: GraphStore, embedded_dir: Path) -> None:
    from falkordb import FalkorDB

    assert isinstance(falkor, FalkorStore)
    assert ingest(falkor, [DATA]).failed == 0
    client = FalkorDB(unix_socket_path=str(EmbeddedServer(embedded_dir).socket))
    try:
        text = queries.get("resolve-name").text_for("falkordb")
        plan = str(client.select_graph(falkor.graph_name).explain(text, {"key": "kh"}))
    finally:
        client.connection.close()
    assert "Node By Index Scan | (k:EntityKey)" in plan, plan  # FalkorDB's name for an index lookup
    assert "All Node Scan" not in plan and "Label Scan" not in plan, plan


def name_nodes(store: GraphStore) -> tuple[int, int, int]:
    """(name nodes, names the entities list, name nodes that name no entity)."""
    nodes = store.read("MATCH (k:EntityKey) RETURN count(k) AS n")[0]["n"]
    listed = store.read("MATCH (e:Entity) UNWIND e.keys AS key RETURN count(key) AS n")[0]["n"]
    orphans = store.read(
        "MATCH (k:EntityKey) OPTIONAL MATCH (k)-[:NAMES]->(e:Entity) WITH k, count(e) AS n WHERE n <> 1 "
        "RETURN count(k) AS n"
    )[0]["n"]
    return nodes, listed, orphans


def test_a_removed_alias_no_longer_resolves(store: GraphStore, data_copy: Path) -> None:
    assert ingest(store, [data_copy]).failed == 0
    assert resolve(store, "KH") == ["kataib-hezbollah"]
    article = data_copy / ARTICLE
    text = article.read_text("utf-8")
    assert 'aliases: [KH, "Kata\'ib Hizballah"' in text
    article.write_text(text.replace('aliases: [KH, "Kata\'ib Hizballah"', 'aliases: ["Kata\'ib Hizballah"'), "utf-8")
    assert ingest(store, [data_copy]).entities.updated == 1
    assert resolve(store, "KH") == []
    assert resolve(store, "Kata'ib Hizballah") == ["kataib-hezbollah"]
    nodes, listed, orphans = name_nodes(store)
    assert (nodes, orphans) == (listed, 0)


def test_a_pruned_entity_takes_its_names(store: GraphStore, data_copy: Path) -> None:
    extra = data_copy / "extra.yaml"
    extra.write_text(
        "entities:\n  - name: Brigade of the Test\n    kind: group\n    aliases: [BOTT, Test Brigade]\n", "utf-8"
    )
    assert ingest(store, [data_copy]).failed == 0
    assert resolve(store, "test brigade") == ["brigade-of-the-test"]
    extra.unlink()
    assert ingest(store, [data_copy], prune=True).entities.removed == 1
    assert resolve(store, "BOTT") == resolve(store, "brigade-of-the-test") == []
    nodes, listed, orphans = name_nodes(store)
    assert (nodes, orphans) == (listed, 0)


def test_a_full_reload_writes_the_names_a_store_lacks(store: GraphStore) -> None:
    """A store loaded before name nodes existed: `ingest --full` writes them (its entities read as changed)."""
    assert ingest(store, [DATA]).failed == 0
    entities = store.read("MATCH (e:Entity) RETURN count(e) AS n")[0]["n"]
    store.write("MATCH (k:EntityKey) DETACH DELETE k")
    assert resolve(store, "PMU") == []
    assert ingest(store, [DATA], full=True).entities.updated == entities
    assert resolve(store, "PMU") == ["popular-mobilization-units"]
    nodes, listed, orphans = name_nodes(store)
    assert (nodes, orphans) == (listed, 0)
    assert ingest(store, [DATA], full=True).entities.updated == 0
