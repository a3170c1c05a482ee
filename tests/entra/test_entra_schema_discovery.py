"""`GET /Schemas` read as mapping targets (Microsoft's SCIM endpoint tutorial, "/Schemas
(Schema discovery)": discovery adds target attributes to the mapping editor)."""

from __future__ import annotations

from sandbox.entra.schema_discovery import discover

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


def test_a_sandbox_tenant_s_schemas_become_targets(tenant_of, engine_for, journal):
    tenant = tenant_of("generic")
    found = discover(engine_for(tenant))
    assert found.problem is None and found.http_status == 200
    assert {"userName", "displayName", "name.givenName", 'emails[type eq "work"].value',
            f"{ENTERPRISE}:department"} <= set(found.users)
    assert "id" not in found.users  # read-only: no mapping writes it
    assert "displayName" in found.groups
    (entry,) = journal(tenant)
    assert (entry["method"], entry["path"].rsplit("/", 1)[-1]) == ("GET", "Schemas")


def test_an_endpoint_without_schemas_says_so(tenant_of, engine_for):
    tenant = tenant_of("generic")
    tenant.url = tenant.url.rstrip("/") + "/nowhere"
    found = discover(engine_for(tenant))
    assert found.count == 0 and found.http_status == 404
    assert "/Schemas gave no SCIM ListResponse (HTTP 404)" in found.problem
