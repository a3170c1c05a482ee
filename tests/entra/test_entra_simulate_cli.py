"""`scim-sandbox simulate` against a live sandbox on a loopback port (waitress in a thread),
through the network transport, as a developer would run it against their own endpoint."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner
from scim_client import live_admin

from sandbox.cli.simulate import simulate
from sandbox.testing.server import LiveServer


def tenant(live: LiveServer, vendor: str) -> dict[str, Any]:
    made = live_admin(live.url, "POST", "/_sandbox/tenants", {"vendor": vendor})
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
    journal = live_admin(live.url, "GET", f"/_sandbox/tenants/{made['id']}/journal")["entries"]
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
                         "counts": {"Create": {"Success": 3}}, "staged": 0, "escrow": 0,
                         "quarantine": None}


def test_object_failures_are_reported_and_exit_3(live):
    made = tenant(live, "generic")
    live_admin(live.url, "POST", f"/_sandbox/tenants/{made['id']}/faults",
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


def test_on_demand_provisions_one_user_with_entra_s_steps(live):
    """Microsoft's on-demand page: Import user, Determine if user is in scope, Match user
    between source and target system, Perform action; one user, no cycle."""
    made = tenant(live, "generic")
    result = run("--tenant-url", made["tenant_url"], "--token", made["token"], "--users", "3",
                 "--on-demand", "Matthew Henry")
    assert result.exit_code == 0, result.output
    out = result.output
    for title in ("[Success] Import user", "[Success] Determine if user is in scope",
                  "[Success] Match user between source and target system",
                  "[Success] Perform action: Create success."):
        assert title in out, out
    assert "Cycle 1" not in out and '"userName": "matthew.henry2@example.com"' in out
    journal = live_admin(live.url, "GET", f"/_sandbox/tenants/{made['id']}/journal")["entries"]
    # Test Connection probes /Users and /Groups (generic has groups), shown only on failure.
    assert [e["operation"] for e in journal] == ["test connection", "test connection",
                                                 "match query", "create user"]
    assert journal[-1]["request"]["body"]["userName"] == "matthew.henry2@example.com"


def test_on_demand_json_and_an_out_of_scope_user(live):
    made = tenant(live, "generic")
    result = run("--tenant-url", made["tenant_url"], "--token", made["token"], "--users", "3",
                 "--scope-filter", "department EQUALS Sales", "--on-demand",
                 "matthew.henry2@example.com", "--json")
    assert result.exit_code == 0, result.output
    (event,) = [json.loads(line) for line in result.output.splitlines()
                if json.loads(line)["event"] == "on_demand"]
    assert [(s["title"], s["status"]) for s in event["steps"]] == [
        ("Import user", "Success"), ("Determine if user is in scope", "Skipped")]
    scope = event["steps"][1]["details"]
    assert scope["Scoping filters"] == [{"filter": "department EQUALS Sales",
                                         "passes": False}]
    journal = live_admin(live.url, "GET", f"/_sandbox/tenants/{made['id']}/journal")["entries"]
    assert "create user" not in [e["operation"] for e in journal]


def test_on_demand_of_an_unknown_user_exits_3(live):
    made = tenant(live, "generic")
    result = run("--tenant-url", made["tenant_url"], "--token", made["token"],
                 "--on-demand", "nobody@example.com")
    assert result.exit_code == 3, result.output
    assert "[Failure] Import user: 'nobody@example.com' is not in the source directory" in (
        result.output)


def test_changes_before_the_second_cycle_send_entra_s_deprovisioning(live):
    """Microsoft's "How application provisioning works", Deprovisioning: soft delete and
    unassign disable (active false), a hard delete deletes."""
    made = tenant(live, "generic")
    result = run("--tenant-url", made["tenant_url"], "--token", made["token"], "--users", "4",
                 "--cycles", "2", "--change", "soft-delete:chloe.santana1@example.com",
                 "--change", "unassign:Matthew Henry",
                 "--change", "hard-delete:matthew.scott3@example.com")
    assert result.exit_code == 0, result.output
    assert ("soft-deleted chloe.santana1@example.com (in the recycle bin); unassigned "
            "matthew.henry2@example.com from the application; deleted "
            "matthew.scott3@example.com from the directory for good") in result.output
    journal = live_admin(live.url, "GET", f"/_sandbox/tenants/{made['id']}/journal")["entries"]
    second = [e for e in journal if e["operation"] in ("disable user", "delete user")]
    assert [e["operation"] for e in second] == ["disable user", "disable user", "delete user"]
    for entry in second[:2]:
        assert entry["request"]["body"] == {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "Replace", "path": "active", "value": "False"}]}


def test_a_deletion_threshold_stages_the_removals_and_quarantines(live):
    """"Enable accidental deletions prevention": above the threshold nothing is removed and
    the job goes into quarantine (TooManyDeletes)."""
    made = tenant(live, "generic")
    result = run("--tenant-url", made["tenant_url"], "--token", made["token"], "--users", "5",
                 "--cycles", "2", "--deletion-threshold", "1")
    assert result.exit_code == 0, result.output
    assert "Summary: StagedDelete: 3 Skipped" in result.output
    assert ("Quarantine: Provisioning has been quarantined. See quarantine details for more "
            "information.") in result.output
    assert "Reason: TooManyDeletes." in result.output
    journal = live_admin(live.url, "GET", f"/_sandbox/tenants/{made['id']}/journal")["entries"]
    assert not {"disable user", "delete user"} & {e["operation"] for e in journal}


def test_refused_requests_quarantine_the_job_and_say_so(live):
    """Most requests refused (401): quarantine, EncounteredQuarantineException."""
    made = tenant(live, "generic")
    live_admin(live.url, "POST", f"/_sandbox/tenants/{made['id']}/faults",
          {"operation": "match query", "status": 401, "times": 10, "detail": "No entry."})
    result = run("--tenant-url", made["tenant_url"], "--token", made["token"], "--users", "3",
                 "--groups", "0", "--json")
    assert result.exit_code == 3, result.output
    cycle = [json.loads(line) for line in result.output.splitlines()][-1]
    assert cycle["event"] == "cycle" and cycle["escrow"] == 3
    assert cycle["quarantine"]["reason"] == "EncounteredQuarantineException"
    assert cycle["quarantine"]["status_text"].startswith("Provisioning has been quarantined")


@pytest.mark.parametrize(("args", "words"), [
    (("--on-demand", "x", "--cycles", "2"), "--on-demand provisions one user without a cycle"),
    (("--change", "disable:x"), "--change happens before the second cycle"),
    (("--cycles", "2", "--change", "vanish:x"), "is not ACTION:USER"),
    (("--cycles", "2", "--change", "disable:nobody"), "no user 'nobody'"),
    (("--scope-filter", "department EQUALZ Sales"), "no scoping operator"),
    (("--scope-filter", "shoeSize IS NULL"), "'shoeSize' is not a source attribute"),
])
def test_options_that_cannot_work_are_usage_errors(live, args, words):
    made = tenant(live, "generic")
    result = CliRunner().invoke(simulate, ["--tenant-url", made["tenant_url"], "--token",
                                           made["token"], *args])
    assert result.exit_code == 2, result.output
    assert words in result.output
    assert "Traceback" not in result.output
