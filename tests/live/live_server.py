"""A real `scim-sandbox serve` process on a free loopback port, and a keep-alive client."""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerProcess:
    """`python -m sandbox serve ...` started and waited for; stop() ends it with SIGTERM."""

    def __init__(self, *args: str, token: str, admin_token: str,
                 data: Path | None = None) -> None:
        self.port = free_port()
        self.token = token
        self.admin_token = admin_token
        command = [sys.executable, "-m", "sandbox", "serve", "--port", str(self.port),
                   "--token", token, "--admin-token", admin_token, *args]
        if data is not None:
            command += ["--data", str(data)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE)
        self._wait_healthy()

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                url = f"http://127.0.0.1:{self.port}/_sandbox/health"
                with urllib.request.urlopen(url, timeout=1):
                    return
            except OSError:
                if self.process.poll() is not None:
                    raise AssertionError(self.process.stderr.read().decode()) from None
                time.sleep(0.05)
        self.kill()
        raise AssertionError("the server did not start within 30 s")

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)
        self.process.stderr.close()

    def stop(self) -> int:
        self.process.terminate()
        code = self.process.wait(timeout=20)
        self.process.stderr.close()
        return code


class Client:
    """One keep-alive HTTP/1.1 connection to the server (one per thread)."""

    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.headers = {"Authorization": f"Bearer {token}",
                        "Content-Type": "application/scim+json"}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def request(self, method: str, path: str, body: Any = None,
                headers: dict[str, str] | None = None) -> tuple[int, Any]:
        payload = None if body is None else json.dumps(body)
        self.connection.request(method, path, body=payload, headers={**self.headers,
                                                                      **(headers or {})})
        response = self.connection.getresponse()
        raw = response.read()
        return response.status, json.loads(raw) if raw else None

    def close(self) -> None:
        self.connection.close()
