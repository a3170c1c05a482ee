"""The wheel, installed into a clean virtual environment, runs the image's command: it serves,
answers SCIM, finds its bundled vendor profiles and seed data, and stops cleanly on SIGTERM.

This is what the Docker image does with `pip install .`, checked without Docker. Building the
wheel and installing its dependencies from the package index takes some seconds, so it is done
once for the module.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from sandbox.testing.containers import http_json

REPO = Path(__file__).resolve().parents[1]
TOKEN = "wheel-demo-token"
ADMIN_TOKEN = "wheel-admin-token"
VENDORS = ["generic", "olfeo", "vaultplatform", "velpic", "veritas", "visitly"]
USER = "urn:ietf:params:scim:schemas:core:2.0:User"


@dataclass
class Server:
    process: subprocess.Popen
    url: str

    def stop(self, timeout: float = 15) -> tuple[int, str]:
        """SIGTERM, as `docker stop` sends it: the exit code and everything printed."""
        self.process.send_signal(signal.SIGTERM)
        output, _ = self.process.communicate(timeout=timeout)
        return self.process.returncode, output


def run(*command: str | Path, cwd: Path) -> None:
    result = subprocess.run([str(c) for c in command], cwd=cwd, capture_output=True, text=True,
                            timeout=900, env=_clean_env())
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"


def _clean_env(**extra: str) -> dict[str, str]:
    # Nothing of this checkout may leak into the installed copy (no PYTHONPATH, no venv).
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return {**env, "PYTHONDONTWRITEBYTECODE": "1", **extra}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def call(method: str, url: str, token: str, body: Any = None) -> tuple[int, Any]:
    return http_json(method, url, body, token)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    run(sys.executable, "-m", "pip", "wheel", REPO, "--no-deps", "-q", "-w", out, cwd=out)
    (built,) = out.glob("scim_sandbox-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clean virtual environment with the wheel (and its dependencies from the index)."""
    root = tmp_path_factory.mktemp("venv")
    run(sys.executable, "-m", "venv", root, cwd=root)
    run(root / "bin" / "pip", "install", "-q", wheel, cwd=root)
    return root


def start(venv: Path, cwd: Path) -> Server:
    """The Docker image's command, run from the venv, from a folder outside the checkout."""
    port = free_port()
    process = subprocess.Popen(
        [str(venv / "bin" / "scim-sandbox"), "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env=_clean_env(SCIM_SANDBOX_TOKEN=TOKEN, SCIM_SANDBOX_ADMIN_TOKEN=ADMIN_TOKEN))
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/_sandbox/health", timeout=1):
                return Server(process, url)
        except OSError:
            if process.poll() is not None:
                raise AssertionError(process.communicate()[0]) from None
            time.sleep(0.05)
    process.kill()
    raise AssertionError(f"the installed server did not start within 30 s\n"
                         f"{process.communicate()[0]}")


@pytest.fixture(scope="module")
def server(venv: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = start(venv, tmp_path_factory.mktemp("run"))
    yield running
    if running.process.poll() is None:
        running.process.kill()
        running.process.communicate()


def test_the_wheel_ships_the_profiles_and_seed_data_and_no_tests(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for vendor in VENDORS:
        assert f"sandbox/_bundled/vendors/{vendor}.toml" in names
    for data in ("cast.json", "recipes.toml", "vocabulary.toml"):
        assert f"sandbox/_bundled/seed/{data}" in names
    assert not [n for n in names if n.startswith("tests/") or "__pycache__" in n]


def test_the_installed_package_is_the_wheels(venv, tmp_path):
    result = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import sandbox; print(sandbox.__file__)"],
        cwd=tmp_path, capture_output=True, text=True, env=_clean_env(), check=True)
    assert Path(result.stdout.strip()).is_relative_to(venv), result.stdout


def test_health(server):
    with urllib.request.urlopen(server.url + "/_sandbox/health", timeout=5) as answer:
        assert (answer.status, json.loads(answer.read())) == (200, {"status": "ok"})


def test_scim_round_trip_on_the_generic_demo_tenant(server):
    users = f"{server.url}/generic/generic-demo/scim/v2/Users"
    status, created = call("POST", users, TOKEN, {"schemas": [USER], "userName": "wheel@x.test"})
    assert status == 201, created
    status, fetched = call("GET", f"{users}/{created['id']}", TOKEN)
    assert status == 200, fetched
    assert fetched["userName"] == "wheel@x.test"


def test_the_bundled_vendors_are_found(server):
    """The six hand-written profiles, and the gallery's records shipped as package data."""
    status, body = call("GET", server.url + "/_sandbox/vendors", ADMIN_TOKEN)
    assert status == 200, body
    ids = {v["id"] for v in body["vendors"]}
    assert set(VENDORS) <= ids
    gallery = [v for v in body["vendors"] if v["gallery"]]
    assert len(gallery) >= 200 and len(ids) == body["totalResults"]


def test_the_console_pages_and_their_assets_are_shipped(server):
    with urllib.request.urlopen(server.url + "/console/login", timeout=5) as answer:
        page = answer.read().decode()
    assert "Sign in to the training console" in page
    with urllib.request.urlopen(server.url + "/console/static/console.css", timeout=5) as answer:
        assert answer.status == 200 and b".vendor-console" in answer.read()


def test_the_bundled_seed_data_is_found(server):
    status, tenant = call("POST", server.url + "/_sandbox/tenants", ADMIN_TOKEN,
                          {"vendor": "olfeo"})
    assert status == 201, tenant
    cast = json.loads((REPO / "seed" / "cast.json").read_text())
    status, seeded = call("POST", f"{server.url}/_sandbox/tenants/{tenant['id']}/seed",
                          ADMIN_TOKEN, {"recipe": "cast"})
    assert status == 200, seeded
    assert seeded["resources"] == {"User": len(cast["users"]), "Group": len(cast["groups"])}
    # A generated directory reads the bundled vocabulary too.
    status, seeded = call("POST", f"{server.url}/_sandbox/tenants/{tenant['id']}/seed",
                          ADMIN_TOKEN, {"users": 5, "groups": 1, "seed": 3})
    assert status == 200, seeded


def test_sigterm_stops_it_cleanly(venv, tmp_path):
    server = start(venv, tmp_path)
    code, output = server.stop()
    assert code == 0, output
    assert "Generic SCIM 2.0" in output and TOKEN in output  # the demo tenants were printed
    assert output.rstrip().endswith("scim-sandbox stopped."), output
