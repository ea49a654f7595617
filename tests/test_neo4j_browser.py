"""Neo4j Browser, in headless Chromium, connects to the suite's Neo4j and shows the members of the PMU.

tools/browsercheck/browser.mjs opens the Browser the server serves at /browser/, connects over Bolt, runs
the `// :param` example lines of queries/members.cypher, pastes the file and checks that the table shows
the PMU's factions in data/, then saves a screenshot. It needs Debian's chromium and the pinned
playwright-core (no downloaded browser); without them this test fails and says what to run.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from agkg.graph.neo4j_store import Neo4jStore
from agkg.loaders.ingest import ingest

pytestmark = pytest.mark.neo4j

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
CHECK = REPO / "tools" / "browsercheck"
SCRIPT = CHECK / "browser.mjs"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
MEMBERS = ["Kataib Hezbollah", "Asaib Ahl al-Haq", "Harakat Hezbollah al-Nujaba"]


def missing_prerequisites() -> list[str]:
    missing = []
    if shutil.which("node") is None:
        missing.append("node is not installed (Debian: apt-get install -y nodejs npm)")
    if not CHROMIUM.exists():
        missing.append(f"no Chromium at {CHROMIUM}: run `apt-get install -y chromium` (as root)")
    if not (CHECK / "node_modules" / "playwright-core" / "package.json").exists():
        missing.append("playwright-core is not installed: run `npm ci --prefix tools/browsercheck`")
    return missing


@pytest.fixture(scope="module")
def seeded_env(neo4j_env: dict[str, str], neo4j_http_uri: str) -> Iterator[dict[str, str]]:
    """The environment of browser.mjs: the suite's Neo4j (Bolt and HTTP), its database loaded with data/."""
    store = Neo4jStore.connect(neo4j_env["NEO4J_URI"], neo4j_env.get("NEO4J_USERNAME"), neo4j_env["NEO4J_PASSWORD"])
    store.drop()
    summary = ingest(store, [DATA])
    assert summary.failed == 0, summary.problems
    yield {**os.environ, **neo4j_env, "NEO4J_HTTP_URI": neo4j_http_uri, "CHROMIUM": str(CHROMIUM)}
    store.drop()
    store.close()


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR", f"{path} is not a PNG"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def test_neo4j_browser_shows_the_members_of_the_pmu(seeded_env: dict[str, str], tmp_path: Path) -> None:
    missing = missing_prerequisites()
    if missing:
        pytest.fail("the Neo4j Browser check cannot run: " + "; ".join(missing), pytrace=False)
    shot = tmp_path / "members.png"
    command = ["node", str(SCRIPT), str(shot), "--query", str(REPO / "queries" / "members.cypher")]
    for name in MEMBERS:
        command += ["--expect", name]
    done = subprocess.run(command, env=seeded_env, capture_output=True, text=True, timeout=240, check=False)
    report = f"exit {done.returncode}\nstdout:\n{done.stdout}\nstderr:\n{done.stderr}"
    assert done.returncode == 0, report
    assert "shows Kataib Hezbollah" in done.stdout, report
    assert shot.exists(), report
    assert png_size(shot) == (1400, 900)
    assert shot.stat().st_size > 30_000, "the screenshot is almost empty"
