"""Finding fact files under the paths a user gives."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from agkg.errors import Problem, UsageError


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
    found: list[tuple[Path, str]] = []
    problems: list[Problem] = []
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    child = Path(root) / name
                    if is_fact_file(child):
                        _add(found, seen, child)
        elif path.is_file():
            _add(found, seen, path)
        else:
            problems.append(Problem(str(given), 0, 0, "no such file or directory"))
    return found, problems


def _add(found: list[tuple[Path, str]], seen: set[Path], path: Path) -> None:
    real = path.resolve()
    if real not in seen:
        seen.add(real)
        found.append((path, str(path)))
