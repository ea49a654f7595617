"""The `agkg` command line: a thin layer over the library (graph, loaders, queries).

Start-up is most of a lookup's wall time, so a command imports what it needs when it runs (drivers, parsers
and models inside the commands), and typer builds only the command asked for (`only_invoked`);
tests/test_startup.py checks what `--help` and `profile` import, bench/startup.py times them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from typer.core import TyperGroup

from agkg import __version__
from agkg.cli.output import Format, render, to_json
from agkg.errors import AgkgError
from agkg.loaders.formats import described

if TYPE_CHECKING:
    from agkg.api import Graph
    from agkg.loaders.ingest import Summary

LOADING = "Loading"
ADMIN = "Admin"


class GroupedHelp(TyperGroup):
    """Plain-text help with commands grouped by panel (rich would cost ~100 ms of start-up per call)."""

    PANELS = ("Lookups", "Loading", "Admin")

    # Typer vendors its own click; its Context and HelpFormatter types are private, hence Any.
    def format_commands(self, ctx: Any, formatter: Any) -> None:
        grouped: dict[str, list[tuple[str, str]]] = {}
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is None or command.hidden:
                continue
            panel = getattr(command, "rich_help_panel", None) or "Commands"
            grouped.setdefault(panel, []).append((name, command.get_short_help_str(limit=100)))
        order = [p for p in self.PANELS if p in grouped] + [p for p in grouped if p not in self.PANELS]
        for panel in order:
            with formatter.section(panel):
                formatter.write_dl(grouped[panel])


app = typer.Typer(
    name="agkg",
    help="agkg: a knowledge graph of armed groups and their affiliations.\n\n"
    "Load curated fact files, then ask the graph questions. Example:\n\n"
    "  agkg ingest data/ && agkg stats",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    cls=GroupedHelp,
    context_settings={"help_option_names": ["-h", "--help"]},
)

StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store",
        envvar="AGKG_STORE",
        show_envvar=True,
        help="Where the graph lives: a directory (embedded store), falkordb://host:port, or a Neo4j URI "
        "(bolt://, neo4j://, neo4j+s://…; credentials from NEO4J_USERNAME/NEO4J_PASSWORD). "
        "Default: NEO4J_URI if set, else $XDG_DATA_HOME/agkg or ~/.local/share/agkg.",
    ),
]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output: table for people, json or csv.")]
PathsArg = Annotated[list[Path], typer.Argument(help=f"Fact files ({described()}) or directories, read recursively.")]

F = TypeVar("F", bound=Callable[..., Any])


class LogFormat(StrEnum):
    text = "text"
    json = "json"


class _State:
    store: str | None = None
    log_format: str = "text"


state = _State()


def _version(value: bool) -> None:
    if value:
        typer.echo(f"agkg {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    store: StoreOption = None,
    log_format: Annotated[
        LogFormat, typer.Option("--log-format", help="Log lines on stderr: text, or json (one object per line).")
    ] = LogFormat.text,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
    width: Annotated[
        int | None,
        typer.Option("--width", min=40, help="Fit tables to this many columns (default: the terminal's width)."),
    ] = None,
    no_wrap: Annotated[
        bool, typer.Option("--no-wrap", help="One line per table row, however long (for scripts and grep).")
    ] = False,
) -> None:
    from agkg.cli import logs
    from agkg.cli.output import layout

    layout.width, layout.wrap = width, not no_wrap
    state.store = store
    state.log_format = log_format.value
    logs.set_format(log_format.value)


@contextmanager
def opened() -> Iterator[Graph]:
    """The graph of `--store` (or the default store), closed when the command is done."""
    from agkg.api import Graph

    graph = Graph.open(state.store)
    try:
        yield graph
    finally:
        graph.close()


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
    from agkg.cli.logs import log

    for problem, level in sorted([(p, "error") for p in summary.problems] + [(w, "warning") for w in summary.warnings]):
        if state.log_format == "json":
            log("problem", level, file=problem.file, line=problem.line, column=problem.column, message=problem.message)
        else:
            typer.echo(str(problem), err=True)
    if fmt is Format.json:
        typer.echo(to_json(summary.as_dict()))
    elif state.log_format == "json":
        log(f"{verb.rstrip(':')}.summary", **summary.as_dict() | {"problems": len(summary.problems)})
    else:
        parts = []
        for name in ("entities", "claims", "relations"):
            c = getattr(summary, name)
            parts.append(f"{name} +{c.added} ~{c.updated} -{c.removed}")
        extra = f", {summary.skipped} unchanged" if summary.skipped else ""
        extra += f", {summary.pruned} pruned" if summary.pruned else ""
        tail = f"; {len(summary.warnings)} warning(s)" if summary.warnings else ""
        typer.echo(
            f"{verb} {summary.loaded} of {summary.files} file(s){extra}, {summary.failed} failed; "
            + "; ".join(parts)
            + tail
        )


@app.command(rich_help_panel=LOADING)
def ingest(
    paths: PathsArg,
    full: Annotated[bool, typer.Option("--full", help="Reload every file, changed or not.")] = False,
    prune: Annotated[
        bool, typer.Option("--prune", help="Remove what files deleted from the given directories had loaded.")
    ] = False,
    wait: Annotated[
        float, typer.Option("--wait", metavar="SECONDS", help="Wait this long for another ingest's lock.")
    ] = 0.0,
    fmt: FormatOption = Format.table,
) -> None:
    """Load fact files into the graph. Files that fail write nothing; the rest load.

    Incremental: files unchanged since their last successful load are skipped.
    Prints one line per problem as file:line:column: message, then a summary of
    entities, claims and relations added (+), updated (~) and removed (-).
    Exit codes: 0 ok, 1 some files invalid (the rest loaded), 3 store
    unavailable, 4 another ingest holds the lock, 130 stopped by a signal.

    Example: agkg ingest data/ --prune
    """
    from agkg.loaders.files import check_paths

    check_paths(paths)  # a usage error (exit 2) before the store is opened, locked or written to
    with opened() as graph:
        result = graph.ingest(paths, full=full, prune=prune, wait=wait, progress=_progress())
    _report(result.summary, fmt, "loaded")
    if result.summary.gone and fmt is not Format.json:
        typer.echo(
            f"note: {result.summary.gone} file(s) loaded before are gone from the given directories; what they "
            "loaded is still in the graph: run again with --prune to remove it",
            err=True,
        )
    if result.status == "interrupted":
        typer.echo("stopped by a signal; run again to finish", err=True)
        raise typer.Exit(130)
    if result.summary.failed:
        raise typer.Exit(1)


@app.command(rich_help_panel=LOADING)
def validate(paths: PathsArg, fmt: FormatOption = Format.table) -> None:
    """Check fact files (syntax, schema, names against the store and the files given); write nothing.

    Example: agkg validate data/new-article.yaml
    """
    from agkg.loaders.files import check_paths

    check_paths(paths)
    with opened() as graph:
        summary = graph.validate(paths)
    _report(summary, fmt, "valid:")
    if summary.failed:
        raise typer.Exit(1)


@app.command(rich_help_panel=ADMIN)
def stats(fmt: FormatOption = Format.table) -> None:
    """What the graph knows: entities by kind, relations by name, claims, sources; then its bookkeeping.

    JSON: {"entities": {kind: n}, "relations": {relation: n}, "claims": n,
    "sources": n, "bookkeeping": {documents, entity_declarations, entity_names,
    runs, locks}}. Every kind and relation of graph/schema.yaml is listed.

    Example: agkg stats --format json
    """
    with opened() as graph:
        counts = graph.stats()
    if fmt is Format.json:
        typer.echo(to_json(dict(counts)))
        return
    rows = [{"what": "entities", "name": k, "count": v} for k, v in counts["entities"].items()]
    rows += [{"what": "relations", "name": k, "count": v} for k, v in counts["relations"].items()]
    rows += [{"what": "claims", "name": "", "count": counts["claims"]}]
    rows += [{"what": "sources", "name": "", "count": counts["sources"]}]
    rows += [{"what": "bookkeeping", "name": k, "count": v} for k, v in sorted(counts["bookkeeping"].items())]
    if not any(counts["entities"].values()):
        typer.echo("The graph is empty: load fact files with `agkg ingest PATH`.")
        return
    typer.echo(render(rows, fmt, ["what", "name", "count"]))


@app.command(rich_help_panel=ADMIN)
def init() -> None:
    """Create the constraints and indexes agkg needs (idempotent; ingest also does it).

    Example: agkg --store neo4j://localhost:7687 init
    """
    with opened() as graph:
        graph.store.apply_schema()
        where = graph.store.location
    typer.echo(f"schema ready: {where}")


@app.command("schema-json", rich_help_panel=ADMIN)
def schema_json() -> None:
    """Print the JSON Schema of fact files (for editors that validate as you type).

    Example: agkg schema-json > facts.schema.json
    """
    from agkg.loaders.model import json_schema

    typer.echo(to_json(json_schema()))


@app.command(rich_help_panel=LOADING)
def runs(
    last: Annotated[int, typer.Option("--last", help="How many runs, newest first.")] = 10,
    fmt: FormatOption = Format.table,
) -> None:
    """List recent ingest runs from the ledger kept in the graph.

    Example: agkg runs --last 5 --format json
    """
    with opened() as graph:
        rows = graph.runs(last)
    columns = [
        "started",
        "status",
        "files_seen",
        "files_loaded",
        "files_skipped",
        "files_failed",
        "claims_added",
        "claims_removed",
        "relations_added",
        "relations_removed",
        "host",
    ]
    typer.echo(render(rows, fmt, None if fmt is Format.json else columns, empty="No ingest runs recorded yet."))


@app.command(rich_help_panel=LOADING)
def watch(
    paths: PathsArg,
    every: Annotated[str, typer.Option("--every", help="Time between runs: 30s, 5m, 1h.")] = "5m",
    prune: Annotated[bool, typer.Option("--prune", help="Remove what deleted files had loaded.")] = False,
    max_runs: Annotated[int, typer.Option("--max-runs", help="Stop after this many runs (0: never).")] = 0,
) -> None:
    """Run the incremental ingest in a loop, unattended (cron-free scheduling).

    Logs one line per run; backs off while the store is unreachable; stops
    cleanly on SIGTERM or SIGINT.

    Example: agkg --log-format json watch /data --every 5m --prune
    """
    from agkg.cli.watch import parse_interval, watch_loop

    try:
        interval = parse_interval(every)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--every") from None
    raise typer.Exit(watch_loop(state.store, paths, interval, prune=prune, max_runs=max_runs))


# The global options that take a value (the word after one is its value, not a command); a test keeps this
# equal to the callback's options.
VALUED_OPTIONS = ("--store", "--log-format", "--width")


def invoked_command(argv: Sequence[str]) -> str | None:
    """The command `argv` runs, when only global options come before it; None when it asks for the group's
    help or version, or names no command."""
    value_next = False
    for position, arg in enumerate(argv):
        if value_next:
            value_next = False
        elif arg == "--":  # the end of the options: the next word is the command
            return argv[position + 1] if position + 1 < len(argv) else None
        elif arg in ("-h", "--help", "--version"):
            return None
        elif arg in VALUED_OPTIONS:
            value_next = True
        elif not arg.startswith("-"):
            return arg
    return None


def _command_name(info: Any) -> str:
    return str(info.name or info.callback.__name__.lower().replace("_", "-"))


def _placeholder() -> None:
    raise RuntimeError("a command listed only for the group's help was run")


def _listed_only(info: Any) -> Any:
    """The command as the group's help lists it (name, panel, first line of help), without its parameters."""
    import copy
    import inspect

    listed = copy.copy(info)
    listed.name = _command_name(info)
    listed.help = info.help if info.help is not None else inspect.getdoc(info.callback)
    listed.callback = _placeholder
    return listed


@contextmanager
def only_invoked(argv: Sequence[str]) -> Iterator[None]:
    """Typer turns every registered command into a click command, evaluating each one's annotations (~1 ms a
    command), before it runs one. While `argv` runs, register only the command it names; when it runs none
    (the group's help or version, or no command), the commands only as the help lists them. A name that is
    no command keeps them all (click suggests the closest)."""
    name = invoked_command(argv)
    registered = app.registered_commands
    wanted = [info for info in registered if _command_name(info) == name]
    if wanted:
        app.registered_commands = wanted
    elif name is None:
        app.registered_commands = [_listed_only(info) for info in registered]
    try:
        yield
    finally:
        app.registered_commands = registered


def main() -> None:
    """The one place where errors become messages and exit codes (README: Exit codes)."""
    import os

    from agkg.cli.exit_codes import INTERNAL, exit_code

    try:
        with only_invoked(sys.argv[1:]):
            app()
    except AgkgError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(exit_code(exc))
    except Exception as exc:
        if os.environ.get("AGKG_DEBUG"):
            raise
        detail = " ".join(str(exc).split()) or "no message"
        typer.echo(
            f"error: internal error: {type(exc).__name__}: {detail} (run with AGKG_DEBUG=1 for the traceback)",
            err=True,
        )
        sys.exit(INTERNAL)


if __name__ == "__main__":
    main()

from agkg.cli import lookups as _lookups  # noqa: E402,F401  (registers commands)
