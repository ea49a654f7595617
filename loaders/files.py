"""Finding fact files under the paths a user gives."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NamedTuple

from agkg.errors import Problem, UsageError


class FoundFile(NamedTuple):
    shown: str  # the path as found under the path given: the name shown in messages
    real: str  # the resolved path, symbolic links followed: what a loaded document records

    @property
    def path(self) -> Path:
        return Path(self.shown)


def check_paths(paths: Iterable[str | Path]) -> None:
    """A path that does not exist or cannot be read is a usage error, found before any lock or ledger entry."""
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise UsageError(f"{given}: no such file or directory")
        if not os.access(path, os.R_OK | (os.X_OK if path.is_dir() else 0)):
            raise UsageError(f"{given}: permission denied: agkg cannot read it")


def is_fact_file(path: Path) -> bool:
    from agkg.loaders.readers import is_fact_file as check

    return check(path)


def collect(paths: Iterable[str | Path]) -> tuple[list[tuple[Path, str]], list[Problem]]:
    """(path, name shown in messages) for every fact file, directories read recursively in sorted order."""
    found, problems = find_files(paths)
    return [(f.path, f.shown) for f in found], problems


def find_files(paths: Iterable[str | Path]) -> tuple[list[FoundFile], list[Problem]]:
    """Every fact file under `paths` with its resolved path, directories read recursively in sorted order.

    A directory is resolved once and its files' paths are built from it; only a file that is itself a
    symbolic link is resolved on its own (resolving each file costs a system call per path component, which
    adds up over thousands of files). Directories reached through symbolic links are not entered, as
    `os.walk` does not.
    """
    found: list[FoundFile] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            _walk(str(path), os.path.realpath(path), found, seen, _fact_file_name())
        elif path.is_file():
            _add(found, seen, str(path), os.path.realpath(path))
        else:
            problems.append(Problem(str(given), 0, 0, "no such file or directory"))
    return found, problems


def _walk(directory: str, real: str, found: list[FoundFile], seen: set[str], wanted: Callable[[str], bool]) -> None:
    files: list[str] = []
    subdirs: list[str] = []
    links: set[str] = set()
    try:
        with os.scandir(directory) as scan:
            for entry in scan:  # the entry's type from the listing itself: no stat per entry
                name = entry.name
                try:
                    if entry.is_symlink():
                        if not entry.is_dir():  # a linked directory is not entered, as os.walk does not
                            files.append(name)
                            links.add(name)
                    elif entry.is_dir():
                        if not name.startswith("."):
                            subdirs.append(name)
                    else:
                        files.append(name)
                except OSError:
                    continue
    except OSError:
        return  # as os.walk: an unreadable directory is passed over
    files = sorted(filter(wanted, files))
    # Paths built by concatenation: os.path.join per file adds up over thousands of files.
    shown_prefix = _prefix(directory)
    real_prefix = _prefix(real)
    shown = [shown_prefix + name for name in files]
    reals = [real_prefix + name for name in files]
    if links:
        reals = [os.path.realpath(s) if n in links else r for n, s, r in zip(files, shown, reals, strict=True)]
    if links or not seen.isdisjoint(reals):
        for child, child_real in zip(shown, reals, strict=True):
            _add(found, seen, child, child_real)
    else:  # the common case, with no per-file step in Python
        seen.update(reals)
        found.extend(map(FoundFile._make, zip(shown, reals, strict=True)))
    for name in sorted(subdirs):
        _walk(shown_prefix + name, real_prefix + name, found, seen, wanted)


def _prefix(directory: str) -> str:
    """What joins `directory` and a name, as str(Path(directory) / name) does: `./x` is shown as `x`."""
    if directory == ".":
        return ""
    return directory if directory.endswith(os.sep) else directory + os.sep


def _fact_file_name() -> Callable[[str], bool]:
    """is_fact_file on a bare file name (no Path built for every file of a large directory)."""
    from agkg.loaders.formats import SIDECAR_SUFFIXES, SUFFIXES

    suffixes = tuple(SUFFIXES)

    def wanted(name: str) -> bool:
        lower = name.lower()
        return lower.endswith(suffixes) and not lower.endswith(SIDECAR_SUFFIXES) and not name.startswith(".")

    return wanted


def _add(found: list[FoundFile], seen: set[str], shown: str, real: str) -> None:
    if real not in seen:
        seen.add(real)
        found.append(FoundFile(shown, real))
