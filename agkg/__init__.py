"""agkg: a knowledge graph of armed groups and their affiliations.

The library's entry point is `Graph`:

    from agkg import Graph
    with Graph.open() as g:                  # None: the CLI's default store; or a directory or a URI
        g.ingest(["data/"])
        rows = g.members("PMU", as_of="2024-06")
"""

from __future__ import annotations

# Not `from typing import TYPE_CHECKING`: importing typing costs several ms of every command's start-up.
TYPE_CHECKING = False
__version__ = "0.1.0"
__all__ = ["Graph", "__version__"]

if TYPE_CHECKING:
    from typing import Any

    from agkg.api import Graph


def __getattr__(name: str) -> Any:
    # Lazily, so that `agkg --help` (which imports this package) does not load the store and its rows.
    if name == "Graph":
        from agkg.api import Graph

        return Graph
    raise AttributeError(f"module 'agkg' has no attribute {name!r}")
