"""The load generator: preload users, then run timed workloads against one running server.

Started by the HTTP benchmarks on the load core with one JSON argument (the spec), it prints
one JSON line with what it measured. Clients keep their connection alive and speak HTTP/1.1
over plain sockets, so that the client's own cost per request stays far below the server's.

Spec keys: targets (each {name, port, base (path below which /Users hangs), server_pid (read
its RSS after the preload), synthetic (ids to make up instead of preloading, for the
ceiling), preload (to override the spec's), limited (whether preload_limit_s applies)}),
token, threads, seed, preload (users to POST first), preload_limit_s (give up
preloading after this long), rounds, and workloads: a list of {"kind": "match" | "mix",
"seconds": S, "warmup": W}. Every workload runs in `rounds` windows per target, the targets
taking turns, and each figure is the median window.
"""

from __future__ import annotations

import json
import random
import socket
import statistics
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote

PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
MATCH_ATTRIBUTES = {
    "userName": lambda n: f'userName eq "{user_name(n)}"',
    "externalId": lambda n: f'externalId eq "ext-{n}"',
    'emails[type eq "work"].value': lambda n: f'emails[type eq "work"].value eq "{email(n)}"',
}
# The Entra mix: (operation, weight in percent).
MIX = (("filter hit", 25), ("filter miss", 25), ("POST", 15), ("PATCH active", 20),
       ("GET by id", 15))


def user_name(n: int) -> str:
    return f"user{n}@contoso.example"


def email(n: int) -> str:
    return f"user.{n}@mail.contoso.example"


def user_body(n: int, prefix: str = "") -> dict[str, Any]:
    """A user about the size Entra provisions."""
    return {
        "schemas": [USER_SCHEMA],
        "userName": f"{prefix}{user_name(n)}",
        "externalId": f"{prefix}ext-{n}",
        "active": True,
        "displayName": f"User Number {n}",
        "name": {"givenName": "User", "familyName": f"Number {n}",
                 "formatted": f"User Number {n}"},
        "emails": [{"value": f"{prefix}{email(n)}", "type": "work", "primary": True}],
        "title": "Engineer",
    }


class Client:
    """One keep-alive HTTP/1.1 connection; `call` returns (status, body bytes)."""

    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.auth = f"Authorization: Bearer {token}\r\n"
        self.sock: socket.socket | None = None
        self.buffer = b""

    def _connect(self) -> socket.socket:
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=120)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""
        return sock

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, bytes]:
        payload = b"" if body is None else json.dumps(body).encode()
        head = (f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{self.auth}"
                f"Accept: application/scim+json\r\n")
        if body is not None:
            head += f"Content-Type: application/scim+json\r\nContent-Length: {len(payload)}\r\n"
        request = head.encode() + b"\r\n" + payload
        for attempt in (0, 1):
            if self.sock is None:
                self.sock = self._connect()
            try:
                self.sock.sendall(request)
                return self._response(method)
            except (ConnectionError, OSError):
                self.sock.close()
                self.sock = None
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def _read_more(self) -> None:
        assert self.sock is not None
        chunk = self.sock.recv(262144)
        if not chunk:
            raise ConnectionResetError("server closed the connection")
        self.buffer += chunk

    def _response(self, method: str) -> tuple[int, bytes]:
        while b"\r\n\r\n" not in self.buffer:
            self._read_more()
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        lines = head.split(b"\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            headers[name.strip().lower()] = value.strip()
        if method == "HEAD" or status in (204, 304):
            body = b""
        elif b"content-length" in headers:
            size = int(headers[b"content-length"])
            while len(self.buffer) < size:
                self._read_more()
            body, self.buffer = self.buffer[:size], self.buffer[size:]
        elif headers.get(b"transfer-encoding", b"").lower() == b"chunked":
            body = self._chunked()
        else:  # read to close
            try:
                while True:
                    self._read_more()
            except ConnectionResetError:
                pass
            body, self.buffer = self.buffer, b""
            self.sock.close()  # type: ignore[union-attr]
            self.sock = None
        if headers.get(b"connection", b"").lower() == b"close" and self.sock is not None:
            self.sock.close()
            self.sock = None
        return status, body

    def _chunked(self) -> bytes:
        parts = []
        while True:
            while b"\r\n" not in self.buffer:
                self._read_more()
            line, self.buffer = self.buffer.split(b"\r\n", 1)
            size = int(line.split(b";")[0], 16)
            while len(self.buffer) < size + 2:
                self._read_more()
            parts.append(self.buffer[:size])
            self.buffer = self.buffer[size + 2:]
            if size == 0:
                return b"".join(parts)


def run_threads(count: int, work: Any) -> list[Any]:
    results: list[Any] = [None] * count
    errors: list[BaseException] = []

    def runner(index: int) -> None:
        try:
            results[index] = work(index)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


def preload(spec: dict[str, Any]) -> dict[str, Any]:
    """POST `preload` users from `threads` connections; their ids, in user-number order."""
    total = spec.get("preload", 0)
    limit = spec.get("preload_limit_s") if spec.get("limited") else None
    limit = 1e9 if limit is None else limit
    threads = spec["threads"]
    ids: list[str | None] = [None] * total
    statuses: Counter[int] = Counter()
    start = time.perf_counter()
    deadline = start + limit

    def work(index: int) -> None:
        client = Client(spec["port"], spec["token"])
        for n in range(index, total, threads):
            if n % 256 < threads and time.perf_counter() > deadline:
                return
            status, body = client.call("POST", f"{spec['base']}/Users", user_body(n))
            statuses[status] += 1
            if status == 201:
                ids[n] = json.loads(body)["id"]

    run_threads(threads, work)
    seconds = time.perf_counter() - start
    made = sum(1 for rid in ids if rid is not None)
    # A user counts as preloaded only if every user before it is too (the workloads draw
    # from the first `loaded` user numbers).
    loaded = next((n for n, rid in enumerate(ids) if rid is None), total)
    return {"ids": ids[:loaded], "loaded": loaded, "created": made, "seconds": seconds,
            "statuses": dict(statuses), "complete": loaded == total}


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def timed_run(spec: dict[str, Any], seconds: float, step: Any) -> dict[str, Any]:
    """`threads` clients each calling `step(client, rng, i)` -> (label, ok) until time is up."""
    threads = spec["threads"]
    stop_at = time.perf_counter() + seconds
    cpu_start = time.process_time()

    def work(index: int) -> tuple[dict[str, list[float]], Counter[str]]:
        client = Client(spec["port"], spec["token"])
        rng = random.Random(spec.get("seed", 1) * 1000 + index)
        latencies: dict[str, list[float]] = {}
        failures: Counter[str] = Counter()
        i = 0
        while time.perf_counter() < stop_at:
            began = time.perf_counter()
            label, ok = step(client, rng, index, i)
            latencies.setdefault(label, []).append((time.perf_counter() - began) * 1000)
            if not ok:
                failures[label] += 1
            i += 1
        return latencies, failures

    began = time.perf_counter()
    parts = run_threads(threads, work)
    wall = time.perf_counter() - began
    cpu = time.process_time() - cpu_start
    merged: dict[str, list[float]] = {}
    failures: Counter[str] = Counter()
    for latencies, failed in parts:
        for label, values in latencies.items():
            merged.setdefault(label, []).extend(values)
        failures.update(failed)
    everything = [v for values in merged.values() for v in values]
    return {
        "requests": len(everything),
        "seconds": round(wall, 3),
        "rps": round(len(everything) / wall, 1),
        "p50_ms": round(statistics.median(everything), 3) if everything else None,
        "p95_ms": round(percentile(everything, 0.95), 3) if everything else None,
        "client_cpu": round(cpu / wall, 2),
        "by_op": {label: {"n": len(values), "p50_ms": round(statistics.median(values), 3)}
                  for label, values in merged.items()},
        "failures": dict(failures),
    }


def match_step(spec: dict[str, Any], loaded: int, attribute: str, expect_hits: bool) -> Any:
    make = MATCH_ATTRIBUTES[attribute]
    path = f"{spec['base']}/Users?filter="

    def step(client: Client, rng: random.Random, index: int, i: int) -> tuple[str, bool]:
        status, body = client.call("GET", path + quote(make(rng.randrange(loaded)), safe=""))
        ok = status == 200 and (not expect_hits or json.loads(body)["totalResults"] == 1)
        return attribute, ok

    return step


def mix_step(spec: dict[str, Any], ids: list[str], expect_bodies: bool) -> Any:
    base = spec["base"]
    labels = [label for label, _ in MIX]
    weights = [weight for _, weight in MIX]
    run = spec.get("run", "r")
    posted = [0] * spec["threads"]  # per client, so every POSTed userName is new
    patch = {"schemas": [PATCH_OP],
             "Operations": [{"op": "replace", "path": "active", "value": False}]}

    def step(client: Client, rng: random.Random, index: int, i: int) -> tuple[str, bool]:
        label = rng.choices(labels, weights)[0]
        if label == "filter hit":
            n = rng.randrange(len(ids))
            status, body = client.call(
                "GET", f"{base}/Users?filter=" + quote(f'userName eq "{user_name(n)}"', safe=""))
            ok = status == 200 and (not expect_bodies or json.loads(body)["totalResults"] == 1)
        elif label == "filter miss":
            status, body = client.call(
                "GET", f"{base}/Users?filter="
                + quote(f'userName eq "nobody{rng.randrange(10**9)}@contoso.example"', safe=""))
            ok = status == 200 and (not expect_bodies or json.loads(body)["totalResults"] == 0)
        elif label == "POST":
            posted[index] += 1
            status, _ = client.call("POST", f"{base}/Users",
                                    user_body(posted[index], prefix=f"{run}-t{index}-"))
            ok = status in (200, 201)
        elif label == "PATCH active":
            status, _ = client.call("PATCH", f"{base}/Users/{ids[rng.randrange(len(ids))]}",
                                    patch)
            ok = status in (200, 204)
        else:
            status, _ = client.call("GET", f"{base}/Users/{ids[rng.randrange(len(ids))]}")
            ok = status == 200
        return label, ok

    return step


def rss_of(pid: int) -> float | None:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return None


def merged(windows: list[dict[str, Any]]) -> dict[str, Any]:
    """One figure from several timed windows: the median window's rate, every latency."""
    ordered = sorted(windows, key=lambda w: w["rps"])
    middle = ordered[len(ordered) // 2]
    failures: Counter[str] = Counter()
    for window in windows:
        failures.update(window["failures"])
    return {**middle, "windows_rps": [w["rps"] for w in windows],
            "requests": sum(w["requests"] for w in windows), "failures": dict(failures)}


def main() -> None:
    """Preload every target, then run each workload in rounds that visit every target in turn,
    so that a slow spell of a shared machine falls on all of them alike."""
    spec = json.loads(sys.argv[1])
    rounds = spec.get("rounds", 3)
    out: dict[str, Any] = {}
    ready: list[tuple[dict[str, Any], list[str], int, bool]] = []
    for target in spec["targets"]:
        tspec = {**spec, **target}
        result: dict[str, Any] = {}
        out[target["name"]] = result
        if target.get("synthetic"):
            ids = [f"id{n}" for n in range(target["synthetic"])]
            loaded, real = len(ids), False
        else:
            info = preload(tspec)
            ids, loaded, real = info.pop("ids"), info["loaded"], True
            result["preload"] = {**info, "seconds": round(info["seconds"], 2)}
        if target.get("server_pid"):
            result["rss_mb"] = rss_of(target["server_pid"])
        if real and loaded < tspec.get("preload", 0):
            result["skipped"] = f"preload stopped at {loaded} users"
            continue
        ready.append((tspec, ids, loaded, real))

    def rounds_of(key: tuple[str, ...], seconds: float, warmup: float, make_step: Any) -> None:
        steps = [(tspec, make_step(tspec, ids, loaded, real)) for tspec, ids, loaded, real in ready]
        for tspec, step in steps:
            timed_run(tspec, warmup, step)
        windows: dict[str, list[dict[str, Any]]] = {}
        for _ in range(rounds):
            for tspec, step in steps:
                windows.setdefault(tspec["name"], []).append(
                    timed_run(tspec, seconds / rounds, step))
        for name, runs in windows.items():
            node = out[name]
            for part in key[:-1]:
                node = node.setdefault(part, {})
            node[key[-1]] = merged(runs)

    for workload in spec.get("workloads", []):
        kind, seconds, warmup = workload["kind"], workload["seconds"], workload.get("warmup", 1)
        if kind == "match":
            for attribute in MATCH_ATTRIBUTES:
                rounds_of(("match", attribute), seconds, warmup,
                          lambda t, ids, loaded, real, a=attribute:
                          match_step(t, loaded, a, real))
        elif kind == "mix":
            rounds_of(("mix",), seconds, warmup,
                      lambda t, ids, loaded, real: mix_step(t, ids, real))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
