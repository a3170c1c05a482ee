"""What the HTTP benchmarks share: the three servers, pinning, a cheap HTTP client, the peer's venv.

Each server runs as its own process pinned to core 0 (`taskset -c 0`) and is stopped by its
PID; the load comes from another process pinned to core 1 (`bench/http_load.py`). All three
are served by waitress with the same number of threads:

- ours: `scim-sandbox serve`, one `generic` tenant made through the admin API;
- the peer: `scim2-server` (PyPI version PEER_VERSION) in its own venv, `bench/.peer-venv`,
  made here on first use so it never enters this project's dependencies;
- the ceiling: a trivial Flask app that answers every request with a constant JSON body.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
PEER_VERSION = "0.8.3"
PEER_VENV = BENCH / ".peer-venv"
SERVER_CORE = "0"
LOAD_CORE = "1"
THREADS = 4
TOKEN = "bench-token-0123456789"
ADMIN_TOKEN = "bench-admin-0123456789"
SCIM_JSON = "application/scim+json"


# -- the machine ---------------------------------------------------------------------------------


def pinned(argv: list[str], core: str) -> list[str]:
    """`argv` run on one core, when taskset exists (it does on any Linux with util-linux)."""
    return ["taskset", "-c", core, *argv] if shutil.which("taskset") else argv


def machine() -> dict[str, Any]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": model, "python": sys.version.split()[0],
            "pinned": bool(shutil.which("taskset"))}


def rss_mb(pid: int) -> float:
    """Resident memory of a process, in MB (VmRSS)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# -- the peer's own venv -------------------------------------------------------------------------


def peer_python() -> tuple[Path | None, str]:
    """The python of a venv holding scim2-server==PEER_VERSION and waitress, made if missing.

    Returns (None, why) when it cannot be made (e.g. PyPI unreachable)."""
    python = PEER_VENV / "bin" / "python"
    check = [str(python), "-c", "import importlib.metadata as m, waitress; "
             f"assert m.version('scim2-server') == '{PEER_VERSION}'"]
    if python.exists() and subprocess.run(check, capture_output=True).returncode == 0:
        return python, "ok"
    try:
        if not python.exists():
            subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True,
                           capture_output=True, text=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q",
                        f"scim2-server=={PEER_VERSION}", "waitress"],
                       check=True, capture_output=True, text=True, timeout=600)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as error:
        detail = getattr(error, "stderr", "") or str(error)
        return None, f"could not install scim2-server=={PEER_VERSION}: {detail.strip()[-300:]}"
    if subprocess.run(check, capture_output=True).returncode != 0:
        return None, "scim2-server installed but does not import"
    return python, "ok"


# -- servers -------------------------------------------------------------------------------------


@dataclass
class Server:
    """A running server process and where its SCIM endpoints are."""

    name: str
    process: subprocess.Popen
    port: int
    base_path: str = ""  # below which /Users hangs
    preload: int | None = None  # users to preload, when not the run's number
    notes: list[str] = field(default_factory=list)

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self) -> None:
        """SIGTERM by PID, then SIGKILL if it lingers."""
        if self.process.poll() is None:
            os.kill(self.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(self.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def _wait_until_up(process: subprocess.Popen, port: int, path: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                             f"Authorization: Bearer {TOKEN}\r\n\r\n".encode())
                if sock.recv(16).startswith(b"HTTP/1."):
                    return
        except OSError:
            time.sleep(0.02)
    raise RuntimeError("server did not come up")


def _spawn(argv: list[str], port: int, probe: str) -> subprocess.Popen:
    process = subprocess.Popen(pinned(argv, SERVER_CORE), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, cwd=BENCH.parent)
    try:
        _wait_until_up(process, port, probe)
    except BaseException:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
        raise
    return process


def _admin(port: int, method: str, path: str, body: Any = None) -> Any:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {ADMIN_TOKEN}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=600) as response:
        return json.loads(response.read() or b"null")


def start_ours(threads: int = THREADS) -> Server:
    """`scim-sandbox serve` and one empty `generic` tenant, whose token is TOKEN."""
    port = free_port()
    cli = Path(sys.executable).with_name("scim-sandbox")
    argv = [str(cli) if cli.exists() else "scim-sandbox", "serve", "--host", "127.0.0.1",
            "--port", str(port), "--threads", str(threads), "--admin-token", ADMIN_TOKEN]
    process = _spawn(argv, port, "/_sandbox/health")
    server = Server("ours", process, port)
    try:
        made = _admin(port, "POST", "/_sandbox/tenants", {"vendor": "generic", "token": TOKEN})
    except BaseException:
        server.stop()
        raise
    server.base_path = made["tenant_url"].split(f":{port}", 1)[1]
    return server


def start_peer(python: Path, threads: int = THREADS) -> Server:
    port = free_port()
    argv = [str(python), str(BENCH / "serve_peer.py"), "--port", str(port),
            "--threads", str(threads), "--token", TOKEN]
    return Server("peer", _spawn(argv, port, "/v2/ServiceProviderConfig"), port, "/v2")


def start_ceiling(threads: int = THREADS) -> Server:
    port = free_port()
    argv = [sys.executable, str(BENCH / "serve_ceiling.py"), "--port", str(port),
            "--threads", str(threads)]
    return Server("ceiling", _spawn(argv, port, "/"), port, "/scim")


def run_load(servers: list[Server], spec: dict[str, Any]) -> dict[str, Any]:
    """Run `bench/http_load.py` on the load core against `servers`; its final JSON line."""
    targets = [{"name": s.name, "port": s.port, "base": s.base_path, "server_pid": s.pid,
                **({"synthetic": 100} if s.name == "ceiling" else {}),
                **({"preload": s.preload} if s.preload is not None else {}),
                "limited": s.name == "peer"} for s in servers]
    spec = {**spec, "targets": targets, "token": TOKEN}
    argv = pinned([sys.executable, str(BENCH / "http_load.py"), json.dumps(spec)], LOAD_CORE)
    done = subprocess.run(argv, capture_output=True, text=True, cwd=BENCH.parent)
    if done.returncode != 0:
        raise RuntimeError(f"load failed: {done.stderr.strip()[-1500:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a and b else None


def fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.1f}{unit}" if value < 100 else f"{value:,.0f}{unit}"
    return f"{value}{unit}"
