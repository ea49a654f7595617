"""Start and stop the Neo4j 5.26 Community server built from Maven Central (tools/neo4j-server).

Used by the test suite (tests/conftest.py), the benchmarks and `make neo4j`. The server
is a child process on 127.0.0.1 that lives until its standard input closes: if this
process dies, however it dies, the pipe closes and the server stops itself.

    python tools/neo4j_server.py            # run in the foreground; Ctrl-C stops it
    python tools/neo4j_server.py -- CMD...  # run CMD with NEO4J_URI/NEO4J_PASSWORD set, then stop
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE / "neo4j-server"
TARGET = PROJECT / "target"
JAR = TARGET / "agkg-neo4j-server-1.jar"
CLASSPATH = TARGET / "classpath.txt"
DATA_ROOT = HERE.parent / "build" / "neo4j"
PASSWORD = "agkg-test-password"
# The JVM stays modest: the suite shares 2 cores and the RAM with FalkorDB and pytest. A larger graph (the
# million-fact bench) asks for more: AGKG_NEO4J_HEAP (e.g. 4g) and AGKG_NEO4J_PAGECACHE (MiB).
HEAP = "1g"
PAGECACHE_MIB = 256


def jvm_options(heap: str | None = None, pagecache_mib: int | None = None) -> list[str]:
    heap = heap or os.environ.get("AGKG_NEO4J_HEAP") or HEAP
    pagecache = pagecache_mib or int(os.environ.get("AGKG_NEO4J_PAGECACHE") or PAGECACHE_MIB)
    return [
        "-Xms256m",
        f"-Xmx{heap}",
        f"-Dagkg.pagecache.mib={pagecache}",
        "-XX:+UseParallelGC",
        "-XX:ActiveProcessorCount=2",
    ]


JVM_OPTIONS = jvm_options()
START_TIMEOUT = 120.0


class ServerError(RuntimeError):
    """The test server is not built or did not start."""


def missing_tools() -> list[str]:
    return [tool for tool in ("java", "mvn") if shutil.which(tool) is None]


def built() -> bool:
    return JAR.exists() and CLASSPATH.exists()


@dataclass
class Neo4jServer:
    """A running server: `bolt_uri`, `http_uri`, `password`; `stop()` ends it."""

    process: subprocess.Popen[str]
    bolt_uri: str
    http_uri: str
    password: str
    data_dir: Path

    @classmethod
    def start(
        cls,
        password: str = PASSWORD,
        bolt_port: int = 0,
        http_port: int = 0,
        jvm: list[str] | None = None,
    ) -> Neo4jServer:
        if not built():
            hint = f"install {' and '.join(missing_tools())}, then " if missing_tools() else ""
            raise ServerError(f"the Neo4j test server is not built: {hint}run `make neo4j-server`")
        DATA_ROOT.mkdir(parents=True, exist_ok=True)
        data_dir = Path(tempfile.mkdtemp(prefix="run-", dir=DATA_ROOT))
        classpath = f"{JAR}{os.pathsep}{CLASSPATH.read_text('utf-8').strip()}"
        command = ["java", *(jvm or jvm_options()), "-cp", classpath, "agkg.Neo4jServer", str(data_dir), password]
        command += [str(bolt_port), str(http_port)]
        log = (data_dir / "server.log").open("w", encoding="utf-8")
        process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True, cwd=data_dir
        )
        lines: list[str] = []

        def read_until_ready() -> None:
            assert process.stdout is not None
            for line in process.stdout:
                lines.append(line.strip())
                if line.strip() == "ready":
                    return

        reader = threading.Thread(target=read_until_ready, daemon=True)
        reader.start()
        reader.join(START_TIMEOUT)
        if not lines or lines[-1] != "ready":
            process.kill()
            process.wait()
            tail = (data_dir / "server.log").read_text("utf-8", errors="replace")[-2000:]
            raise ServerError(f"Neo4j did not start within {START_TIMEOUT:.0f} s; its log ends:\n{tail}")
        bolt = next(line for line in lines if line.startswith("bolt://"))
        http = next(line for line in lines if line.startswith("http://"))
        return cls(process, bolt, http, password, data_dir)

    def env(self) -> dict[str, str]:
        return {"NEO4J_URI": self.bolt_uri, "NEO4J_USERNAME": "neo4j", "NEO4J_PASSWORD": self.password}

    def stop(self, timeout: float = 60.0) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()  # the server's signal to shut down cleanly
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self) -> Neo4jServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def main(argv: list[str]) -> int:
    command = argv[argv.index("--") + 1 :] if "--" in argv else []
    try:
        server = Neo4jServer.start()
    except ServerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    with server:
        print(f"Neo4j 5.26 Community: {server.bolt_uri} (user neo4j, password {server.password})", file=sys.stderr)
        print(f"Neo4j Browser: {server.http_uri}/browser/", file=sys.stderr)
        if command:
            return subprocess.call(command, env={**os.environ, **server.env()})
        print("Ctrl-C stops it.", file=sys.stderr)
        with contextlib.suppress(KeyboardInterrupt):
            server.process.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
