"""The exit code of each library error: the CLI's contract (README: Exit codes), kept out of the library."""

from __future__ import annotations

from agkg.errors import AgkgError, InputError, LockHeld, NotFound, QueryError, StoreUnavailable, UsageError

OK = 0
INVALID = 1  # invalid input, an unknown name, a refused query
USAGE = 2
STORE_UNAVAILABLE = 3
LOCK_HELD = 4
INTERNAL = 70  # an unexpected error: a bug (EX_SOFTWARE of sysexits.h)
INTERRUPTED = 130

_CODES: dict[type[AgkgError], int] = {
    InputError: INVALID,
    NotFound: INVALID,
    QueryError: INVALID,
    UsageError: USAGE,
    StoreUnavailable: STORE_UNAVAILABLE,
    LockHeld: LOCK_HELD,
}


def exit_code(error: AgkgError) -> int:
    return next((code for kind, code in _CODES.items() if isinstance(error, kind)), INVALID)
