"""Benchmarks cannot rot: CI (.ci/run) runs every script under bench/ at a tiny size.

A script counts as run when .ci/run runs it (`-m bench.NAME`), or when a script that is run
starts or imports it (bench.load starts bench.fake_telegram and bench.echo_bot, imports
bench.processes). A new benchmark fails this test until it is added to .ci/run.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"


def _used_by(text: str) -> set[str]:
    """The bench modules a text starts (`-m bench.x`, `"bench.x"`) or imports (`from bench.x`)."""
    return set(re.findall(r"\bbench\.([a-z_]+)\b", text))


def test_ci_runs_every_benchmark() -> None:
    scripts = {path.stem for path in BENCH.glob("*.py") if path.stem != "__init__"}
    ci = (ROOT / ".ci" / "run").read_text()
    run = {line.split("-m bench.")[1].split()[0] for line in ci.splitlines()
           if "-m bench." in line and not line.lstrip().startswith("#")}
    assert run, ".ci/run runs no benchmark"
    reached, frontier = set(run), list(run)
    while frontier:
        for used in _used_by((BENCH / f"{frontier.pop()}.py").read_text()) & scripts - reached:
            reached.add(used)
            frontier.append(used)
    assert scripts - reached == set(), f"bench/ scripts CI never runs: {sorted(scripts - reached)}"
