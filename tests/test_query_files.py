"""Every file in queries/ has a header and an example, is reachable from the CLI, and runs on the seed data."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import typer

from agkg import queries
from agkg.cli.main import app
from agkg.graph.store import GraphStore
from agkg.loaders.ingest import ingest

DATA = Path(__file__).resolve().parent.parent / "data"
PARAM = re.compile(r"\$([A-Za-z_]\w*)")
# Canned queries that back a part of the CLI other than the command of the same name.
USED_ELSEWHERE = {
    "entities": "suggestions for unknown names and `agkg search`",
    "resolve-name": "name resolution of every command argument",
}


def _files() -> list[str]:
    return sorted(e.name for e in resources.files(queries).iterdir() if e.name.endswith(".cypher"))


def _commands(panel: str | None = None) -> set[str]:
    commands: dict[str, Any] = getattr(typer.main.get_command(app), "commands", {})
    return {
        name
        for name, command in commands.items()
        if panel is None or getattr(command, "rich_help_panel", None) == panel
    }


@pytest.mark.parametrize("file_name", _files())
def test_every_file_has_a_header_with_an_example(file_name: str) -> None:
    text = resources.files(queries).joinpath(file_name).read_text("utf-8")
    head = text.splitlines()
    assert head[0].startswith("// name: "), f"{file_name}: the first line must be `// name: …`"
    stem = file_name.removesuffix(".cypher")
    base = stem.split(".")[0]
    assert head[0] == f"// name: {base}"
    assert head[1].startswith("// description: ") and len(head[1]) > len("// description: ") + 10
    if stem != base:  # a per-back-end variant: it must take exactly the parameters of its base
        assert stem.rsplit(".", 1)[1] in queries.BACKENDS
        query = queries.get(base)
        assert set(PARAM.findall(query.variants[stem.rsplit(".", 1)[1]])) <= {p.name for p in query.params}
        return
    assert "// example:" in text, f"{file_name}: no `// example:` section"
    query = queries.get(base)
    declared = [p.name for p in query.params]
    used = set(PARAM.findall(query.text))
    assert used == set(declared), f"{file_name}: $params used {sorted(used)} but declared {declared}"
    assert set(query.example) == set(declared), f"{file_name}: every parameter needs a `:param` example line"
    for line in text.splitlines():
        if line.startswith("// :param "):
            assert re.match(r"^// :param \w+ => .+$", line), f"{file_name}: not Neo4j Browser syntax: {line}"


def test_every_query_is_used_by_a_command() -> None:
    commands = _commands()
    assert "query" in commands
    for name in queries.names():
        assert name in commands or name in USED_ELSEWHERE, f"query '{name}' is used by no command"


def test_every_lookup_command_has_its_query() -> None:
    own = {"search", "query", "cypher"}
    lookups = _commands("Lookups")
    assert len(lookups) >= 15
    assert lookups - own <= set(queries.names())


@pytest.fixture
def seeded(store: GraphStore) -> GraphStore:
    assert ingest(store, [DATA]).failed == 0
    return store


def test_every_query_runs_with_its_example_on_the_seed_data(seeded: GraphStore) -> None:
    for name, query in queries.catalogue().items():
        # On each back end its own text (NAME.falkordb.cypher where there is one); that the texts agree is
        # tests/test_backend_equivalence.py's job.
        rows = queries.run(seeded, name, query.example)
        assert rows, f"query '{name}' with its example parameters found nothing on the seed data"


def test_query_texts_never_format_values() -> None:
    for name, query in queries.catalogue().items():
        for text in (query.text, *query.variants.values()):
            assert "{{" not in text and "%s" not in text and "{0}" not in text, name


def test_variant_templates_expand_one_block_per_level() -> None:
    from agkg.queries.templates import TemplateError, expand

    text = "A\n// for N in 1..3:\nstep {{N}} after {{N - 1}} {{'odd' if N % 2 else 'even'}}\n// end for\nZ"
    assert expand(text) == "A\nstep 1 after 0 odd\nstep 2 after 1 even\nstep 3 after 2 odd\nZ"
    assert expand("// for K in 2..2:\n(a){{steps(K)}}(b)\n// end for") == "(a)-[]-(:Entity)-[]-(b)"
    members = queries.get("members").variants["falkordb"]
    assert [f"'{n}' + m.id" in members for n in range(1, 9)] == [True] * 8
    with pytest.raises(TemplateError, match="without `// end for`"):
        expand("// for N in 1..2:\nx")
    with pytest.raises(TemplateError, match="without `// for`"):
        expand("x\n// end for")
