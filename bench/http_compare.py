"""Our server beside the peer `scim2-server` and a trivial Flask app, over HTTP, in one run.

Each server runs pinned to core 0 under waitress with the same threads; the load comes from
another process pinned to core 1 on loopback (see `bench/harness.py`). For each store size a
fresh server is started, users are POSTed through its own API, then:

- match queries: GET /Users?filter=<attr> eq "<a preloaded user's value>" on userName,
  externalId and emails[type eq "work"].value, 4 clients, each answer checked (one hit);
- the Entra mix (sizes up to 10,000): 4 clients, 50 % GET /Users?filter=userName eq (half hit,
  half miss), 15 % POST /Users, 20 % PATCH active=false, 15 % GET by id;
- the server's resident memory after the preload.

The three servers of one size run side by side (all on core 0, only one of them under load at
a time): each figure is measured in --rounds windows, the servers taking turns, and the
median window is kept, so that a slow spell of a shared machine falls on all three alike.
The ceiling answers every request with constant JSON, whatever the size (it runs beside the
sizes up to 10,000). A peer preload that has not finished after --peer-limit seconds is
stopped and that size is reported as not measured. Prints a table and a final JSON line.

    python bench/http_compare.py [--sizes 100 10000 100000] [--seconds 8] [--no-peer]
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

import harness
from harness import fmt, ratio
from http_load import MATCH_ATTRIBUTES

MIX_MAX_SIZE = 10_000


def measure(size: int, args: argparse.Namespace, peer_python: Any) -> dict[str, Any]:
    """Start the servers, preload `size` users into ours and the peer's, run the workloads."""
    workloads: list[dict[str, Any]] = [{"kind": "match", "seconds": args.seconds / 2}]
    if size <= MIX_MAX_SIZE:
        workloads.append({"kind": "mix", "seconds": args.seconds})
    spec: dict[str, Any] = {"threads": args.clients, "workloads": workloads, "seed": args.seed,
                            "preload": size, "preload_limit_s": args.peer_limit,
                            "rounds": args.rounds}
    starters = [lambda: harness.start_ours(args.threads)]
    if peer_python is not None:
        starters.append(lambda: harness.start_peer(peer_python, args.threads))
    if size <= MIX_MAX_SIZE:
        starters.append(lambda: harness.start_ceiling(args.threads))
    reference = min(args.sizes)
    if size > MIX_MAX_SIZE and reference < size:
        # Flatness is judged against ours at the smallest size, measured in the same windows.
        def start_reference() -> harness.Server:
            server = harness.start_ours(args.threads)
            server.name, server.preload = f"ours@{reference}", reference
            return server

        starters.append(start_reference)
    servers: list[harness.Server] = []
    try:
        for start in starters:
            servers.append(start())
        began = time.perf_counter()
        result = harness.run_load(servers, spec)
    finally:
        for server in servers:
            server.stop()
    print(f"  {size} users: done in {time.perf_counter() - began:.0f} s", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 10_000, 100_000])
    parser.add_argument("--seconds", type=float, default=8.0,
                        help="seconds of Entra mix per figure (match queries: half per attr)")
    parser.add_argument("--clients", type=int, default=4, help="client threads")
    parser.add_argument("--threads", type=int, default=harness.THREADS, help="server threads")
    parser.add_argument("--peer-limit", type=float, default=120.0,
                        help="seconds the peer may take to preload one size")
    parser.add_argument("--no-peer", action="store_true", help="ours and the ceiling only")
    parser.add_argument("--rounds", type=int, default=3,
                        help="windows per figure, the servers taking turns (median kept)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    info = harness.machine()
    print(f"machine: {info['nproc']} cpus, {info['cpu']}, Python {info['python']}, "
          f"server on core {harness.SERVER_CORE}, load on core {harness.LOAD_CORE}, "
          f"waitress threads {args.threads}, {args.clients} clients", flush=True)
    peer_python, peer_status = (None, "skipped (--no-peer)") if args.no_peer \
        else harness.peer_python()
    if peer_python is None:
        print(f"peer: not measured: {peer_status}", flush=True)

    results: dict[str, dict[str, Any]] = {"ours": {}, "peer": {}, "ceiling": {},
                                          "ours_reference": {}}
    for size in args.sizes:
        for name, result in measure(size, args, peer_python).items():
            results[name.split("@")[0] if "@" not in name else "ours_reference"][str(size)] = \
                result

    summary = report(results, args.sizes)
    print(json.dumps({"bench": "http_compare", "machine": info, "peer": {
        "version": harness.PEER_VERSION, "status": peer_status},
        "threads": args.threads, "clients": args.clients, "seconds": args.seconds,
        "summary": summary, "results": results}))


def rps_of(result: dict[str, Any] | None, *keys: str) -> float | None:
    node: Any = result
    for key in keys:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def report(results: dict[str, dict[str, Any]], sizes: list[int]) -> dict[str, Any]:
    summary: dict[str, Any] = {"mix": {}, "match": {}, "rss_mb": {}}
    print()
    print("Entra mix (requests/s, 4 clients)")
    header = (f"{'users':>8} {'ours':>8} {'peer':>8} {'ceiling':>8} {'ours/peer':>10} "
              f"{'ours/ceiling':>13} {'ours p50':>9} {'peer p50':>9}")
    print(header)
    print("-" * len(header))
    for size in [s for s in sizes if s <= MIX_MAX_SIZE]:
        ours, peer = results["ours"].get(str(size)), results["peer"].get(str(size))
        o, p = rps_of(ours, "mix", "rps"), rps_of(peer, "mix", "rps")
        ceiling_mix = rps_of(results["ceiling"].get(str(size)), "mix", "rps")
        summary["mix"][size] = {"ours": o, "peer": p, "ceiling": ceiling_mix,
                                "ours_over_peer": ratio(o, p),
                                "ours_over_ceiling": ratio(o, ceiling_mix)}
        print(f"{size:>8} {fmt(o):>8} {fmt(p):>8} {fmt(ceiling_mix):>8} "
              f"{fmt(ratio(o, p), 'x'):>10} {fmt(ratio(o, ceiling_mix), 'x'):>13} "
              f"{fmt(rps_of(ours, 'mix', 'p50_ms'), 'ms'):>9} "
              f"{fmt(rps_of(peer, 'mix', 'p50_ms'), 'ms'):>9}")
    print()
    print("Match queries (requests/s, 4 clients)")
    header = (f"{'attribute':<30} {'users':>8} {'ours':>8} {'peer':>8} {'ceiling':>8} "
              f"{'ours/peer':>10} {'ours vs smallest':>17}")
    print(header)
    print("-" * len(header))
    for attribute in MATCH_ATTRIBUTES:
        first = rps_of(results["ours"].get(str(sizes[0])), "match", attribute, "rps")
        for size in sizes:
            ours, peer = results["ours"].get(str(size)), results["peer"].get(str(size))
            o = rps_of(ours, "match", attribute, "rps")
            p = rps_of(peer, "match", attribute, "rps")
            c = rps_of(results["ceiling"].get(str(size)), "match", attribute, "rps")
            # >1 when slower than at the smallest size; from the same run's reference server
            # at the smallest size when there is one.
            same_run = rps_of(results["ours_reference"].get(str(size)), "match", attribute,
                              "rps")
            flat = ratio(same_run or first, o)
            summary["match"].setdefault(attribute, {})[size] = {
                "ours": o, "peer": p, "ceiling": c, "ours_over_peer": ratio(o, p),
                "slowdown_vs_smallest": flat}
            print(f"{attribute:<30} {size:>8} {fmt(o):>8} {fmt(p):>8} {fmt(c):>8} "
                  f"{fmt(ratio(o, p), 'x'):>10} {fmt(flat, 'x slower'):>17}")
    print("(ours vs smallest: ours at the smallest size / ours at this size; at sizes above "
          f"{MIX_MAX_SIZE:,} the smallest-size server runs in the same windows)")
    print()
    print("Resident memory after the preload (MB)")
    for size in sizes:
        ours, peer = results["ours"].get(str(size)), results["peer"].get(str(size))
        o, p = rps_of(ours, "rss_mb"), rps_of(peer, "rss_mb")
        note = ""
        if peer and peer.get("skipped"):
            note = f"  (peer: {peer['skipped']} in {peer['preload']['seconds']} s)"
        summary["rss_mb"][size] = {"ours": o, "peer": p}
        print(f"{size:>8} users: ours {fmt(o)}, peer {fmt(p)}{note}")
    for name in ("ours", "peer"):
        for size, result in results[name].items():
            if "preload" in result:
                pre = result["preload"]
                print(f"preload {name} {size}: {pre['loaded']} users in {pre['seconds']} s")
            failures = {k: v for k, v in (result.get("mix") or {}).get("failures", {}).items()}
            for attribute, figure in (result.get("match") or {}).items():
                if figure["failures"]:
                    failures[attribute] = figure["failures"]
            if failures:
                print(f"FAILED checks {name} {size}: {failures}")
    return summary


if __name__ == "__main__":
    main()
