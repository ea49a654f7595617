"""The published JSON Schema is current, and the curated files satisfy it."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from ruamel.yaml import YAML

from agkg.loaders.model import json_schema
from tests.conftest import DATA, REPO


def test_committed_schema_is_current() -> None:
    committed = json.loads((REPO / "facts.schema.json").read_text("utf-8"))
    assert committed == json_schema(), "regenerate it: agkg schema-json > facts.schema.json"


def test_curated_files_validate_against_the_schema() -> None:
    schema = json_schema()
    files = sorted(Path(DATA).rglob("*.yaml"))
    assert files
    for path in files:
        # YAML 1.2 core schema, as editors' YAML language servers read it (dates stay strings).
        data = YAML(typ="safe", pure=True).load(path.read_text("utf-8"))
        jsonschema.validate(json.loads(json.dumps(data, default=str)), schema)
