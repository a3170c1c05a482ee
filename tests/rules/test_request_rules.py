"""Rules on requests rather than values: no_filter_on, rate_limit, and the two kinds with no
behaviour of their own at the endpoint, schema_discovery and other."""

from __future__ import annotations

from scim_client import ENTERPRISE, admin_headers, new_tenant


def test_no_filter_on_refuses_a_filter_on_the_attribute(rule_tenant, scim_error):
    tenant = rule_tenant("no_filter_on")
    tenant.create_user("ada@example.com", externalId="ext-1")
    for text in ('userName eq "ada@example.com"', 'externalId eq "x" or userName sw "a"',
                 'urn:ietf:params:scim:schemas:core:2.0:User:userName eq "ada@example.com"'):
        body = scim_error(tenant.get("/Users", query_string={"filter": text}), 400,
                          "invalidFilter")
        assert "userName" in body["detail"] and "no_filter_on" in body["detail"]
    assert [u["externalId"] for u in tenant.search('externalId eq "ext-1"')] == ["ext-1"]


def test_no_filter_on_applies_to_searches_too(rule_tenant, scim_error):
    tenant = rule_tenant("no_filter_on")
    response = tenant.post("/Users/.search", {"filter": 'userName eq "ada@example.com"'})
    scim_error(response, 400, "invalidFilter")


def _rate_tenant(client):
    return new_tenant(client, "rule-rate-limit")  # 3 requests in 10 seconds


def test_rate_limit_answers_429_with_retry_after_past_the_rate(clocked_client, clock,
                                                               scim_error):
    tenant = _rate_tenant(clocked_client)
    for _ in range(3):
        assert tenant.get("/Users").status_code == 200
    response = tenant.get("/Users")
    body = scim_error(response, 429)
    assert response.headers["Retry-After"] == "10"
    assert "rate_limit" in body["detail"] and "3" in body["detail"]
    clock.advance(4)
    assert tenant.get("/Users").headers["Retry-After"] == "6"
    clock.advance(6)
    assert tenant.get("/Users").status_code == 200


def test_rate_limit_counts_each_tenant_apart(clocked_client):
    first, second = _rate_tenant(clocked_client), _rate_tenant(clocked_client)
    for _ in range(3):
        first.get("/Users")
    assert first.get("/Users").status_code == 429
    assert second.get("/Users").status_code == 200


def test_rate_limit_refusals_are_journalled(clocked_client, clock):
    tenant = _rate_tenant(clocked_client)
    for _ in range(4):
        tenant.get("/Users")
    journal = clocked_client.get(f"/_sandbox/tenants/{tenant.id}/journal",
                                 headers=admin_headers()).get_json()["entries"]
    assert [entry["status"] for entry in journal] == [200, 200, 200, 429]


def test_rate_limit_spares_the_admin_api(clocked_client):
    tenant = _rate_tenant(clocked_client)
    for _ in range(5):
        response = clocked_client.get(f"/_sandbox/tenants/{tenant.id}", headers=admin_headers())
        assert response.status_code == 200


def test_schema_discovery_lists_the_extension_attributes(rule_tenant):
    tenant = rule_tenant("schema_discovery")
    schemas = {s["id"]: s for s in tenant.list("/Schemas")["Resources"]}
    names = {a["name"] for a in schemas[ENTERPRISE]["attributes"]}
    assert {"employeeNumber", "department", "manager"} <= names


def test_other_changes_nothing_at_the_endpoint(rule_tenant, client, admin):
    tenant = rule_tenant("other")
    uid = tenant.create_user("ada@example.com", active=True)["id"]
    assert tenant.patch_ops(f"/Users/{uid}",
                            {"op": "Replace", "path": "active", "value": False}).status_code == 200
    assert tenant.delete(f"/Users/{uid}").status_code == 204
    assert tenant.get(f"/Users/{uid}").status_code == 404
    vendors = client.get("/_sandbox/vendors", headers=admin).get_json()["vendors"]
    other = next(v for v in vendors if v["id"] == "rule-other")
    assert other["rules"][0]["summary"].startswith("Users must sign in once")
