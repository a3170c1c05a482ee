"""Cost of a fresh tenant through the pytest fixtures' code path, in process and live.

What `scim_tenant(...)` does per call (registry entry + SandboxTenant), timed over many
tenants in one process, beside the baseline `TenantRegistry.create_tenant` alone measured in the
same run. Also: the first request of a tenant (in process and over loopback), a seeded
tenant, the teardown, and the once-per-session costs (app, live server). Prints a table and
a final JSON line.

    python bench/tenant_creation.py [--tenants 500] [--vendor generic]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from typing import Any

from sandbox.testing import ScimSandbox, TenantFactory


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def timed(make: Callable[[], Any], after: Callable[[Any], None], runs: int) -> list[float]:
    """`make()` timed `runs` times (ms); `after(result)` runs untimed (cleanup)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = make()
        times.append((time.perf_counter() - start) * 1000)
        after(result)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenants", type=int, default=500, help="tenants per figure")
    parser.add_argument("--vendor", default="generic")
    args = parser.parse_args()
    runs, vendor = args.tenants, args.vendor

    start = time.perf_counter()
    sandbox = ScimSandbox.start()
    session_ms = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    live_url = sandbox.live_url
    server_ms = (time.perf_counter() - start) * 1000
    registry = sandbox.registry
    factory = TenantFactory(sandbox)

    def drop(tenant: Any) -> None:
        registry.delete_tenant(tenant.id)

    def teardown_one() -> None:  # what the fixture's teardown does, for one tenant
        factory(vendor)
        factory.close()

    # Warm-up: first calls pay for lazy imports (Faker, seeding) and filter caches.
    drop(factory(vendor, seed_users=5))
    drop(factory(vendor, live=True))
    factory.made.clear()

    def first_request(live: bool) -> Any:
        tenant = factory(vendor, live=live)
        assert tenant.client.get("/Users").status_code == 200
        return tenant

    series: dict[str, list[float]] = {
        "TenantRegistry.create_tenant (baseline)": timed(lambda: registry.create_tenant(vendor),
                                                  drop, runs),
        "scim_tenant() in process": timed(lambda: factory(vendor), drop, runs),
        "scim_tenant(live=True)": timed(lambda: factory(vendor, live=True), drop, runs),
        "in process + first GET /Users": timed(lambda: first_request(False), drop, runs),
        "live + first GET /Users (loopback)": timed(lambda: first_request(True), drop, runs),
        "scim_tenant(seed_users=5)": timed(lambda: factory(vendor, seed_users=5), drop,
                                           min(runs, 200)),
        "create + teardown (delete)": timed(teardown_one, lambda _: None, runs),
    }
    factory.made.clear()
    sandbox.close()

    baseline = statistics.median(series["TenantRegistry.create_tenant (baseline)"])
    figures = {name: {"n": len(values), "median_ms": statistics.median(values),
                      "p95_ms": percentile(values, 0.95)} for name, values in series.items()}
    print(f"vendor {vendor}; live server {live_url}")
    print(f"{'measure':<38} {'n':>5} {'median ms':>10} {'p95 ms':>9} {'x baseline':>11}")
    for name, figure in figures.items():
        print(f"{name:<38} {figure['n']:>5} {figure['median_ms']:>10.3f} "
              f"{figure['p95_ms']:>9.3f} {figure['median_ms'] / baseline:>10.1f}x")
    print(f"{'once per session: ScimSandbox.start()':<38} {1:>5} {session_ms:>10.3f}")
    print(f"{'once per session: live server start':<38} {1:>5} {server_ms:>10.3f}")
    print(json.dumps({
        "vendor": vendor,
        "tenants": {name: {k: round(v, 4) for k, v in figure.items()}
                    for name, figure in figures.items()},
        "session_start_ms": round(session_ms, 3),
        "live_server_start_ms": round(server_ms, 3),
    }))


if __name__ == "__main__":
    main()
