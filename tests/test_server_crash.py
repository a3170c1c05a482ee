"""A real `scim-sandbox serve --data` process, killed with SIGKILL under write load, loses no
acknowledged write and restarts from its file."""

from __future__ import annotations

import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

TOKEN = "crash-test-token"
BASE = "/generic/generic-demo/scim/v2"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(data: Path, port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "serve", "--port", str(port), "--token", TOKEN,
         "--admin-token", "crash-admin", "--data", str(data)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_sandbox/health", timeout=1):
                return process
        except OSError:
            if process.poll() is not None:
                raise AssertionError(process.stderr.read().decode()) from None
            time.sleep(0.05)
    process.kill()
    raise AssertionError("the server did not start within 30 s")


def request(port: int, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}{BASE}{path}", data=data, method=method,
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/scim+json"})
    try:
        with urllib.request.urlopen(req, timeout=5) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.loads(error.read() or b"{}")


def write_until_killed(port: int, name: str, acknowledged: list[str],
                       stop: threading.Event) -> None:
    n = 0
    while not stop.is_set():
        n += 1
        try:
            status, body = request(port, "POST", "/Users", {"userName": f"{name}-u{n}"})
        except (OSError, ValueError, http.client.HTTPException):
            return  # the server is gone (or cut the answer): this write was never acknowledged
        if status == 201:
            acknowledged.append(body["id"])


def test_sigkill_under_load_loses_no_acknowledged_write(tmp_path):
    data = tmp_path / "sandbox.json"
    rng = random.Random(20261122)
    acknowledged: list[str] = []
    for round_no in range(3):
        port = free_port()
        server = start(data, port)
        stop = threading.Event()
        writers = [threading.Thread(target=write_until_killed,
                                    args=(port, f"r{round_no}w{w}", acknowledged, stop))
                   for w in range(4)]
        for writer in writers:
            writer.start()
        time.sleep(rng.uniform(0.3, 1.0))
        os.kill(server.pid, signal.SIGKILL)
        server.wait(timeout=10)
        server.stderr.close()
        stop.set()
        for writer in writers:
            writer.join(timeout=10)
    assert len(acknowledged) > 20, "the load was too light to mean anything"
    port = free_port()
    server = start(data, port)
    try:
        status, listing = request(port, "GET", "/Users?count=0")
        assert status == 200
        assert listing["totalResults"] >= len(acknowledged)
        missing = [uid for uid in acknowledged if request(port, "GET", f"/Users/{uid}")[0] != 200]
        assert missing == [], f"{len(missing)} acknowledged writes lost of {len(acknowledged)}"
    finally:
        server.terminate()
        server.wait(timeout=10)
        server.stderr.close()
