"""Fault injection through the admin API: each kind fires exactly as configured, then stops."""

from __future__ import annotations

import time

import pytest


def add_fault(tenant, admin, **spec):
    response = tenant.client.post(f"/_sandbox/tenants/{tenant.id}/faults", json=spec,
                                  headers=admin)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def faults(tenant, admin):
    return tenant.client.get(f"/_sandbox/tenants/{tenant.id}/faults",
                             headers=admin).get_json()["faults"]


def test_status_fault_answers_the_next_n_matching_requests_then_retires(tenant, admin):
    fault = add_fault(tenant, admin, status=503, times=2, detail="Maintenance window",
                      scim_type="tooMany")
    first = tenant.get("/Users")
    second = tenant.get("/Users")
    third = tenant.get("/Users")
    assert [first.status_code, second.status_code, third.status_code] == [503, 503, 200]
    body = first.get_json()
    assert body["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    assert body["detail"] == "Maintenance window" and body["scimType"] == "tooMany"
    assert faults(tenant, admin)[0]["fired"] == 2
    assert fault["id"].startswith("f-")


def test_429_carries_retry_after(tenant, admin):
    add_fault(tenant, admin, status=429, retry_after=7, times=1)
    response = tenant.get("/Users")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "7"


def test_matching_by_operation_method_resource_type_and_path(tenant, admin):
    add_fault(tenant, admin, status=500, operation="create user")
    add_fault(tenant, admin, status=502, method="DELETE", resource_type="Group")
    add_fault(tenant, admin, status=504, path=r"/Users/only-this$")
    assert tenant.post("/Users", {"userName": "ann"}).status_code == 500
    group = tenant.create_group("g")
    assert tenant.delete(f"/Groups/{group['id']}").status_code == 502
    assert tenant.get("/Users/only-this").status_code == 504
    assert tenant.get("/Users/another").status_code == 404
    assert tenant.get("/Groups").status_code == 200


def test_a_fault_never_changes_stored_data(tenant, admin):
    add_fault(tenant, admin, status=500, operation="create user", times=1)
    assert tenant.post("/Users", {"userName": "ann"}).status_code == 500
    assert tenant.list()["totalResults"] == 0


def test_delay_fault_slows_the_request_then_answers_normally(tenant, admin):
    add_fault(tenant, admin, delay_ms=150, times=1)
    started = time.perf_counter()
    response = tenant.get("/Users")
    assert response.status_code == 200
    assert time.perf_counter() - started >= 0.15


def test_seeded_probability_is_reproducible(make_tenant, admin):
    outcomes = []
    for _ in range(2):
        tenant = make_tenant()
        add_fault(tenant, admin, status=500, probability=0.5, seed=42)
        outcomes.append([tenant.get("/Users").status_code for _ in range(40)])
    assert outcomes[0] == outcomes[1]
    assert 5 < outcomes[0].count(500) < 35


def test_journal_shows_which_fault_answered(tenant, admin):
    fault = add_fault(tenant, admin, status=500, times=1)
    tenant.get("/Users")
    tenant.get("/Users")
    entries = tenant.client.get(f"/_sandbox/tenants/{tenant.id}/journal",
                                headers=admin).get_json()["entries"]
    assert [e["fault"] for e in entries] == [fault["id"], None]


def test_clear_and_remove(tenant, admin):
    one = add_fault(tenant, admin, status=500)
    add_fault(tenant, admin, status=502)
    url = f"/_sandbox/tenants/{tenant.id}/faults"
    assert tenant.client.delete(f"{url}/{one['id']}", headers=admin).status_code == 204
    assert [f["status"] for f in faults(tenant, admin)] == [502]
    assert tenant.client.delete(f"{url}/{one['id']}", headers=admin).status_code == 404
    assert tenant.client.delete(url, headers=admin).status_code == 204
    assert faults(tenant, admin) == []
    assert tenant.get("/Users").status_code == 200


@pytest.mark.parametrize("spec", [
    {}, {"status": 199}, {"status": 600}, {"status": "500"}, {"delay_ms": 10_000_000},
    {"status": 500, "retry_after": 3},
    {"status": 500, "method": "BREW"}, {"status": 500, "operation": "make coffee"},
    {"status": 500, "path": "(unclosed"}, {"status": 500, "probability": 2},
    {"status": 500, "colour": "red"}, {"status": 500, "resource_type": "Device"},
    {"status": 500, "times": 0},
])
def test_bad_fault_specs_are_400(tenant, admin, scim_error, spec):
    response = tenant.client.post(f"/_sandbox/tenants/{tenant.id}/faults", json=spec,
                                  headers=admin)
    scim_error(response, 400)
    assert faults(tenant, admin) == []


def test_fault_delay_is_capped_by_configuration(app_factory, tenant_in, admin, scim_error):
    tenant = tenant_in(app_factory(max_fault_delay_ms=100).test_client())
    response = tenant.client.post(f"/_sandbox/tenants/{tenant.id}/faults",
                                  json={"delay_ms": 101}, headers=admin)
    assert "100" in scim_error(response, 400)["detail"]
    assert tenant.client.post(f"/_sandbox/tenants/{tenant.id}/faults", json={"delay_ms": 100},
                              headers=admin).status_code == 201


def test_a_get_fault_answers_head_too(tenant, admin):
    add_fault(tenant, admin, method="GET", status=503, times=1)
    assert tenant.client.head(tenant.base + "/Users", headers=tenant.headers).status_code == 503
