"""One exception root, with typed subclasses (the CLI maps each to an exit code: agkg.cli.exit_codes)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file, at a 1-based line and column."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


class AgkgError(Exception):
    """Root of every error agkg raises on purpose."""


class InputError(AgkgError):
    """Input files are invalid; each problem has a location."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class UsageError(AgkgError):
    """The command line asks for something that cannot be done."""


class NotFound(AgkgError):
    """A name given on the command line resolves to no entity (or to several)."""


class StoreUnavailable(AgkgError):
    """The graph store cannot be reached, started or authenticated against."""


class LockHeld(AgkgError):
    """Another ingest holds the store's ingest lock."""


class QueryError(AgkgError):
    """The database refused a query (syntax, or a write in read-only mode)."""
