"""Check that requirements.lock matches pyproject.toml: every dependency (and dev extra) is pinned there,
with a version its specifier accepts and at least one hash. Offline and deterministic: it does not ask
the registry what the newest versions are (`make lock` does that, on purpose).

    python tools/check_lock.py   # exit 0, or 1 with one line per mismatch
"""

from __future__ import annotations

import re
import sys
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)")


def pins(lock_text: str) -> dict[str, tuple[str, bool]]:
    """name -> (version, has a hash) for every `name==version` entry of a uv/pip-compile lock file."""
    found: dict[str, tuple[str, bool]] = {}
    entries = re.split(r"\n(?=[A-Za-z0-9])", lock_text)
    for entry in entries:
        match = PIN.match(entry)
        if match:
            found[canonicalize_name(match[1])] = (match[2], "--hash=sha256:" in entry)
    return found


def mismatches(pyproject: Mapping[str, Any], lock_text: str) -> list[str]:
    project = pyproject["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    locked = pins(lock_text)
    problems = []
    for text in wanted:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        if name not in locked:
            problems.append(f"{requirement.name}: in pyproject.toml, not in requirements.lock")
            continue
        version, hashed = locked[name]
        if not requirement.specifier.contains(version, prereleases=True):
            problems.append(f"{requirement.name}: locked {version}, pyproject.toml wants {requirement.specifier}")
        if not hashed:
            problems.append(f"{requirement.name}: locked without a hash")
    return problems


def main() -> int:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    problems = mismatches(pyproject, (ROOT / "requirements.lock").read_text("utf-8"))
    for problem in problems:
        print(f"requirements.lock: {problem}; run `make lock`", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
