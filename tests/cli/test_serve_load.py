"""`scim-sandbox serve --load FILE`: start from a whole-sandbox snapshot; a missing or bad file
is one `Error:` line and exit status 2."""

from __future__ import annotations

import json

from cli_support import ADMIN_TOKEN, assert_error, call, free_port, run_cli, serve
from scim_client import make_app, new_tenant


def _snapshot_file(tmp_path):
    """A snapshot of a sandbox with one generic tenant ("acme", token acme-secret-1) that
    holds one user, written to a file."""
    client = make_app().test_client()
    tenant = new_tenant(client, id="acme", token="acme-secret-1",
                        rate_limit={"requests": 25, "per_seconds": 1})
    tenant.create_user("ann")
    document = client.get("/_sandbox/snapshot",
                          headers={"Authorization": "Bearer admin-secret"}).get_json()
    path = tmp_path / "snapshot.json"
    path.write_text(json.dumps(document))
    return path


def test_load_serves_the_snapshots_tenants_with_the_secrets_they_had(tmp_path):
    path = _snapshot_file(tmp_path)
    served = serve(tmp_path / "data.json", "--load", str(path))
    try:
        assert "(as when the snapshot was taken)" in served.banner
        status, body = call(f"{served.url}/generic/acme/scim/v2/Users", "acme-secret-1")
        assert status == 200 and [u["userName"] for u in body["Resources"]] == ["ann"]
        status, body = call(f"{served.url}/_sandbox/tenants", ADMIN_TOKEN)
        assert [t["id"] for t in body["tenants"]] == ["acme"]  # the demo tenants gave way
        assert body["tenants"][0]["rate_limit"] == {"requests": 25, "per_seconds": 1}
    finally:
        served.stop()


def test_a_missing_file_is_a_usage_error(tmp_path):
    missing = tmp_path / "nope.json"
    result = run_cli("serve", "--port", str(free_port()), "--load", str(missing))
    assert_error(result, 2, "--load", str(missing))
    assert "listening on" not in result.stdout


def test_a_file_that_is_not_json_is_a_usage_error(tmp_path):
    path = tmp_path / "snapshot.json"
    path.write_text("{not json")
    result = run_cli("serve", "--port", str(free_port()), "--load", str(path))
    assert_error(result, 2, "--load", "not a JSON snapshot")


def test_a_snapshot_the_sandbox_refuses_is_a_usage_error_and_the_data_file_keeps_its_tenants(
        tmp_path):
    data = tmp_path / "data.json"
    first = serve(data, "--token", "demo-token-123")
    first.stop()
    path = _snapshot_file(tmp_path)
    document = json.loads(path.read_text())
    document["tenants"][0]["tenant"]["vendor"] = "no-such-vendor"
    path.write_text(json.dumps(document))
    result = run_cli("serve", "--port", str(free_port()), "--admin-token", ADMIN_TOKEN,
                     "--data", str(data), "--load", str(path))
    assert_error(result, 2, "--load", "no-such-vendor", "Nothing was restored")
    again = serve(data, "--token", "demo-token-123")
    try:
        status, body = call(f"{again.url}/_sandbox/tenants", ADMIN_TOKEN)
        assert status == 200
        assert "acme" not in [t["id"] for t in body["tenants"]]
        assert "generic-demo" in [t["id"] for t in body["tenants"]]
    finally:
        again.stop()


def test_load_and_seed_users_do_not_go_together(tmp_path):
    path = _snapshot_file(tmp_path)
    result = run_cli("serve", "--port", str(free_port()), "--load", str(path),
                     "--seed-users", "5")
    assert_error(result, 2, "--load", "--seed-users")
