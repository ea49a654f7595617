"""requirements.lock matches pyproject.toml (tools/check_lock.py, which `make lint` runs too)."""

from __future__ import annotations

import tomllib

from tests.conftest import REPO
from tools.check_lock import mismatches

LOCK = """\
pydantic==2.14.4 \\
    --hash=sha256:aaaa
    # via agkg (pyproject.toml)
typer==0.30.0 \\
    --hash=sha256:bbbb
neo4j==6.4.1
"""
PYPROJECT = {
    "project": {
        "dependencies": ["pydantic>=2.6,<3", "typer>=0.15,<0.29", "neo4j>=5.20", "rapidfuzz>=3.0"],
        "optional-dependencies": {"dev": []},
    }
}


def test_the_repository_lock_matches_pyproject() -> None:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
    assert mismatches(pyproject, (REPO / "requirements.lock").read_text("utf-8")) == []


def test_a_lock_that_drifted_from_pyproject_is_reported() -> None:
    assert mismatches(PYPROJECT, LOCK) == [
        "typer: locked 0.30.0, pyproject.toml wants <0.29,>=0.15",
        "neo4j: locked without a hash",
        "rapidfuzz: in pyproject.toml, not in requirements.lock",
    ]
