"""Latency of one acknowledged write in durable file mode, against memory mode in the same run.

For 1,000 and 10,000 existing users, measures one `Store.insert` of a new user and one
`Store.update` of an existing one (the real `Store` with the service's `INDEXES`), each call
timed on its own: in durable mode a call returns only after its log record is fsynced. Also
times `close()`, which compacts the log into a full snapshot (the O(size) step that happens
once per log-outgrows-snapshot, so it is amortised, not paid per write).

Prints a table and a final JSON line. fsync cost depends on the disk, so read the durable
figures beside the memory baseline and, above all, across store sizes: the point of the
design is that a write costs the same at 10,000 users as at 1,000.

    python bench/durable_writes.py [--ops 1000] [--sizes 1000 10000] [--dir DIR]
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sandbox.service.indexes import INDEXES
from sandbox.store import Store

TENANT = "bench"
BLOCK = 50


def scim_user(n: int, version: int = 1) -> dict[str, Any]:
    """A user about the size Entra provisions (~700 bytes of JSON)."""
    rid = f"{n:08x}-1c2d-4e5f-8a9b-{n:012x}"
    return {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "id": rid,
        "userName": f"user{n}@contoso.example",
        "externalId": f"ext-{n}",
        "active": True,
        "displayName": f"User Number {n}",
        "name": {"givenName": "User", "familyName": f"Number {n}",
                 "formatted": f"User Number {n}"},
        "emails": [{"value": f"user{n}@contoso.example", "type": "work", "primary": True}],
        "title": "Engineer",
        "meta": {"resourceType": "User", "created": "2024-06-01T12:00:00Z",
                 "lastModified": "2024-06-01T12:00:00Z", "version": f'W/"{version}"'},
    }


def new_store(mode: str, directory: Path, size: int) -> Store:
    """A store of `mode` holding `size` users in one tenant."""
    if mode == "memory":
        store = Store(indexes=INDEXES)
    else:
        store = Store.open(directory / f"users-{size}" / "sandbox.json", indexes=INDEXES)
    store.add_tenant({"id": TENANT, "vendor": "generic", "token": "x" * 16})
    # One record for the whole population (then compacted): quicker than `size` fsyncs.
    store.replace_resources(TENANT, {"User": [scim_user(n) for n in range(size)]})
    return store


def percentiles(durations: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(durations, n=20)
    return {"p50_us": round(statistics.median(durations), 1), "p95_us": round(cuts[18], 1)}


Calls = dict[str, list[Callable[[], None]]]


def write_calls(store: Store, size: int, ops: int, seed: int) -> Calls:
    """`ops` inserts of new users and `ops` updates of random existing ones.

    The rows are built here, beforehand, so that only the store call is timed.
    """
    rng = random.Random(seed)
    new_rows = [scim_user(n) for n in range(size, size + ops)]
    changed = [scim_user(rng.randrange(size), version) for version in range(2, ops + 2)]
    return {
        "insert": [(lambda d=d: store.insert(TENANT, "User", d["id"], d)) for d in new_rows],
        "update": [(lambda d=d: store.update(TENANT, "User", d["id"], d)) for d in changed],
    }


def measure(directory: Path, sizes: list[int], ops: int, seed: int) -> dict[str, Any]:
    """p50/p95 per mode, size and operation, and the time of the closing compaction.

    The configurations take turns in blocks of BLOCK calls, so a disk or CPU hiccup on a
    shared machine lands on all of them alike instead of skewing one figure (blocks rather
    than single calls, so memory mode is not measured with caches an fsync just cooled).
    """
    configs = [(mode, size) for mode in ("memory", "durable") for size in sizes]
    stores = {config: new_store(config[0], directory, config[1]) for config in configs}
    calls = {config: write_calls(stores[config], config[1], ops, seed) for config in configs}
    durations: dict[tuple[str, int, str], list[float]] = {}
    gc.collect()
    for op in ("insert", "update"):
        for first in range(0, ops, BLOCK):
            for config in configs:
                timings = durations.setdefault((*config, op), [])
                for call in calls[config][op][first:first + BLOCK]:
                    start = time.perf_counter()
                    call()
                    timings.append((time.perf_counter() - start) * 1e6)
    results: dict[str, Any] = {mode: {} for mode, _ in configs}
    for mode, size in configs:
        figures: dict[str, Any] = {op: percentiles(durations[(mode, size, op)])
                                   for op in ("insert", "update")}
        start = time.perf_counter()
        stores[(mode, size)].close()
        figures["close_ms"] = round((time.perf_counter() - start) * 1e3, 1)
        results[mode][size] = figures
    return results


def filesystem_of(directory: Path) -> str:
    """The mount's filesystem type (fsync on tmpfs is free), best effort."""
    try:
        mounts = [line.split() for line in Path("/proc/self/mounts").read_text().splitlines()]
    except OSError:
        return "unknown"
    resolved = str(directory.resolve())
    best = max((m for m in mounts if resolved.startswith(m[1])), key=lambda m: len(m[1]),
               default=None)
    return best[2] if best else "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=1000, help="timed calls per figure")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--dir", type=Path, default=None, help="where the data files go")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(dir=args.dir) as name:
        directory = Path(name)
        measure(directory / "warm-up", [200], 200, args.seed)  # imports, caches; not shown
        results = measure(directory, args.sizes, args.ops, args.seed)
        fs = filesystem_of(directory)

    print(f"durable writes: {args.ops} timed calls per figure, data in {args.dir or 'tmp'} "
          f"({fs})")
    header = (f"{'users':>7}  {'op':<7}{'memory p50':>12}{'p95':>9}{'durable p50':>13}{'p95':>9}"
              f"{'ratio p50':>11}")
    print(header)
    print("-" * len(header))
    ratios: dict[str, float] = {}
    for size in args.sizes:
        for op in ("insert", "update"):
            mem, dur = results["memory"][size][op], results["durable"][size][op]
            ratio = dur["p50_us"] / mem["p50_us"]
            ratios[f"{op}@{size}"] = round(ratio, 1)
            print(f"{size:>7}  {op:<7}{mem['p50_us']:>10.1f}us{mem['p95_us']:>7.1f}us"
                  f"{dur['p50_us']:>11.1f}us{dur['p95_us']:>7.1f}us{ratio:>10.1f}x")
    growth = {}
    if len(args.sizes) > 1:
        small, large = min(args.sizes), max(args.sizes)
        for op in ("insert", "update"):
            growth[op] = round(
                results["durable"][large][op]["p50_us"] / results["durable"][small][op]["p50_us"],
                2)
        print(f"durable p50 at {large} users / at {small} users: "
              + ", ".join(f"{op} {value}x" for op, value in growth.items()))
        growth = {f"{op} p50 {large}/{small}": value for op, value in growth.items()}
    print("close() with compaction: "
          + ", ".join(f"{size} users {results['durable'][size]['close_ms']} ms"
                      for size in args.sizes))
    print(json.dumps({"bench": "durable_writes", "ops": args.ops, "filesystem": fs,
                      "results": results, "durable_over_memory_p50": ratios,
                      "durable_growth": growth}))


if __name__ == "__main__":
    main()
