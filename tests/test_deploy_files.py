"""The deployment files are valid and safe: hadolint on the Dockerfile, the Compose
specification's JSON Schema on docker-compose.yml, no default password anywhere,
database ports reachable from this host only.

No Docker engine is needed (or used): these are static checks.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
COMPOSE = REPO / "docker-compose.yml"
DOCKERFILE = REPO / "Dockerfile"


def _tool(name: str) -> str:
    path = BIN / name
    if not path.exists():
        pytest.fail(f"{name} is not installed in the virtualenv: run `make setup` (it is in the dev extras)")
    return str(path)


def _compose() -> dict[str, Any]:
    loaded: dict[str, Any] = YAML(typ="safe").load(COMPOSE.read_text("utf-8"))
    return loaded


def test_dockerfile_passes_hadolint() -> None:
    done = subprocess.run(
        [_tool("hadolint"), "--no-color", str(DOCKERFILE)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_compose_file_matches_the_compose_specification() -> None:
    done = subprocess.run(
        [_tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec", str(COMPOSE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("path", [COMPOSE, DOCKERFILE, REPO / ".env.example"], ids=lambda p: p.name)
def test_no_default_password(path: Path) -> None:
    text = path.read_text("utf-8")
    assert not re.search(r"NEO4J_PASSWORD:-", text), f"{path.name} gives NEO4J_PASSWORD a default"
    assert not re.search(r"NEO4J_AUTH[=:]\s*none", text, re.IGNORECASE), f"{path.name} turns auth off"


def test_compose_requires_the_password() -> None:
    services = _compose()["services"]
    assert services["neo4j"]["environment"]["NEO4J_AUTH"].startswith("neo4j/${NEO4J_PASSWORD:?")
    assert services["ingest"]["environment"]["NEO4J_PASSWORD"].startswith("${NEO4J_PASSWORD:?")


def test_code_has_no_default_password() -> None:
    source = (REPO / "graph" / "neo4j_store.py").read_text("utf-8") + (REPO / "graph" / "store.py").read_text("utf-8")
    assert not re.search(r"NEO4J_PASSWORD\"?\s*,\s*\"", source), "a default for NEO4J_PASSWORD in code"


def test_published_ports_are_bound_to_localhost() -> None:
    ports = [str(p) for service in _compose()["services"].values() for p in service.get("ports", [])]
    assert sorted(ports) == ["127.0.0.1:7474:7474", "127.0.0.1:7687:7687"]


def test_neo4j_image_is_pinned_to_a_neo4j_5_patch_release() -> None:
    image = _compose()["services"]["neo4j"]["image"]
    assert re.fullmatch(r"neo4j:5\.\d+\.\d+-community", image), image


def test_ingest_service_waits_for_a_healthy_neo4j() -> None:
    services = _compose()["services"]
    assert services["neo4j"]["healthcheck"]["test"]
    ingest = services["ingest"]
    assert ingest["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert ingest["environment"]["NEO4J_URI"] == "neo4j://neo4j:7687"
    assert "./data:/data:ro" in ingest["volumes"]
    assert ingest["restart"] == "on-failure"


def test_ingest_command_is_a_real_cli_command() -> None:
    """The container's command line parses with the agkg installed here (`--help` stops before running)."""
    command = _compose()["services"]["ingest"]["command"]
    done = subprocess.run(
        [str(BIN / "agkg"), *command, "--help"], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "watch" in done.stdout.lower()


def test_image_runs_as_non_root_with_agkg_entrypoint() -> None:
    text = DOCKERFILE.read_text("utf-8")
    assert re.search(r"^FROM python:3\.11\.\d+-slim", text, re.MULTILINE)
    user = re.findall(r"^USER\s+(\S+)", text, re.MULTILINE)
    assert user and not user[-1].startswith(("root", "0"))
    assert 'ENTRYPOINT ["agkg"]' in text


def _grass() -> dict[str, dict[str, str]]:
    """queries/agkg.grass as selector -> {property: value}; fails on anything that is not GraSS."""
    text = (REPO / "queries" / "agkg.grass").read_text("utf-8")
    rule = r'([\w.]+)\s*\{((?:[^{}"]|"[^"]*")*)\}'  # captions hold braces, inside quotes
    rules: dict[str, dict[str, str]] = {}
    for selector, body in re.findall(rule, text):
        properties = {}
        for declaration in filter(None, (d.strip() for d in body.split(";"))):
            name, sep, value = declaration.partition(":")
            assert sep, f"{selector}: not a declaration: {declaration!r}"
            properties[name.strip()] = value.strip().strip('"')
        rules[selector] = properties
    assert re.sub(rule, "", text).strip() == "", "text outside rules in agkg.grass"
    return rules


def test_grass_styles_every_label_and_relationship_type() -> None:
    from agkg.graph.schema import load_schema

    schema = load_schema()
    rules = _grass()
    labels = {schema.label(kind) for kind in schema.kinds}
    for label in labels | {"Entity"}:
        assert rules[f"node.{label}"]["caption"] == "{name}"
    assert rules["node.Source"]["caption"] == "{title}"
    assert rules["node.Claim"]["caption"] == "{relation}"
    for relation in schema.relations.values():
        assert rules[f"relationship.{relation.type}"]["caption"]
    assert rules["relationship.FROM_SOURCE"]["caption"]
    for selector, properties in rules.items():
        if selector.startswith("node."):
            assert {"color", "diameter", "caption"} <= set(properties) or selector == "node.Entity", selector
            assert re.fullmatch(r"#[0-9A-Fa-f]{6}", properties["color"]), selector
            if "diameter" in properties:
                assert re.fullmatch(r"\d+px", properties["diameter"]), selector
