"""Stops a lingering embedded server once it has been idle: `python -m agkg.graph.reaper DIR SECONDS`.

Started detached by the last client out when AGKG_EMBEDDED_LINGER is set. If a
client has come back meanwhile, it does nothing: that client starts its own
reaper when it leaves.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

from agkg.graph.embedded import EmbeddedServer, is_redis


def main(argv: list[str]) -> int:
    directory, linger = Path(argv[0]), float(argv[1])
    pid = int(argv[2]) if len(argv) > 2 and argv[2].isdigit() else None
    time.sleep(linger)
    if not directory.exists():
        # The store was deleted under a lingering server: no socket to ask, so end it by pid.
        if pid and is_redis(pid):
            os.kill(pid, signal.SIGTERM)
        return 0
    EmbeddedServer(directory).stop_if_idle(compact=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
