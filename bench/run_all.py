"""Every benchmark in one run, then each performance target and whether it holds.

Runs `startup.py`, `seed_users.py`, `durable_writes.py` and `http_compare.py` (ours beside
the peer `scim2-server` and the Flask ceiling) one after the other, each in its own process,
keeps their final JSON lines, prints the targets table and a final JSON line with everything.
`--out FILE` also writes that JSON to a file.

    python bench/run_all.py [--quick] [--out bench/results.json]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import harness
from http_load import MATCH_ATTRIBUTES

BENCH = Path(__file__).resolve().parent
WORK_EMAIL = 'emails[type eq "work"].value'


def run(script: str, *args: str) -> dict[str, Any]:
    """Run one benchmark script, echo its output, and return its final JSON line."""
    print(f"\n$ python bench/{script} {' '.join(args)}".rstrip(), flush=True)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, str(BENCH / script), *args], capture_output=True,
                          text=True, cwd=BENCH.parent)
    lines = done.stdout.strip().splitlines()
    for line in lines[:-1]:
        print(line)
    if done.returncode != 0 or not lines:
        print(done.stderr.strip()[-2000:])
        raise SystemExit(f"bench/{script} failed")
    print(f"({time.perf_counter() - started:.0f} s)", flush=True)
    return json.loads(lines[-1])


def get(node: Any, *keys: Any) -> Any:
    for key in keys:
        if not isinstance(node, dict):
            return None
        node = node.get(str(key))  # JSON keys are strings
    return node


def targets(figures: dict[str, Any]) -> list[tuple[str, str, str, bool | None]]:
    """(target, wanted, measured, held) for each target of the issue list."""
    rows: list[tuple[str, str, str, bool | None]] = []

    def add(name: str, wanted: str, value: float | None, limit: float, at_least: bool,
            unit: str = "") -> None:
        if value is None:
            rows.append((name, wanted, "not measured", None))
            return
        held = value >= limit if at_least else value <= limit
        rows.append((name, wanted, f"{value:,.2f}{unit}", held))

    mix = get(figures, "http", "summary", "mix") or {}
    for size in (100, 10_000):
        add(f"Entra mix at {size:,} users: ours / peer", ">= 2x",
            get(mix, size, "ours_over_peer"), 2.0, True, "x")
        add(f"Entra mix at {size:,} users: ours / ceiling", ">= 0.40",
            get(mix, size, "ours_over_ceiling"), 0.40, True)
    match = get(figures, "http", "summary", "match") or {}
    for attribute in MATCH_ATTRIBUTES:
        add(f"match on {attribute}: at 100 / at 100,000 users", "<= 1.5x",
            get(match, attribute, 100_000, "slowdown_vs_smallest"), 1.5, False, "x")
    add("match on work email at 10,000 users: ours / peer", ">= 50x",
        get(match, WORK_EMAIL, 10_000, "ours_over_peer"), 50.0, True, "x")
    startup = get(figures, "startup", "ms") or {}
    add("import sandbox", "<= 150 ms", startup.get("import sandbox"), 150, False, " ms")
    add("create_app()", "<= 50 ms", startup.get("create_app()"), 50, False, " ms")
    add("fresh tenant (in process)", "<= 2 ms", startup.get("fresh tenant (in process)"), 2,
        False, " ms")
    add("seed 10,000 users (generic)", "<= 3 s",
        get(figures, "seed", "seconds", "seed generic"), 3.0, False, " s")
    durable = get(figures, "durable", "results", "durable") or {}
    for op in ("insert", "update"):
        p50 = get(durable, 10_000, op, "p50_us")
        add(f"durable {op} p50 at 10,000 users", "<= 5 ms",
            None if p50 is None else p50 / 1000, 5.0, False, " ms")
    add("RSS with 100,000 users", "<= 400 MB",
        get(figures, "http", "summary", "rss_mb", 100_000, "ours"), 400, False, " MB")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="fewer runs and shorter windows (a smoke run, not for RESULTS)")
    parser.add_argument("--no-peer", action="store_true")
    parser.add_argument("--out", type=Path, help="also write the final JSON here")
    args = parser.parse_args()
    quick = args.quick
    figures: dict[str, Any] = {"machine": harness.machine()}
    figures["startup"] = run("startup.py", "--runs", "3" if quick else "7")
    figures["seed"] = run("seed_users.py", "--runs", "1" if quick else "3")
    figures["durable"] = run("durable_writes.py", "--ops", "200" if quick else "1000")
    http_args = ["--seconds", "3", "--sizes", "100", "10000", "100000"] if quick else []
    if args.no_peer:
        http_args.append("--no-peer")
    figures["http"] = run("http_compare.py", *http_args)

    rows = targets(figures)
    print("\nTargets")
    width = max(len(name) for name, *_ in rows)
    for name, wanted, measured, held in rows:
        verdict = {True: "met", False: "NOT MET", None: "-"}[held]
        print(f"{name:<{width}}  {wanted:>9}  {measured:>14}  {verdict}")
    figures["targets"] = [{"target": n, "wanted": w, "measured": m, "held": h}
                          for n, w, m, h in rows]
    if args.out:
        args.out.write_text(json.dumps(figures, indent=1) + "\n")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
