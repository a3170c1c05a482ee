"""Seeding speed: 10,000 users into a fresh tenant, against the same tenant.create baseline.

Prints a table and a final JSON line. Figures are medians of several runs, each in a fresh
TenantRegistry. The baseline, measured in the same run, creates 10,000 users with a minimal body
(`{"userName": ...}`) through the same `TenantService.create`, so the ratio shows what
generating and validating full Entra-shaped bodies adds, whatever the machine's speed.

    python bench/seed_users.py [--users 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable

from sandbox.service import TenantRegistry
from sandbox.service.seeding import seed_tenant
from sandbox.vendors import bundled_vendors_dir, load_profiles

PROFILES = load_profiles(bundled_vendors_dir())


def seed_run(vendor: str, users: int) -> float:
    tenant = TenantRegistry(PROFILES).create_tenant(vendor)
    start = time.perf_counter()
    summary = seed_tenant(tenant, users=users, seed=1)
    elapsed = time.perf_counter() - start
    assert summary["users"] == users
    return elapsed


def minimal_run(users: int) -> float:
    tenant = TenantRegistry(PROFILES).create_tenant("generic")
    rt = tenant.resource_type("Users")
    start = time.perf_counter()
    for n in range(users):
        tenant.create(rt, {"userName": f"user{n}@example.com"})
    return time.perf_counter() - start


def median_of(runs: int, measure: Callable[[], float]) -> float:
    return statistics.median(measure() for _ in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10_000, help="users per run")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median kept)")
    args = parser.parse_args()
    start = time.perf_counter()
    import faker  # noqa: F401  (timed apart: a server pays it once, on its first seed)

    faker_import = time.perf_counter() - start
    seconds = {
        "seed generic": median_of(args.runs, lambda: seed_run("generic", args.users)),
        "seed vaultplatform": median_of(args.runs, lambda: seed_run("vaultplatform", args.users)),
        "minimal create (baseline)": median_of(args.runs, lambda: minimal_run(args.users)),
    }
    baseline = seconds["minimal create (baseline)"]
    print(f"{args.users} users, median of {args.runs} runs; faker import {faker_import:.3f} s")
    print(f"{'measure':<28} {'seconds':>8} {'users/s':>9} {'x baseline':>11}")
    for name, value in seconds.items():
        print(f"{name:<28} {value:>8.3f} {args.users / value:>9.0f} {value / baseline:>10.2f}x")
    print(json.dumps({
        "users": args.users,
        "runs": args.runs,
        "faker_import_s": round(faker_import, 3),
        "seconds": {k: round(v, 3) for k, v in seconds.items()},
        "users_per_s": {k: round(args.users / v) for k, v in seconds.items()},
        "ratio_to_baseline": {k: round(v / baseline, 3) for k, v in seconds.items()},
    }))


if __name__ == "__main__":
    main()
