"""Every canned query runs on a real Neo4j exactly as an analyst pastes it into Neo4j Browser.

The analyst copies the file's `// :param NAME => VALUE` example lines and runs each one (the Browser
evaluates VALUE on the server as Cypher, `RETURN VALUE AS NAME`), then pastes the whole file, comments
and all, and runs it as one auto-commit statement. This test does the same through the official driver,
on the Neo4j server of the suite loaded with data/, and expects rows: every example is meant to show
something on the seed data.

`NAME.falkordb.cypher` files are FalkorDB's own texts (never pasted into Neo4j Browser) and are not
collected; a `NAME.neo4j.cypher` variant runs with the example of `NAME.cypher` when it has none itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver, GraphDatabase

from agkg import queries
from agkg.graph.neo4j_store import Neo4jStore
from agkg.loaders.ingest import ingest

pytestmark = pytest.mark.neo4j

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
QUERY_DIR = REPO / "queries"
FILES = sorted(p.name for p in QUERY_DIR.glob("*.cypher") if not p.name.endswith(".falkordb.cypher"))
# The Browser's `:param` command, as the header's example lines write it (a `;` may end it).
PARAM_LINE = re.compile(r"^\s*//\s*:param\s+(\w+)\s*=>\s*(.+?)\s*;?\s*$")


def example_lines(text: str) -> list[tuple[str, str]]:
    """(NAME, VALUE) of the `// :param NAME => VALUE` lines after `// example:` in the header."""
    found: list[tuple[str, str]] = []
    in_example = False
    for line in text.splitlines():
        if not line.strip().startswith("//"):
            break
        if re.match(r"^\s*//\s*example:", line):
            in_example = True
        elif in_example and (matched := PARAM_LINE.match(line)):
            found.append((matched[1], matched[2]))
    return found


def lines_for(file_name: str) -> list[tuple[str, str]]:
    lines = example_lines((QUERY_DIR / file_name).read_text("utf-8"))
    base = file_name.split(".", 1)[0] + ".cypher"
    if not lines and base != file_name:  # a back-end variant: the example of its common text
        lines = example_lines((QUERY_DIR / base).read_text("utf-8"))
    return lines


@pytest.fixture(scope="module")
def driver(neo4j_env: dict[str, str]) -> Iterator[Driver]:
    """The official driver on the suite's Neo4j, its database loaded with data/ (as Neo4jStore loads it)."""
    store = Neo4jStore.connect(neo4j_env["NEO4J_URI"], neo4j_env.get("NEO4J_USERNAME"), neo4j_env["NEO4J_PASSWORD"])
    store.drop()
    summary = ingest(store, [DATA])
    assert summary.failed == 0, summary.problems
    auth = (neo4j_env.get("NEO4J_USERNAME") or "neo4j", neo4j_env["NEO4J_PASSWORD"])
    with GraphDatabase.driver(neo4j_env["NEO4J_URI"], auth=auth) as bolt:
        yield bolt
    store.drop()
    store.close()


def browser_params(driver: Driver, lines: list[tuple[str, str]]) -> dict[str, Any]:
    """What `:param NAME => VALUE` sets: VALUE evaluated as Cypher by the server."""
    params: dict[str, Any] = {}
    with driver.session() as session:
        for name, value in lines:
            params[name] = session.run(f"RETURN {value} AS v").single(strict=True)["v"]
    return params


def test_the_queries_are_found() -> None:
    assert "members.cypher" in FILES and len(FILES) >= 10


@pytest.mark.parametrize("file_name", FILES)
def test_pasted_file_runs_with_its_example(driver: Driver, file_name: str) -> None:
    text = (QUERY_DIR / file_name).read_text("utf-8")
    params = browser_params(driver, lines_for(file_name))  # none for a query without parameters
    with driver.session() as session:
        result = session.run(text, params)  # the whole file, comments included: one auto-commit statement
        rows = [record.data() for record in result]
    assert rows, f"{file_name}: its example {params} returns no rows on data/"


@pytest.mark.parametrize("name", sorted({f.split(".", 1)[0] for f in FILES}))
def test_library_reads_the_examples_as_the_browser_does(driver: Driver, name: str) -> None:
    """`agkg` reads the `:param` values with its own literal parser; the server must agree with it."""
    assert queries.get(name).example == browser_params(driver, lines_for(f"{name}.cypher"))
