"""Start-up (issue 11): each command imports only what it needs. Deterministic, not timed (bench/startup.py
times it): the modules a command loads are read from `sys.modules` after it ran."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import typer
from typer.main import get_command
from typer.testing import CliRunner

from agkg.cli.main import VALUED_OPTIONS, app, invoked_command, only_invoked
from agkg.graph.embedded import EmbeddedServer
from tests.conftest import DATA

AGKG = str(Path(sys.executable).parent / "agkg")

# Drivers, parsers, models and the loader: none of them is needed to print help or to look an entity up.
NOT_FOR_ANY = (
    "pydantic",
    "neo4j",
    "falkordb",
    "redis",
    "asyncio",
    "ruamel",
    "rapidfuzz",
    "agkg.loaders.ingest",
    "agkg.loaders.model",
    "agkg.loaders.validate",
    "agkg.loaders.parse",
    "agkg.graph.neo4j_store",
    "agkg.graph.cypher",
)
# Help needs no store, no query and no row either.
NOT_FOR_HELP = (*NOT_FOR_ANY, "agkg.api", "agkg.graph", "agkg.queries", "agkg.rows", "agkg.lookups", "socket")

# `agkg ARGS` in a new interpreter through MODULE's main, then its exit code and the modules it loaded.
SCRIPT = """\
import sys
sys.argv = ['agkg', *sys.argv[1:]]
from {module} import main
try:
    main()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
sys.stdout.flush()
print('\\n@@', code, sorted(sys.modules))
"""


def run_agkg(module: str, args: list[str], env: dict[str, str]) -> tuple[int, str, str, set[str]]:
    """`agkg ARGS` through `module`'s main: exit code, stdout, stderr, modules loaded."""
    script = SCRIPT.format(module=module)
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    out, _, tail = done.stdout.rpartition("\n@@ ")
    code, _, modules = tail.strip().partition(" ")
    return int(code), out, done.stderr, set(eval(modules))  # the repr of a list of str


def imported(args: list[str], env: dict[str, str]) -> tuple[int, set[str]]:
    """The exit code of `agkg ARGS` (the command line itself, no help cache) and the modules it loaded."""
    code, _, _, modules = run_agkg("agkg.cli.main", args, env)
    return code, modules


def loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in names))


def test_help_imports_no_store_driver_parser_or_model() -> None:
    env = dict(os.environ)
    for args in (["--help"], ["members", "--help"], ["profile", "--help"], ["ingest", "--help"]):
        code, modules = imported(args, env)
        assert code == 0, args
        assert loaded(modules, NOT_FOR_HELP) == [], args


def test_profile_imports_neither_redis_nor_pydantic_nor_yaml(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("AGKG_STORE", "NEO4J_URI")}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    # As an analyst runs it: the server outlives each command (the suite's default of 0 has the last client
    # stop it in-process, through redis-py); stopped at the end of the test.
    env["AGKG_EMBEDDED_LINGER"] = "300"
    store = tmp_path / "store"
    try:
        profile_imports(store, env, tmp_path / "cache" / "agkg")
    finally:
        EmbeddedServer(store).stop_if_idle(compact=False)


def profile_imports(store: Path, env: dict[str, str], cache: Path) -> None:
    done = subprocess.run([AGKG, "--store", str(store), "ingest", str(DATA)], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    args = ["--store", str(store), "profile", "Kataib Hezbollah"]
    code, modules = imported(args, env)
    assert code == 0
    assert loaded(modules, NOT_FOR_ANY) == []
    assert {"agkg.graph.resp", "agkg.rows"} <= modules  # the test would pass vacuously if profile ran nothing
    # The parsed schema.yaml is kept as JSON in the user's cache (the ingest wrote it); without it, the
    # command parses the YAML (ruamel) and writes it again.
    (cached,) = cache.glob("schema-*.json")
    cached.unlink()
    code, modules = imported(args, env)
    assert code == 0
    assert loaded(modules, ("ruamel",)) != []
    assert cached.exists()


# What reads a file: a run that finds every file unchanged (the common unattended run) loads none of it.
NOT_FOR_AN_UNCHANGED_RUN = (
    "pydantic",
    "ruamel",
    "yaml_rs",
    "agkg.loaders.model",
    "agkg.loaders.validate",
    "agkg.loaders.parse",
    "agkg.loaders.readers",
    "agkg.loaders.checked",
)


def test_an_ingest_that_finds_nothing_changed_loads_no_reader_or_model(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("AGKG_STORE", "NEO4J_URI")}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    env["AGKG_EMBEDDED_LINGER"] = "300"
    store = tmp_path / "store"
    args = ["--store", str(store), "ingest", str(DATA)]
    try:
        first = subprocess.run([AGKG, *args], capture_output=True, text=True, env=env)
        assert first.returncode == 0, first.stderr
        code, out, _, modules = run_agkg("agkg.cli.main", args, env)
    finally:
        EmbeddedServer(store).stop_if_idle(compact=False)
    assert code == 0
    assert "loaded 0 of" in out and "unchanged" in out
    assert loaded(modules, NOT_FOR_AN_UNCHANGED_RUN) == []
    assert "agkg.loaders.changes" in modules  # the test would pass vacuously if the run read nothing


def test_typer_builds_only_the_command_asked_for() -> None:
    full: Any = get_command(app)
    for name, command in full.commands.items():
        with only_invoked(["--store", "somewhere", "--no-wrap", name, "x"]):
            alone: Any = get_command(app)
        assert list(alone.commands) == [name]
        built = alone.commands[name]
        assert [p.opts for p in built.params] == [p.opts for p in command.params], name
        assert built.help == command.help, name
    # A name that is no command keeps every command (click suggests the closest).
    with only_invoked(["profle", "x"]):
        kept: Any = get_command(app)
    assert [len(c.params) for c in kept.commands.values()] == [len(c.params) for c in full.commands.values()]


def test_the_group_help_lists_every_command_as_before() -> None:
    # No command runs: the commands are listed by name, panel and help, without building their parameters.
    full: Any = get_command(app)
    for argv in (["--help"], ["--store", "x", "-h", "profile"], [], ["--version"]):
        with only_invoked(argv):
            listed: Any = get_command(app)
        assert list(listed.commands) == list(full.commands), argv
        for name, command in listed.commands.items():
            assert command.params == [], name
            before = full.commands[name]
            assert (command.help, command.rich_help_panel, command.hidden) == (
                before.help,
                before.rich_help_panel,
                before.hidden,
            )
    runner = CliRunner()
    with only_invoked(["--help"]):
        help_text = runner.invoke(app, ["--help"], terminal_width=120).output
    assert help_text == runner.invoke(app, ["--help"], terminal_width=120).output
    assert "Lookups:" in help_text and "  profile " in help_text


def test_the_global_options_that_take_a_value_are_known() -> None:
    group = get_command(app)
    valued = {opt for p in group.params if isinstance(p, typer.core.TyperOption) and not p.is_flag for opt in p.opts}
    assert valued == set(VALUED_OPTIONS)
    assert invoked_command(["--store", "profile", "members", "x"]) == "members"  # `profile` is the store here
    assert invoked_command(["--store=here", "--no-wrap", "where", "KH"]) == "where"
    assert invoked_command(["--log-format", "json", "--width", "80", "path", "a", "b"]) == "path"
    assert invoked_command(["-h", "profile"]) is None
    assert invoked_command(["--store", "-h", "profile"]) == "profile"  # `-h` is the store here
    assert invoked_command(["--no-wrap", "--", "members", "PMU"]) == "members"
    assert invoked_command(["--store", "x"]) is None


def entry(args: list[str], env: dict[str, str]) -> tuple[int, str, str, set[str]]:
    """`agkg ARGS` through the installed script's entry point: exit code, stdout, stderr, modules loaded."""
    return run_agkg("agkg.cli.entry", args, env)


def test_the_top_level_help_is_printed_from_the_cache_without_typer(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path), "COLUMNS": "100"}
    typer_text = subprocess.run([AGKG, "--help"], capture_output=True, text=True, env={**env, "AGKG_HELP_CACHE": "0"})
    first = entry(["--help"], env)
    assert first[:3] == (0, typer_text.stdout, "") and "typer" in first[3]
    (cached,) = (tmp_path / "agkg").glob("help-*.txt")
    for args in (["--help"], ["-h"]):
        code, out, err, modules = entry(args, env)
        assert (code, out, err) == (0, typer_text.stdout, "")
        assert loaded(modules, ("typer", "typing", *NOT_FOR_HELP)) == []
    # No arguments: the same help on stderr, exit code 2, as click does.
    code, out, err, modules = entry([], env)
    assert (code, out, err) == (2, "", typer_text.stdout) and "typer" not in modules
    # Another width is another text, rendered by typer and cached beside the first.
    code, out, _, modules = entry(["--help"], {**env, "COLUMNS": "60"})
    assert code == 0 and out != typer_text.stdout and "typer" in modules
    assert max(len(line) for line in out.splitlines()) <= 60
    assert len(list((tmp_path / "agkg").glob("help-*.txt"))) == 2 and cached.exists()


def test_any_other_command_runs_typer_as_before(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    code, out, _, modules = entry(["--version"], env)
    assert (code, out.strip()) == (0, "agkg 0.1.0") and "typer" in modules
    code, _, err, _ = entry(["profle", "x"], env)
    assert code == 2 and "No such command 'profle'" in err
    assert not (tmp_path / "agkg").exists()
