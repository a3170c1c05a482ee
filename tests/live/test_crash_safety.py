"""A real `scim-sandbox serve --data` process, killed with SIGKILL at 20 random moments under
write load, loses no acknowledged write, and its file always loads."""

from __future__ import annotations

import http.client
import random
import threading
import time

from live_server import Client, ServerProcess

TOKEN = "crash-test-token"
BASE = "/generic/generic-demo/scim/v2"
KILLS = 20


def write_until_killed(port: int, name: str, acknowledged: list[tuple[str, str]],
                       stop: threading.Event) -> None:
    client = Client(port, TOKEN)
    n = 0
    try:
        while not stop.is_set():
            n += 1
            try:
                status, body = client.request("POST", f"{BASE}/Users",
                                              {"userName": f"{name}-u{n}"})
                if status == 201:
                    acknowledged.append((body["id"], body["userName"]))
                if n % 3 == 0 and acknowledged and status == 201:
                    uid = body["id"]
                    status, _ = client.request("PATCH", f"{BASE}/Users/{uid}", {
                        "Operations": [{"op": "replace", "path": "title", "value": "edited"}]})
                    if status == 200:
                        acknowledged.append((uid, "title=edited"))
            except (OSError, ValueError, http.client.HTTPException):
                return  # the server is gone mid-request: that write was never acknowledged
    finally:
        client.close()


def check(server: ServerProcess, acknowledged: list[tuple[str, str]]) -> None:
    client = Client(server.port, TOKEN)
    for uid, fact in acknowledged:
        status, user = client.request("GET", f"{BASE}/Users/{uid}")
        assert status == 200, f"acknowledged write lost: {uid} ({fact})"
        if fact == "title=edited":
            assert user.get("title") == "edited", f"acknowledged update lost on {uid}"
    client.close()


def test_twenty_sigkills_under_load_lose_no_acknowledged_write(tmp_path):
    data = tmp_path / "sandbox.json"
    rng = random.Random(9)
    acknowledged: list[tuple[str, str]] = []
    for kill in range(KILLS):
        server = ServerProcess(token=TOKEN, admin_token="crash-admin", data=data)
        check(server, acknowledged)  # everything acknowledged before the last kill is there
        stop = threading.Event()
        writers = [threading.Thread(target=write_until_killed,
                                    args=(server.port, f"k{kill}w{w}", acknowledged, stop))
                   for w in range(4)]
        for writer in writers:
            writer.start()
        time.sleep(rng.uniform(0.1, 0.6))
        server.kill()  # SIGKILL
        stop.set()
        for writer in writers:
            writer.join(timeout=10)
    server = ServerProcess(token=TOKEN, admin_token="crash-admin", data=data)
    try:
        check(server, acknowledged)
        assert len(acknowledged) > 100, "the load was too light to mean anything"
        print(f"{KILLS} SIGKILLs survived; {len(acknowledged)} acknowledged writes all present")
    finally:
        assert server.stop() == 0
