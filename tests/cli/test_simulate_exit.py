"""`scim-sandbox simulate` says by its exit status how the run went: 0 all well, 1 Test
Connection failed, 2 a bad option, 3 some provisioning action failed; `--json` too."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from cli_support import ADMIN_TOKEN, Served, assert_error, call, run_cli, serve


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    server = serve(tmp_path_factory.mktemp("simulate") / "sandbox.json")
    yield server
    server.stop()


def tenant(served: Served, fail_creates: int = 0) -> dict[str, Any]:
    status, made = call(f"{served.url}/_sandbox/tenants", ADMIN_TOKEN, "POST",
                        {"vendor": "generic"})
    assert status == 201, made
    if fail_creates:
        status, fault = call(f"{served.url}/_sandbox/tenants/{made['id']}/faults", ADMIN_TOKEN,
                             "POST", {"method": "POST", "resource_type": "User", "status": 400,
                                      "scim_type": "invalidValue", "times": fail_creates,
                                      "detail": "refused by a test fault"})
        assert status == 201, fault
    return made


def simulate(made: dict[str, Any], *args: str) -> Any:
    return run_cli("simulate", "--tenant-url", made["tenant_url"], "--token", made["token"],
                   "--users", "4", *args)


def test_a_clean_run_exits_0(served):
    result = simulate(tenant(served))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Create  Success" in result.stdout and "Failure" not in result.stdout


def test_a_failed_create_exits_3_and_says_so(served):
    result = simulate(tenant(served, fail_creates=2))
    assert result.returncode == 3, result.stdout + result.stderr
    assert result.stdout.count("Create  Failure") == 2, result.stdout
    assert "refused by a test fault" in result.stdout
    assert "2 action(s) failed; exit status 3." in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_a_failure_in_a_later_cycle_counts_too(served):
    made = tenant(served)
    status, _ = call(f"{served.url}/_sandbox/tenants/{made['id']}/faults", ADMIN_TOKEN, "POST",
                     {"method": "DELETE", "status": 500, "detail": "refused by a test fault"})
    assert status == 201
    result = simulate(made, "--cycles", "2")
    assert result.returncode == 3, result.stdout + result.stderr
    assert "Cycle 2 (incremental)" in result.stdout and "Delete  Failure" in result.stdout


def test_json_mode_exits_3_with_only_json_on_stdout(served):
    result = simulate(tenant(served, fail_creates=1), "--json")
    assert result.returncode == 3, result.stdout + result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    failed = [e for e in events if e["event"] == "log" and e["status"] == "Failure"]
    assert len(failed) == 1 and failed[0]["action"] == "Create"


def test_json_mode_exits_0_on_a_clean_run(served):
    result = simulate(tenant(served), "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert all(json.loads(line) for line in result.stdout.splitlines())


def test_a_refused_token_still_exits_1(served):
    made = tenant(served)
    result = simulate({**made, "token": "not-the-token"})
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Test Connection: Failure." in result.stdout


@pytest.mark.parametrize("url", ["notaurl", "ftp://example.com/scim", "http:///scim",
                                 "https://example.com:99999/scim", "http://[::1/scim",
                                 "example.com/scim"])
def test_a_tenant_url_that_is_not_http_with_a_host_is_a_usage_error(url):
    result = run_cli("simulate", "--tenant-url", url, "--token", "t")
    assert_error(result, 2, "--tenant-url", repr(url), "http(s)")
    assert "Test Connection" not in result.stdout


def test_help_names_the_exit_statuses():
    result = run_cli("simulate", "--help")
    assert result.returncode == 0
    for line in ("0  Test Connection succeeded", "1  Test Connection failed",
                 "2  usage error",
                 "3  the cycles ran (or the on-demand run), but at least one action failed"):
        assert line in result.stdout, result.stdout
