"""The `agkg` command line: a thin layer over the library (graph, loaders, queries).

Heavy modules (drivers, pydantic models) are imported inside commands so that
`agkg --help` stays fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from agkg import __version__
from agkg.errors import AgkgError
from agkg.output import Format, render, to_json

if TYPE_CHECKING:
    from agkg.graph.store import GraphStore
    from agkg.loaders.ingest import Summary

LOADING = "Loading"
ADMIN = "Admin"

app = typer.Typer(
    name="agkg",
    help="agkg: a knowledge graph of armed groups and their affiliations.\n\n"
    "Load curated fact files, then ask the graph questions. Example:\n\n"
    "  agkg ingest data/ && agkg stats",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store",
        envvar="AGKG_STORE",
        show_envvar=True,
        help="Where the graph lives: a directory (embedded store), falkordb://host:port. "
        "Default: $XDG_DATA_HOME/agkg or ~/.local/share/agkg.",
    ),
]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output: table for people, json or csv.")]
PathsArg = Annotated[
    list[Path], typer.Argument(help="Fact files (.yaml, .yml, .json) or directories, read recursively.")
]

F = TypeVar("F", bound=Callable[..., Any])


class _State:
    store: str | None = None


state = _State()


def _version(value: bool) -> None:
    if value:
        typer.echo(f"agkg {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    store: StoreOption = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    state.store = store


@contextmanager
def opened() -> Iterator[GraphStore]:
    from agkg.graph.store import open_store

    store = open_store(state.store)
    try:
        yield store
    finally:
        store.close()


def fail(error: AgkgError) -> typer.Exit:
    typer.echo(f"error: {error}", err=True)
    return typer.Exit(error.exit_code)


def _progress() -> Callable[[str, int, int], None] | None:
    if not sys.stderr.isatty():
        return None

    def show(label: str, done: int, total: int) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {label:<10}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show


def _report(summary: Summary, fmt: Format, verb: str) -> None:
    for problem in summary.problems:
        typer.echo(str(problem), err=True)
    if fmt is Format.json:
        typer.echo(to_json(summary.as_dict()))
    else:
        parts = []
        for name in ("entities", "claims", "relations"):
            c = getattr(summary, name)
            parts.append(f"{name} +{c.added} ~{c.updated} -{c.removed}")
        typer.echo(f"{verb} {summary.loaded} of {summary.files} file(s), {summary.failed} failed; " + "; ".join(parts))
    if summary.failed:
        raise typer.Exit(1)


@app.command(rich_help_panel=LOADING)
def ingest(paths: PathsArg, fmt: FormatOption = Format.table) -> None:
    """Load fact files into the graph. Files that fail write nothing; the rest load.

    Prints one line per problem as file:line:column: message, then a summary of
    entities, claims and relations added (+), updated (~) and removed (-).
    Exit 1 if any file failed.

    Example: agkg ingest data/
    """
    from agkg.loaders.ingest import ingest as run

    try:
        with opened() as store:
            summary = run(store, paths, progress=_progress())
    except AgkgError as exc:
        raise fail(exc) from None
    _report(summary, fmt, "loaded")


@app.command(rich_help_panel=LOADING)
def validate(paths: PathsArg, fmt: FormatOption = Format.table) -> None:
    """Check fact files (syntax, schema, names against the store and the files given); write nothing.

    Example: agkg validate data/new-article.yaml
    """
    from agkg.loaders.ingest import validate as run

    try:
        with opened() as store:
            summary = run(store, paths)
    except AgkgError as exc:
        raise fail(exc) from None
    _report(summary, fmt, "valid:")


@app.command(rich_help_panel=ADMIN)
def stats(fmt: FormatOption = Format.table) -> None:
    """Count nodes by label and relationships by type.

    Example: agkg stats --format json
    """
    from agkg.graph.cypher import cypher

    try:
        with opened() as store:
            rows = store.read(cypher("stats"))
    except AgkgError as exc:
        raise fail(exc) from None
    labels = {r["name"]: r["count"] for r in rows if r["what"] == "label"}
    types = {r["name"]: r["count"] for r in rows if r["what"] == "type"}
    if fmt is Format.json:
        typer.echo(
            to_json(
                {
                    "labels": labels,
                    "relationships": types,
                    "sources": labels.get("Source", 0),
                    "claims": labels.get("Claim", 0),
                }
            )
        )
        return
    table_rows = [{"kind": "label", "name": k, "count": v} for k, v in sorted(labels.items())]
    table_rows += [{"kind": "relationship", "name": k, "count": v} for k, v in sorted(types.items())]
    typer.echo(render(table_rows, fmt, empty="The graph is empty: load fact files with `agkg ingest PATH`."))


@app.command("schema-json", rich_help_panel=ADMIN)
def schema_json() -> None:
    """Print the JSON Schema of fact files (for editors that validate as you type).

    Example: agkg schema-json > facts.schema.json
    """
    from agkg.loaders.model import json_schema

    typer.echo(to_json(json_schema()))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
