"""The `agkg` script: the top-level help from this host's cache, else the command line as usual.

`agkg`, `agkg --help` and `agkg -h` print the same text every time for one version of the command line and
one terminal width, and importing typer to render it is most of their wall time (~60 of ~100 ms). So the
text typer printed the first time is kept under $XDG_CACHE_HOME/agkg (~/.cache/agkg), keyed by agkg's
version, the bytes of the command line's modules and the width; the next call prints it with nothing but
this module imported. Any other command, a miss, or a cache that cannot be read runs typer as usual.
AGKG_HELP_CACHE=0 turns the cache off.
"""

from __future__ import annotations

import os
import sys
import zlib

TYPE_CHECKING = False  # not from typing: importing it costs more than this whole fast path

if TYPE_CHECKING:
    from collections.abc import Callable

# Every module whose text can change the top-level help (formats.py: the file types the help names).
_SOURCES = ("__init__.py", "main.py", "lookups.py", "output.py", "exit_codes.py", "logs.py", "watch.py")
_HELP_ARGS: tuple[list[str], ...] = ([], ["--help"], ["-h"])


def _columns() -> int:
    """The width click wraps help to, as shutil.get_terminal_size() finds it (without importing shutil)."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns if columns > 0 else 80


def help_cache_file() -> str | None:
    """Where the top-level help of this agkg at this width is cached (None: the cache is off)."""
    if os.environ.get("AGKG_HELP_CACHE", "1") == "0":
        return None
    from agkg import __version__

    here = os.path.dirname(os.path.abspath(__file__))
    paths = [os.path.join(here, name) for name in _SOURCES]
    paths.append(os.path.join(os.path.dirname(here), "loaders", "formats.py"))
    # CRC-32 and the total length, not hashlib: importing hashlib (OpenSSL) costs more than the whole read.
    key, length = zlib.crc32(f"{__version__}\0{_columns()}".encode()), 0
    try:
        for path in paths:
            with open(path, "rb") as source:
                text = source.read()
            key, length = zlib.crc32(text, key), length + len(text)
    except OSError:
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "agkg", f"help-{key:08x}-{length}.txt")


def main() -> None:
    argv = sys.argv[1:]
    # Only as the installed script: click names the program after it in the usage line.
    cache = help_cache_file() if argv in _HELP_ARGS and os.path.basename(sys.argv[0]) == "agkg" else None
    # No arguments: click prints the help on stderr and exits 2; --help: on stdout, exit 0.
    stream, code = (sys.stdout, 0) if argv else (sys.stderr, 2)
    if cache is not None:
        try:
            with open(cache, encoding="utf-8") as cached:
                text = cached.read()
        except OSError:
            pass
        else:
            stream.write(text)
            stream.flush()
            sys.exit(code)
    from agkg.cli.main import main as run

    if cache is None:
        run()
        return
    _run_and_keep(run, cache, code)


def _run_and_keep(run: Callable[[], None], cache: str, code: int) -> None:
    """Run the command line, printing what it prints, and keep the help it printed if it exited as help does."""
    import contextlib
    import io
    import tempfile

    captured = io.StringIO()
    redirect = contextlib.redirect_stdout if code == 0 else contextlib.redirect_stderr
    exit_code: str | int | None = 0
    try:
        with redirect(captured):
            run()
    except SystemExit as exc:
        exit_code = exc.code if exc.code is not None else 0
    text = captured.getvalue()
    stream = sys.stdout if code == 0 else sys.stderr
    stream.write(text)
    stream.flush()
    if exit_code == code and text:
        with contextlib.suppress(OSError):
            os.makedirs(os.path.dirname(cache), exist_ok=True)
            # Written aside and renamed: another agkg reading it sees the whole text or none.
            fd, tmp = tempfile.mkstemp(dir=os.path.dirname(cache), prefix=".help-")
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(tmp, cache)
    sys.exit(exit_code)
