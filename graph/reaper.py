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

from agkg.graph.embedded import EmbeddedServer, is_redis, read_pid


def main(argv: list[str]) -> int:
    directory, linger = Path(argv[0]), float(argv[1])
    pid = int(argv[2]) if len(argv) > 2 and argv[2].isdigit() else None
    time.sleep(linger)
    server = EmbeddedServer(directory)
    if pid and read_pid(server.pidfile) != pid:
        # The store was deleted under the lingering server, and perhaps made anew with a server of its own:
        # this one's socket file is gone, so it is ended by pid (if the pid still names a server of this path).
        if is_redis(pid, server.socket):
            os.kill(pid, signal.SIGTERM)
        return 0
    if directory.exists():
        server.stop_if_idle(compact=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
