"""The request journal through the admin API: contents, labels, filters, redaction, bounds."""

from __future__ import annotations

import json
from urllib.parse import unquote

GUID = "3c0f6b8e-2d1a-4f5b-9c7e-0a1b2c3d4e5f"


def journal(tenant, admin, query=""):
    response = tenant.client.get(f"/_sandbox/tenants/{tenant.id}/journal{query}", headers=admin)
    assert response.status_code == 200
    return response.get_json()["entries"]


def test_journal_records_each_request_oldest_first(tenant, admin):
    tenant.get(f'/Users?filter=userName eq "{GUID}"')
    user = tenant.create_user("ann", active=True)
    tenant.patch_ops(f"/Users/{user['id']}",
                     {"op": "Replace", "path": "active", "value": "False"})
    entries = journal(tenant, admin)
    assert [e["operation"] for e in entries] == ["test connection", "create user",
                                                 "disable user"]
    first, created = entries[0], entries[1]
    assert first["method"] == "GET" and first["status"] == 200
    assert first["path"].endswith("/Users") and GUID in first["query"]
    assert created["request"]["body"]["userName"] == "ann"
    assert created["response"]["body"]["id"] == user["id"]
    assert created["duration_ms"] >= 0 and created["time"].endswith("Z")
    assert created["fault"] is None


def test_token_never_appears_in_the_journal(tenant, admin):
    tenant.create_user("ann")
    tenant.get("/Users")
    text = json.dumps(journal(tenant, admin))
    assert tenant.token not in text
    assert "Bearer [redacted]" in text


def test_refused_requests_are_journalled_too(tenant, admin):
    response = tenant.client.get(tenant.base + "/Users",
                                 headers={"Authorization": "Bearer not-the-token"})
    assert response.status_code == 401
    entry = journal(tenant, admin)[-1]
    assert entry["status"] == 401
    assert "not-the-token" not in json.dumps(entry)


def test_journal_filters(tenant, admin):
    tenant.create_user("ann")
    assert tenant.post("/Users", {"userName": "ann"}).status_code == 409
    tenant.get("/Users/nope")  # 404
    assert len(journal(tenant, admin, "?operation=create user")) == 2
    assert [e["status"] for e in journal(tenant, admin, "?status=409")] == [409]
    assert len(journal(tenant, admin, "?method=get")) == 1
    bad = tenant.client.get(f"/_sandbox/tenants/{tenant.id}/journal?status=teapot",
                            headers=admin)
    assert bad.status_code == 400


def test_journal_can_be_cleared(tenant, admin):
    tenant.create_user("ann")
    cleared = tenant.client.delete(f"/_sandbox/tenants/{tenant.id}/journal", headers=admin)
    assert cleared.status_code == 204
    assert journal(tenant, admin) == []


def test_journal_is_a_bounded_ring(tenant, admin):
    service = tenant.client.application.extensions["scim_sandbox"].tenant(tenant.id)
    size = service.journal.size
    for i in range(size + 5):
        tenant.get(f'/Users?filter=userName eq "u{i}"')
    entries = journal(tenant, admin)
    assert len(entries) == size
    assert unquote(entries[0]["query"]) == 'filter=userName eq "u5"'  # the oldest five fell off


def test_journals_are_per_tenant(make_tenant, admin):
    one, two = make_tenant(), make_tenant()
    one.create_user("ann")
    assert journal(two, admin) == []
    assert len(journal(one, admin)) == 1


def test_journal_needs_the_admin_token(tenant, scim_error):
    scim_error(tenant.client.get(f"/_sandbox/tenants/{tenant.id}/journal"), 401)


def test_journal_size_is_configurable(app_factory, tenant_in, admin):
    tenant = tenant_in(app_factory(journal_size=3).test_client())
    for i in range(5):
        tenant.get(f'/Users?filter=userName eq "u{i}"')
    entries = journal(tenant, admin)
    assert [unquote(e["query"]) for e in entries] == [
        f'filter=userName eq "u{i}"' for i in (2, 3, 4)]


def test_journal_times_follow_the_sandbox_clock(tenant, admin):
    """A frozen or moved clock dates the journal as it dates `meta`, so a test that pins
    time reads the same moment in both."""
    frozen = tenant.client.post("/_sandbox/clock", json={"frozen_at": "2030-01-02T03:04:05Z"},
                                headers=admin)
    assert frozen.status_code == 200
    try:
        user = tenant.create_user("ann")
        tenant.client.post("/_sandbox/clock", json={"advance_seconds": 60}, headers=admin)
        tenant.get(f"/Users/{user['id']}")
        created, read = journal(tenant, admin)
        assert created["time"].startswith("2030-01-02T03:04:05")
        assert user["meta"]["created"].startswith("2030-01-02T03:04:05")
        assert read["time"].startswith("2030-01-02T03:05:05")
    finally:
        tenant.client.delete("/_sandbox/clock", headers=admin)
