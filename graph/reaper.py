"""Stops a lingering embedded server once it has been idle: `python -m agkg.graph.reaper DIR SECONDS`.

Started detached by the last client out when AGKG_EMBEDDED_LINGER is set. If a
client has come back meanwhile, it does nothing: that client starts its own
reaper when it leaves.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from agkg.graph.embedded import EmbeddedServer


def main(argv: list[str]) -> int:
    directory, linger = Path(argv[0]), float(argv[1])
    time.sleep(linger)
    EmbeddedServer(directory).stop_if_idle(compact=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
