"""`scim-sandbox serve` announces the console, and the console answers at that address."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_serve_prints_the_console_url_and_the_console_answers_there():
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--admin-token", "serve-console-admin-token"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        for line in process.stdout:
            lines.append(line)
            if line.startswith("Demo tenants"):
                break
        printed = "".join(lines)
        found = re.search(r"^Console:\s+(http://\S+)\s+\(sign in with the admin token\)$",
                          printed, re.M)
        assert found, printed
        console_url = found.group(1)
        assert console_url == f"http://localhost:{port}/"
        opener = urllib.request.build_opener(_NoRedirect)
        deadline = time.monotonic() + 30  # it listens just after printing the demo tenants
        while True:
            try:
                opener.open(console_url.replace("localhost", "127.0.0.1"), timeout=2)
            except urllib.error.HTTPError as answer:
                assert answer.code == 302
                assert answer.headers["Location"].startswith("/console/login")
                break
            except OSError:
                assert time.monotonic() < deadline, "the console did not answer"
                time.sleep(0.05)
        login = urllib.request.urlopen(f"http://127.0.0.1:{port}/console/login", timeout=5)
        assert "Sign in to the training console" in login.read().decode()
    finally:
        process.terminate()
        process.wait(timeout=20)
        process.stdout.close()
