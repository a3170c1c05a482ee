"""The README's quick start, run as written: `scim-sandbox serve` with its options, then its
two curl commands against the printed demo tenant, answering what the README shows."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
QUICK_START = README[README.index("## Quick start"):README.index("## pytest")]
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _blocks(language: str) -> list[str]:
    """The quick start's fenced blocks opened with ```<language> ("" for a bare fence)."""
    found: list[str] = []
    current: list[str] | None = None
    opened = ""
    for line in QUICK_START.splitlines():
        if line.startswith("```") and current is None:
            current, opened = [], line[3:].strip()
        elif line.startswith("```"):
            if opened == language:
                found.append("\n".join(current) + "\n")
            current = None
        elif current is not None:
            current.append(line)
    return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _json_documents(text: str) -> list[Any]:
    """The JSON answers curl printed one after the other (a POST's has no final newline)."""
    decoder, found, at = json.JSONDecoder(), [], 0
    while at < len(text.rstrip()):
        while text[at].isspace():
            at += 1
        value, at = decoder.raw_decode(text, at)
        found.append(value)
    return found


def _shape(value: Any) -> Any:
    """Keys and nesting without the values that change from run to run."""
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_shape(item) for item in value]
    return type(value).__name__


class Served:
    """A running `scim-sandbox serve`; `output()` stops it and returns what it printed."""

    def __init__(self, process: subprocess.Popen[str], port: int) -> None:
        self.process, self.port = process, port
        self._output: str | None = None

    def output(self) -> str:
        if self._output is None:
            self.process.terminate()
            self._output = self.process.communicate(timeout=20)[0]
        return self._output


@pytest.fixture
def served() -> Iterator[Served]:
    """`scim-sandbox serve` started with the README's options, on a free port."""
    serve = _blocks("sh")[0].strip()
    assert serve.startswith("scim-sandbox serve --port 8000 "), serve
    port = _free_port()
    args = serve.split()[2:]
    args[args.index("8000")] = str(port)
    # Output is read only once the server has stopped, so no format change can hang the test.
    process = subprocess.Popen([sys.executable, "-m", "sandbox", "serve", *args],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    server = Served(process, port)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                NO_PROXY.open(f"http://127.0.0.1:{port}/_sandbox/health", timeout=2)
                break
            except OSError:
                assert process.poll() is None, server.output()
                assert time.monotonic() < deadline, "the server did not answer"
                time.sleep(0.05)
        yield server
    finally:
        printed = server.output()
    assert "Traceback" not in printed, printed


def test_serve_prints_the_tenant_lines_the_readme_shows(served):
    port, printed = served.port, served.output()
    shown = _blocks("")[0].replace("localhost:8000", f"localhost:{port}")
    squeeze = lambda text: re.sub(r"\s+", " ", text).strip()  # noqa: E731
    assert squeeze(shown) in squeeze(printed), printed


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_the_quick_start_curls_create_ann_and_find_her(served):
    port = served.port
    commands = _blocks("sh")[1].replace("localhost:8000", f"127.0.0.1:{port}")
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    run = subprocess.run(["bash", "-euo", "pipefail", "-c", "curl() { command curl -sS "
                          "--fail-with-body \"$@\"; }\n" + commands],
                         capture_output=True, text=True, env=env, timeout=60)
    assert run.returncode == 0, run.stderr + run.stdout
    created, found = _json_documents(run.stdout)
    assert created["userName"] == "ann" and created["id"]
    assert found["totalResults"] == 1
    assert [(u["id"], u["userName"]) for u in found["Resources"]] == [(created["id"], "ann")]
    shown = json.loads(_blocks("json")[0])
    assert _shape(found) == _shape(shown)
    assert (shown["Resources"][0]["meta"]["location"].rsplit("/Users/", 1)[0]
            == found["Resources"][0]["meta"]["location"].rsplit("/Users/", 1)[0]
            .replace(f"127.0.0.1:{port}", "localhost:8000"))
