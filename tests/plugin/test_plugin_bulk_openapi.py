"""/Bulk and the admin API's OpenAPI description through the pytest fixtures, as an outside
project's tests would use them."""

from __future__ import annotations


def test_an_outside_suite_sends_a_bulk_request_to_a_generic_tenant(pytester, run_inner):
    pytester.makepyfile("""
        BULK = "urn:ietf:params:scim:api:messages:2.0:BulkRequest"

        def test_bulk(scim_tenant):
            tenant = scim_tenant("generic")
            answer = tenant.client.post("/Bulk", json={"schemas": [BULK], "Operations": [
                {"method": "POST", "path": "/Groups", "bulkId": "g",
                 "data": {"displayName": "Guides", "members": [{"value": "bulkId:a"}]}},
                {"method": "POST", "path": "/Users", "bulkId": "a",
                 "data": {"userName": "alice"}},
            ]})
            assert answer.status_code == 200
            assert [op["status"] for op in answer.json()["Operations"]] == ["201", "201"]
            [alice] = tenant.users()
            assert tenant.group("Guides")["members"][0]["value"] == alice["id"]
            tenant.assert_received("bulk", times=1)
            tenant.assert_not_received("create user")

        def test_no_bulk_on_a_vendor(scim_tenant):
            tenant = scim_tenant("olfeo")
            answer = tenant.client.post("/Bulk", json={"schemas": [BULK], "Operations": []})
            assert answer.status_code == 404
    """)
    run_inner().assert_outcomes(passed=2)


def test_an_outside_suite_reads_the_admin_api_description(pytester, run_inner):
    pytester.makepyfile("""
        def test_openapi(scim_sandbox):
            admin = scim_sandbox.admin_client()
            spec = admin.get("/openapi.json").json()
            assert spec["openapi"] == "3.1.0"
            assert "post" in spec["paths"]["/_sandbox/tenants"]
            assert "/_sandbox/tenants/{tenant_id}/faults" in spec["paths"]
    """)
    run_inner().assert_outcomes(passed=1)
