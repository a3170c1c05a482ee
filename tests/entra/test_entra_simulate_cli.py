"""`scim-sandbox simulate` against a live sandbox on a loopback port (waitress in a thread),
through the network transport, as a developer would run it against their own endpoint."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner
from scim_client import ADMIN_TOKEN, make_app

from sandbox.cli.simulate import simulate
from sandbox.testing.server import LiveServer


@pytest.fixture(scope="module")
def live() -> Iterator[LiveServer]:
    server = LiveServer(make_app())
    yield server
    server.stop()


def admin(live: LiveServer, method: str, path: str, body: Any = None) -> Any:
    request = urllib.request.Request(
        live.url + path, method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {ADMIN_TOKEN}", "Content-Type": "application/json"})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=10) as answer:
        return json.loads(answer.read())


def tenant(live: LiveServer, vendor: str) -> dict[str, Any]:
    made = admin(live, "POST", "/_sandbox/tenants", {"vendor": vendor})
    assert made["tenant_url"].startswith(live.url), made
    return made


def run(*args: str) -> Any:
    return CliRunner().invoke(simulate, list(args), catch_exceptions=False)


def test_prints_the_provisioning_log_and_exits_0(live):
    made = tenant(live, "olfeo")
    result = run("--tenant-url", made["tenant_url"], "--token", made["token"],
                 "--vendor", "olfeo", "--users", "5", "--groups", "1", "--cycles", "2")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Test Connection: Success." in out
    assert "Cycle 1 (initial)" in out and "Cycle 2 (incremental)" in out
    assert out.count("Create  Success") == 5  # 4 users and the group
    assert "Default Access" in out
    assert "Disable Success" in out and "Delete  Success" in out
    assert "Failure" not in out
    journal = admin(live, "GET", f"/_sandbox/tenants/{made['id']}/journal")["entries"]
    labels = [e["operation"] for e in journal]
    assert labels[0] == "test connection"
    assert labels.count("create user") == 4 and labels[-3:] == ["disable user", "update user",
                                                                "delete user"]


def test_a_bad_token_exits_1(live):
    made = tenant(live, "generic")
    result = run("--tenant-url", made["tenant_url"], "--token", "wrong")
    assert result.exit_code == 1
    assert "Test Connection: Failure." in result.output
    assert "invalid credentials" in result.output
    assert "SystemForCrossDomainIdentityManagementCredentialValidationUnavailable" in (
        result.output)
    assert "Cycle 1" not in result.output


def test_json_lines_with_the_flag(live):
    made = tenant(live, "veritas")
    result = run("--tenant-url", made["tenant_url"] + "?aadOptscim062020", "--token",
                 made["token"], "--vendor", "veritas", "--users", "3", "--json")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert lines[0] == {"event": "vendor", "id": "veritas",
                        "name": "Veritas Enterprise Vault.cloud", "taken_from": "--vendor"}
    assert lines[1]["event"] == "test_connection" and lines[1]["ok"] is True
    logs = [line for line in lines if line["event"] == "log"]
    assert [(e["action"], e["status"]) for e in logs] == [("Create", "Success")] * 3
    assert lines[-1] == {"event": "cycle", "cycle": 1, "requests": 6,
                         "counts": {"Create": {"Success": 3}}}


def test_object_failures_are_reported_and_exit_3(live):
    made = tenant(live, "generic")
    admin(live, "POST", f"/_sandbox/tenants/{made['id']}/faults",
          {"operation": "create user", "status": 500, "times": 1, "detail": "Boom."})
    result = run("--tenant-url", made["tenant_url"], "--token", made["token"], "--users", "2")
    assert result.exit_code == 3, result.output
    assert "Failure" in result.output
    assert "Error code: SystemForCrossDomainIdentityManagementServiceUnavailable" in (
        result.output)
    assert "Detail: Boom." in result.output


def test_unreachable_endpoint_exits_1():
    result = run("--tenant-url", "http://127.0.0.1:9/scim", "--token", "t", "--timeout", "2")
    assert result.exit_code == 1
    assert "Unable to connect" in result.output


def test_an_unknown_vendor_is_a_usage_error():
    result = run("--tenant-url", "http://127.0.0.1:9/scim", "--token", "t", "--vendor", "nope")
    assert result.exit_code == 2
    assert "unknown vendor 'nope'" in result.output
