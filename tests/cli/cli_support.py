"""Running the real `scim-sandbox` console script in a subprocess, as a user would."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SCRIPT = str(Path(sys.executable).with_name("scim-sandbox"))
ADMIN_TOKEN = "cli-admin-token-0123456789"
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without any SCIM_SANDBOX_* setting of the person running the tests."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCIM_SANDBOX_")}
    env.update(extra)
    return env


def run_cli(*args: str, env: dict[str, str] | None = None,
            timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([SCRIPT, *args], capture_output=True, text=True, timeout=timeout,
                          env=env if env is not None else clean_env(), stdin=subprocess.DEVNULL)


def assert_error(result: subprocess.CompletedProcess[str], code: int, *words: str) -> str:
    """One `Error: ...` line naming `words`, exit status `code`, no traceback; the line."""
    everything = result.stdout + result.stderr
    assert result.returncode == code, everything
    assert "Traceback" not in everything, everything
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1, everything
    for word in words:
        assert word in errors[0], errors[0]
    return errors[0]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Served:
    """A running `scim-sandbox serve` and what its banner said."""

    process: subprocess.Popen[str]
    port: int
    banner: str
    tokens: dict[str, str] = field(default_factory=dict)  # vendor name -> Secret Token

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> str:
        """SIGTERM, as `docker stop` sends; the rest of its output."""
        self.process.send_signal(signal.SIGTERM)
        rest, _ = self.process.communicate(timeout=30)
        assert self.process.returncode == 0, rest
        assert "Traceback" not in rest, rest
        return rest


def serve(data_file: Path, *args: str, env: dict[str, str] | None = None) -> Served:
    """Start `serve --data data_file` on a free port and wait until it answers (the data
    file's line ends the banner, so the whole banner is read before the tests go on)."""
    port = free_port()
    process = subprocess.Popen(
        [SCRIPT, "serve", "--host", "127.0.0.1", "--port", str(port),
         "--admin-token", ADMIN_TOKEN, "--data", str(data_file), *args],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env=env if env is not None else clean_env(), stdin=subprocess.DEVNULL)
    lines = []
    assert process.stdout is not None
    for line in process.stdout:
        lines.append(line)
        if line.startswith(("Data file:", "scim-sandbox stopped")) or "Traceback" in line:
            break
    banner = "".join(lines)
    assert "listening on" in banner and "Traceback" not in banner, banner
    served = Served(process, port, banner, dict(re.findall(
        r"^  (\S.*?)\s+Tenant URL: .*\n\s+Secret Token: (\S+)$", banner, re.M)))
    deadline = time.monotonic() + 30
    while True:
        try:
            _NO_PROXY.open(f"{served.url}/_sandbox/health", timeout=2).close()
            return served
        except OSError:
            assert time.monotonic() < deadline, "the server did not answer"
            time.sleep(0.05)


def call(url: str, token: str, method: str = "GET", body: Any = None) -> tuple[int, Any]:
    """(status, JSON body) of one request with a bearer token."""
    request = urllib.request.Request(
        url, method=method, data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with _NO_PROXY.open(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.loads(error.read() or b"null")
