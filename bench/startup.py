"""Start-up benchmark: the wall time of `agkg --help` and `agkg profile` next to `python -c pass`.

One run on the seed data (`data/`, loaded into a fresh embedded store first), each command a new process as
an analyst runs it, timed from spawn to exit:

  python -c pass   the interpreter alone: the floor every figure is divided by
  --help           `agkg --help`                                                target <= 100 ms
  profile, warm    `agkg profile "Kataib Hezbollah"`, the embedded server already running (as between the
                   calls of a session: AGKG_EMBEDDED_LINGER keeps it up)      target <= 150 ms
  profile, cold    the same with the server stopped first (its start and load included)

The three warm figures are taken in turns (pass, --help, profile, pass, ...) so that a change of load on the
machine touches all of them alike; each is the median of --runs. Beside the wall time, the CPU time (user +
system) of the process: on a machine shared with other work it is the better guide to the wall time the
command takes when the machine is quiet (the server's own time is not in it: under a millisecond here).
The children run with bytecode caches, as an installed agkg does (PYTHONDONTWRITEBYTECODE is removed from
their environment; an untimed first call writes the caches).

    python bench/startup.py
    python bench/startup.py --runs 11 --cold-runs 3 --imports
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from agkg.graph.embedded import EmbeddedServer

REPO = Path(__file__).resolve().parent.parent
AGKG = str(Path(sys.executable).parent / "agkg")
NAME = "Kataib Hezbollah"
TARGET_HELP_MS = 100.0
TARGET_WARM_PROFILE_MS = 150.0
LINGER_SECONDS = "300"  # the default: the server outlives each call, as in an analyst's session


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("AGKG_STORE", "NEO4J_URI", "PYTHONDONTWRITEBYTECODE")}
    env["AGKG_EMBEDDED_LINGER"] = LINGER_SECONDS
    return env


def timed(argv: Sequence[str], env: dict[str, str]) -> tuple[float, float]:
    """Milliseconds from spawn to exit, and the CPU milliseconds (user + system) the process used; a failing
    command stops the bench."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    elapsed = 1000 * (time.perf_counter() - start)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited with {done.returncode}: {done.stderr.strip()}")
    cpu = 1000 * (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return elapsed, cpu


def stop_server(store: Path) -> None:
    """Stop the embedded server (nobody else uses this store) and wait until it is gone."""
    server = EmbeddedServer(store)
    for _ in range(500):
        if server.stop_if_idle(compact=False) and not server.socket.exists():
            return
        time.sleep(0.02)
    raise SystemExit(f"the embedded server of {store} did not stop")


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def import_summary(argv: Sequence[str], env: dict[str, str], top: int = 12) -> list[str]:
    """The modules `argv` spends most import time in (python -X importtime, cumulative, outermost first)."""
    script = (
        "import sys; from agkg.cli.main import main; sys.argv = ['agkg', *sys.argv[1:]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
    )
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", script, *argv], env=env, capture_output=True, text=True, check=False
    )
    rows: list[tuple[int, str]] = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = line.removeprefix("import time:").split("|")
        if not name.startswith("  "):  # an outermost import: nested ones are indented further
            rows.append((int(cumulative), name.strip()))
    total = sum(us for us, _ in rows)
    shown = [f"  {us / 1000:6.1f} ms  {name}" for us, name in sorted(rows, reverse=True)[:top]]
    return [f"  {total / 1000:6.1f} ms  all imports", *shown]


def medians(taken: list[tuple[float, float]]) -> tuple[float, float]:
    """The median wall time and the median CPU time of the runs."""
    return statistics.median(w for w, _ in taken), statistics.median(c for _, c in taken)


def verdict(value: float, target: float) -> str:
    return "met" if value <= target else "**not met**"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=21, help="Timed runs of each warm figure (median).")
    parser.add_argument("--cold-runs", type=int, default=5, help="Timed runs of the cold profile (median).")
    parser.add_argument("--imports", action="store_true", help="Also show where the warm profile's imports go.")
    parser.add_argument("--agkg", default=AGKG, help="The agkg to time (default: this virtualenv's).")
    args = parser.parse_args(argv)

    env = child_env()
    python = str(Path(args.agkg).parent / "python")  # the interpreter of the agkg timed
    root = Path(tempfile.mkdtemp(prefix="agkg-startup-"))
    store = root / "store"
    agkg = [args.agkg, "--store", str(store)]
    print(f"start-up bench: {args.runs} runs warm, {args.cold_runs} cold; load average at start {load()}")
    try:
        timed([*agkg, "ingest", str(REPO / "data")], env)
        commands: dict[str, Callable[[], tuple[float, float]]] = {
            "python -c pass": lambda: timed([python, "-c", "pass"], env),
            "agkg --help": lambda: timed([args.agkg, "--help"], env),
            "agkg profile, warm": lambda: timed([*agkg, "profile", NAME], env),
        }
        for run in commands.values():  # untimed: bytecode caches, and the server up and its graph loaded
            run()
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, run in commands.items():
                samples[name].append(run())
        cold: list[tuple[float, float]] = []
        for _ in range(args.cold_runs):
            stop_server(store)
            cold.append(timed([*agkg, "profile", NAME], env))
        imports = import_summary(["--store", str(store), "profile", NAME], env) if args.imports else []
        stop_server(store)
    finally:
        shutil.rmtree(root, ignore_errors=True)

    wall_floor, cpu_floor = medians(samples["python -c pass"])
    rows = [
        ("python -c pass", samples["python -c pass"], None),
        ("agkg --help", samples["agkg --help"], TARGET_HELP_MS),
        (f'agkg profile "{NAME}", warm', samples["agkg profile, warm"], TARGET_WARM_PROFILE_MS),
        (f'agkg profile "{NAME}", cold', cold, None),
    ]
    print(f"load average at end {load()}\n")
    print("| command | wall median ms | ÷ python -c pass | CPU median ms | ÷ python -c pass | target (wall) |")
    print("|---|---|---|---|---|---|")
    for label, taken, target in rows:
        wall, cpu = medians(taken)
        goal = f"≤ {target:.0f} ms — {verdict(wall, target)}" if target is not None else ""
        print(f"| {label} | {wall:.0f} | {wall / wall_floor:.1f} | {cpu:.0f} | {cpu / cpu_floor:.1f} | {goal} |")
    if imports:
        print("\nimports of the warm profile (python -X importtime, cumulative):")
        print("\n".join(imports))
    return 0


if __name__ == "__main__":
    sys.exit(main())
