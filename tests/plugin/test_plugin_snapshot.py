"""`scim_tenant(vendor, snapshot="file.json")` from an outside project: a test's tenant starts
from a snapshot file the admin API wrote (one tenant's, or the whole sandbox's)."""

from __future__ import annotations

import json

from scim_client import admin_headers, make_app, new_tenant


def _write_snapshots(directory):
    """`acme.json` (one generic tenant's snapshot: ann in group staff, a rate limit) and
    `sandbox.json` (a whole sandbox: that tenant and an Olfeo one)."""
    client = make_app().test_client()
    tenant = new_tenant(client, rate_limit={"requests": 2, "per_seconds": 60})
    ann = tenant.create_user("ann")
    tenant.create_group("staff", [ann["id"]])
    new_tenant(client, "olfeo")
    one = client.get(f"/_sandbox/tenants/{tenant.id}/snapshot", headers=admin_headers())
    (directory / "acme.json").write_text(json.dumps(one.get_json()))
    whole = client.get("/_sandbox/snapshot", headers=admin_headers())
    (directory / "sandbox.json").write_text(json.dumps(whole.get_json()))
    return ann


def test_a_tenant_starts_from_a_snapshot_file(pytester, run_inner):
    ann = _write_snapshots(pytester.path)
    pytester.makepyfile(f"""
        import pytest

        @pytest.mark.parametrize("file", ["acme.json", "sandbox.json"])
        def test_from_file(scim_tenant, file):
            tenant = scim_tenant("generic", snapshot=file)
            assert [u["id"] for u in tenant.users()] == ["{ann['id']}"]
            assert tenant.groups()[0]["members"][0]["value"] == "{ann['id']}"
            assert tenant.service.record["rate_limit"] == {{"requests": 2, "per_seconds": 60}}

        def test_each_test_gets_its_own_copy(scim_tenant):
            first = scim_tenant("generic", snapshot="acme.json")
            second = scim_tenant("generic", snapshot="acme.json")
            assert first.id != second.id and first.token != second.token
            first.client.delete("/Users/{ann['id']}")
            assert len(second.users()) == 1

        def test_seeding_adds_to_the_snapshot(scim_tenant):
            tenant = scim_tenant("generic", snapshot="acme.json", seed_users=3)
            assert len(tenant.users()) == 4
    """)
    run_inner().assert_outcomes(passed=4)


def test_a_file_that_does_not_fit_is_a_clear_error_and_no_tenant_is_left(pytester, run_inner):
    _write_snapshots(pytester.path)
    pytester.makepyfile("""
        import pytest

        def test_wrong_vendor(scim_tenant, scim_sandbox):
            with pytest.raises(ValueError, match="scim_tenant\\\\('generic'"):
                scim_tenant("olfeo", snapshot="acme.json")
            assert scim_sandbox.registry.tenants() == []

        def test_vendor_missing_from_a_whole_sandbox(scim_tenant, scim_sandbox):
            with pytest.raises(ValueError, match="no 'veritas' tenants"):
                scim_tenant("veritas", snapshot="sandbox.json")
            assert scim_sandbox.registry.tenants() == []

        def test_missing_file(scim_tenant, scim_sandbox):
            with pytest.raises(ValueError, match="cannot read the snapshot file"):
                scim_tenant("generic", snapshot="nope.json")
            assert scim_sandbox.registry.tenants() == []
    """)
    run_inner().assert_outcomes(passed=3)
