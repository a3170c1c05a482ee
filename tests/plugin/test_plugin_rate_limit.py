"""A tenant's `rate_limit` setting from an outside project: set through the admin client of
`scim_sandbox`, counted on the clock that `scim_clock` moves."""

from __future__ import annotations


def test_a_rate_limited_tenant_under_a_frozen_clock(pytester, run_inner):
    pytester.makepyfile("""
        def test_rate(scim_tenant, scim_sandbox, scim_clock):
            scim_clock.freeze("2030-01-01T09:00:00Z")
            tenant = scim_tenant()
            admin = scim_sandbox.admin_client()
            answer = admin.patch(f"/tenants/{tenant.id}",
                                 json={"rate_limit": {"requests": 2, "per_seconds": 10}})
            assert answer.status_code == 200, answer.text
            assert answer.json()["rate_limit"] == {"requests": 2, "per_seconds": 10}
            assert [tenant.client.get("/Users").status_code for _ in range(2)] == [200, 200]
            scim_clock.advance(4)
            refused = tenant.client.get("/Users")
            assert refused.status_code == 429 and refused.headers["Retry-After"] == "6"
            scim_clock.advance(6)
            assert tenant.client.get("/Users").status_code == 200

        def test_a_bad_value_names_the_field(scim_tenant, scim_sandbox):
            tenant = scim_tenant()
            answer = scim_sandbox.admin_client().patch(
                f"/tenants/{tenant.id}", json={"rate_limit": {"requests": 0, "per_seconds": 1}})
            assert answer.status_code == 400 and "rate_limit.requests" in answer.json()["detail"]
    """)
    run_inner().assert_outcomes(passed=2)


def test_the_whole_sandbox_snapshot_from_the_admin_client(pytester, run_inner):
    pytester.makepyfile("""
        import hashlib
        import json

        def test_snapshot(scim_tenant, scim_sandbox):
            tenant = scim_tenant("olfeo", token="olfeo-secret-123")
            admin = scim_sandbox.admin_client()
            document = admin.get("/snapshot").json()
            assert "olfeo-secret-123" not in json.dumps(document)
            (entry,) = [e for e in document["tenants"] if e["tenant"]["id"] == tenant.id]
            digest = hashlib.sha256(b"olfeo-secret-123").hexdigest()
            assert entry["tenant"]["token_sha256"] == digest
            assert admin.put("/snapshot", json=document).status_code == 200
            assert tenant.client.get("/Users").status_code == 200  # the same secret opens it
    """)
    run_inner().assert_outcomes(passed=1)
