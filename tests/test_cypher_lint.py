"""Every Cypher text agkg can send to Neo4j passes Neo4j's own parser and semantic checker.

No server is needed: tools/cypherlint runs the checker of `@neo4j-cypher/language-support`
under Node, once for all texts. Texts come from the loader (templates expanded for every
schema entry), the Neo4j schema statements, the canned queries, and every string literal
passed to a store's `.read(` or `.write(` anywhere in the code and tests.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from agkg.graph.cypher import all_texts
from agkg.queries import catalogue

REPO = Path(__file__).resolve().parent.parent
LINT_DIR = REPO / "tools" / "cypherlint"
PYTHON_DIRS = ("cli", "graph", "loaders", "queries", "tests", "bench")
PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
STORE_METHODS = {"read", "write"}
# What a query text starts with: tells Cypher apart from other `.write(` calls (files, stderr).
CYPHER_START = re.compile(
    r"\s*(//|(MATCH|OPTIONAL|MERGE|CREATE|UNWIND|CALL|RETURN|WITH|SHOW|DROP|CYPHER|EXPLAIN|PROFILE)\b)", re.IGNORECASE
)


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: cannot run tools/cypherlint (Neo4j's Cypher checker)")
    if not (LINT_DIR / "node_modules" / "@neo4j-cypher" / "language-support").is_dir():
        pytest.fail("tools/cypherlint/node_modules is missing: run `make setup`")
    return node


def lint(texts: dict[str, str], undeclared: frozenset[str] = frozenset()) -> dict[str, dict[str, Any]]:
    """Lint `texts` (name -> Cypher) in one run of the harness; name -> {errors, warnings}.

    Each text's `$params` are declared, except for the texts named in `undeclared`.
    """
    items = [
        {"name": name, "text": text, "params": [] if name in undeclared else sorted(set(PARAM.findall(text)))}
        for name, text in texts.items()
    ]
    done = subprocess.run(
        [_node(), str(LINT_DIR / "lint.mjs")],
        input=json.dumps(items),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"cypherlint failed (exit {done.returncode}): {done.stderr}"
    out: list[dict[str, Any]] = json.loads(done.stdout)
    assert [entry["name"] for entry in out] == list(texts)
    return {entry["name"]: entry for entry in out}


def loader_texts() -> dict[str, str]:
    # all_texts() holds every back end's schema file; FalkorDB's never reaches Neo4j.
    return {f"loader:{name}": text for name, text in all_texts().items() if ".falkordb" not in name}


def canned_texts() -> dict[str, str]:
    """The canned queries as sent to Neo4j (the `.neo4j.cypher` variant where one exists)."""
    return {f"query:{name}": query.text_for("neo4j") for name, query in sorted(catalogue().items())}


def _python_files() -> list[Path]:
    return sorted(p for d in PYTHON_DIRS if (REPO / d).is_dir() for p in (REPO / d).rglob("*.py"))


def _store_calls(tree: ast.Module) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in STORE_METHODS
        and node.args
    ]


def inline_texts() -> dict[str, str]:
    """String literals (or module-level string constants) passed as the query of `.read(`/`.write(`."""
    out: dict[str, str] = {}
    for path in _python_files():
        tree = ast.parse(path.read_text("utf-8"), str(path))
        constants = {
            target.id: node.value.value
            for node in tree.body
            if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        for call in _store_calls(tree):
            first = call.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                text = first.value
            elif isinstance(first, ast.Name) and first.id in constants:
                text = constants[first.id]
            else:
                continue  # e.g. cypher("name"): linted through loader_texts()
            if not CYPHER_START.match(text):
                continue
            out[f"inline:{path.relative_to(REPO)}:{call.lineno}"] = text
    return out


def every_text() -> dict[str, str]:
    return {**loader_texts(), **canned_texts(), **inline_texts()}


TEXTS = every_text()


# Texts the linter must reject, linted in the same run (node takes seconds to start):
# they show that a clean result for the texts above means something.
PROBES = {
    "probe:typo": "MATCH (n:Entity) RETRUN n",
    "probe:falkordb_index": "CREATE INDEX ON :Entity(id)",
    "probe:falkordb_procedure": "CALL db.idx.fulltext.queryNodes('Entity', $q) YIELD node RETURN node",
    "probe:two_statements": "MATCH (n:Entity) RETURN n; MATCH (m:Source) RETURN m",
    "probe:undeclared_param": "MATCH (n:Entity {id: $id}) RETURN n",
}
FINE = {"probe:fine": "MATCH (n:Entity {id: $id}) RETURN n.name AS name"}


@pytest.fixture(scope="session")
def lint_results() -> dict[str, dict[str, Any]]:
    return lint({**TEXTS, **PROBES, **FINE}, undeclared=frozenset({"probe:undeclared_param"}))


@pytest.mark.parametrize("name", list(TEXTS))
def test_text_passes_neo4j_checker(name: str, lint_results: dict[str, dict[str, Any]]) -> None:
    errors = lint_results[name]["errors"]
    shown = "\n".join(f"  {e['line']}:{e['column']}: {e['message']}" for e in errors)
    assert not errors, f"{name} is not valid Neo4j 5 Cypher:\n{shown}\n--- text ---\n{TEXTS[name]}"


def test_every_source_of_cypher_is_collected() -> None:
    names = list(TEXTS)
    assert any(n.startswith("loader:schema.neo4j[") for n in names)
    assert any(n.startswith("loader:merge_edges[") for n in names)
    assert "loader:stats" in names
    assert "query:members" in names
    assert any(n.startswith("inline:tests/graph_dump.py:") for n in names)
    assert any(n.startswith("inline:graph/neo4j_store.py:") for n in names)
    assert not any(".falkordb" in n for n in names)


def test_no_query_text_is_built_with_an_f_string() -> None:
    """Values travel as parameters; an f-string query could paste one into the Cypher text."""
    offenders = [
        f"{path.relative_to(REPO)}:{call.lineno}"
        for path in _python_files()
        for call in _store_calls(ast.parse(path.read_text("utf-8"), str(path)))
        if isinstance(call.args[0], ast.JoinedStr) and CYPHER_START.match(_literal_prefix(call.args[0]))
    ]
    assert offenders == []


def _literal_prefix(node: ast.JoinedStr) -> str:
    first = node.values[0] if node.values else None
    return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else ""


@pytest.mark.parametrize("name", list(PROBES))
def test_linter_rejects_bad_cypher(name: str, lint_results: dict[str, dict[str, Any]]) -> None:
    assert lint_results[name]["errors"], f"the linter accepted {name}: {PROBES[name]}"


def test_linter_accepts_good_cypher(lint_results: dict[str, dict[str, Any]]) -> None:
    assert lint_results["probe:fine"]["errors"] == []
