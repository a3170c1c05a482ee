"""Stubbed answers through the admin API: a fault that answers with its own status, headers
and body, matched on what the request body contains, marked in the journal, and never
touching stored data."""

from __future__ import annotations

import json

import pytest

FAULTS = "/_sandbox/tenants/{}/faults"


def add_stub(tenant, admin, **spec):
    response = tenant.client.post(FAULTS.format(tenant.id), json=spec, headers=admin)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def listed(tenant, admin):
    return tenant.client.get(FAULTS.format(tenant.id), headers=admin).get_json()["faults"]


def journal(tenant, admin, query=""):
    return tenant.client.get(f"/_sandbox/tenants/{tenant.id}/journal{query}",
                             headers=admin).get_json()["entries"]


def test_a_200_whose_user_has_no_id(tenant, admin):
    body = {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "ann"}
    add_stub(tenant, admin, operation="create user", status=200, body=body, times=1)
    response = tenant.post("/Users", {"userName": "ann"})
    assert response.status_code == 200
    assert response.get_json() == body
    assert response.headers["Content-Type"] == "application/scim+json"
    assert "Location" not in response.headers
    assert tenant.list()["totalResults"] == 0  # the stub answered; nothing was stored
    assert tenant.post("/Users", {"userName": "ann"}).status_code == 201  # retired


def test_a_truncated_json_body_is_sent_byte_for_byte(tenant, admin):
    add_stub(tenant, admin, method="GET", status=200, body_text='{"schemas": ["urn:ietf:para',
             times=1)
    response = tenant.get("/Users")
    assert response.status_code == 200
    assert response.data == b'{"schemas": ["urn:ietf:para'
    assert response.headers["Content-Type"] == "application/scim+json"
    with pytest.raises(ValueError):
        json.loads(response.data)


def test_a_proxy_500_html_page(tenant, admin):
    page = "<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>"
    add_stub(tenant, admin, status=500, body_text=page,
             headers={"Content-Type": "text/html; charset=utf-8", "Server": "nginx"})
    response = tenant.patch("/Users/any", {"Operations": []})
    assert response.status_code == 500
    assert response.get_data(as_text=True) == page
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.headers["Server"] == "nginx"


def test_a_201_without_location(tenant, admin):
    body = {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": "stub-1",
            "userName": "ann", "meta": {"resourceType": "User"}}
    add_stub(tenant, admin, operation="create user", status=201, body=body)
    response = tenant.post("/Users", {"userName": "ann"})
    assert response.status_code == 201 and response.get_json()["id"] == "stub-1"
    assert "Location" not in response.headers
    assert tenant.get("/Users/stub-1").status_code == 404  # not stored


def test_a_status_below_400_without_a_body_answers_empty(tenant, admin):
    add_stub(tenant, admin, method="DELETE", status=204)
    user = tenant.create_user("ann")
    response = tenant.delete(f"/Users/{user['id']}")
    assert response.status_code == 204 and response.data == b""
    assert "Content-Type" not in response.headers
    assert tenant.get(f"/Users/{user['id']}").status_code == 200  # still there


def test_headers_go_on_a_scim_error_too(tenant, admin):
    add_stub(tenant, admin, status=503, detail="Down for upgrade",
             headers={"X-Request-Id": "abc-123", "Retry-After": "120"})
    response = tenant.get("/Users")
    assert response.status_code == 503
    assert response.get_json()["detail"] == "Down for upgrade"
    assert response.headers["X-Request-Id"] == "abc-123"
    assert response.headers["Retry-After"] == "120"


def test_a_429_stub_with_retry_after_and_a_body(tenant, admin):
    add_stub(tenant, admin, status=429, retry_after=5, body={"message": "slow down"})
    response = tenant.get("/Users")
    assert response.status_code == 429 and response.headers["Retry-After"] == "5"
    assert response.get_json() == {"message": "slow down"}


def test_body_contains_matches_a_subset_of_the_request_body(tenant, admin):
    add_stub(tenant, admin, status=409, body={"detail": "taken"},
             body_contains={"USERNAME": "bob", "emails": [{"type": "work"}]})
    bob = {"userName": "bob", "active": True,
           "emails": [{"value": "b@x.org", "type": "home"}, {"value": "bob@x.org",
                                                              "type": "work"}]}
    stubbed = tenant.post("/Users", bob)
    assert stubbed.status_code == 409 and stubbed.get_json() == {"detail": "taken"}
    assert tenant.post("/Users", {**bob, "userName": "Bob"}).status_code == 201  # exact value
    home_only = {"userName": "bob", "emails": [{"value": "b@x.org", "type": "home"}]}
    # Not the stub: the sandbox's own conflict with "Bob" (userName ignores case).
    assert tenant.post("/Users", home_only).get_json()["scimType"] == "uniqueness"
    assert tenant.get("/Users").status_code == 200  # no body: never matches
    assert [u["userName"] for u in tenant.list()["Resources"]] == ["Bob"]


def test_body_contains_compares_json_types_strictly(tenant, admin):
    add_stub(tenant, admin, status=418, body_contains={"active": True})
    assert tenant.post("/Users", {"userName": "a", "active": 1}).status_code == 400
    assert tenant.post("/Users", {"userName": "b", "active": "True"}).status_code != 418
    assert tenant.post("/Users", {"userName": "c", "active": True}).status_code == 418


def test_body_contains_sees_a_patch_body(tenant, admin):
    user = tenant.create_user("ann", active=True)
    add_stub(tenant, admin, method="PATCH", status=200, body={"id": user["id"]},
             body_contains={"Operations": [{"path": "active"}]})
    disable = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
               "Operations": [{"op": "Replace", "path": "active", "value": False}]}
    assert tenant.patch(f"/Users/{user['id']}", disable).get_json() == {"id": user["id"]}
    assert tenant.get(f"/Users/{user['id']}").get_json()["active"] is True


def test_the_journal_marks_the_stub_and_filters_by_it(tenant, admin):
    stub = add_stub(tenant, admin, method="GET", status=200, body={"hello": "world"}, times=1)
    tenant.get("/Users")
    tenant.get("/Users")
    entries = journal(tenant, admin)
    assert [e["fault"] for e in entries] == [stub["id"], None]
    assert entries[0]["response"]["body"] == {"hello": "world"}
    marked = journal(tenant, admin, f"?fault={stub['id']}")
    assert [e["fault"] for e in marked] == [stub["id"]]


def test_the_listing_shows_the_stub_as_it_was_given(tenant, admin):
    spec = {"status": 200, "headers": {"X-A": "1"}, "body": {"a": [1, 2]},
            "body_contains": {"userName": "ann"}, "times": 2}
    stub = add_stub(tenant, admin, **spec)
    shown = listed(tenant, admin)[0]
    assert {k: shown[k] for k in spec} == spec
    assert shown["id"] == stub["id"] and shown["body_text"] is None and shown["fired"] == 0


def test_a_get_stub_answers_head_without_a_body(tenant, admin):
    add_stub(tenant, admin, method="GET", status=200, body={"a": 1})
    response = tenant.client.head(tenant.base + "/Users", headers=tenant.headers)
    assert response.status_code == 200 and response.data == b""


@pytest.mark.parametrize(("spec", "named"), [
    ({"body": {"a": 1}}, "status"),
    ({"status": 200, "body": {}, "body_text": "x"}, "body_text"),
    ({"status": 200, "body_text": 12}, "body_text"),
    ({"status": 204, "body": {"a": 1}}, "204"),
    ({"status": 304, "body_text": "x"}, "304"),
    ({"status": 200, "detail": "nope"}, "detail"),
    ({"status": 500, "body": {}, "scim_type": "tooMany"}, "scim_type"),
    ({"status": 200, "headers": ["X-A"]}, "headers"),
    ({"status": 200, "headers": {"X A": "1"}}, "X A"),
    ({"status": 200, "headers": {"X-A": 1}}, "X-A"),
    ({"status": 200, "headers": {"X-A": "a\r\nSet-Cookie: x=1"}}, "X-A"),
    ({"status": 200, "headers": {"Content-Length": "3"}}, "Content-Length"),
    ({"status": 200, "headers": {"Transfer-Encoding": "chunked"}}, "Transfer-Encoding"),
    ({"status": 200, "headers": {"X-A": "1", "x-a": "2"}}, "x-a"),
    ({"status": 429, "retry_after": 1, "headers": {"Retry-After": "2"}}, "Retry-After"),
    ({"headers": {"X-A": "1"}, "delay_ms": 5}, "status"),
    ({"status": 200, "body_contains": ["userName"]}, "body_contains"),
    ({"status": 200, "body_contains": "ann"}, "body_contains"),
])
def test_bad_stubs_are_400_naming_the_field(tenant, admin, scim_error, spec, named):
    response = tenant.client.post(FAULTS.format(tenant.id), json=spec, headers=admin)
    assert named in scim_error(response, 400, "invalidValue")["detail"]
    assert listed(tenant, admin) == []


def test_a_nan_body_is_refused(tenant, admin, scim_error):
    response = tenant.client.post(FAULTS.format(tenant.id), data='{"status": 200, "body": NaN}',
                                  headers={**admin, "Content-Type": "application/json"})
    assert response.status_code == 400
    assert listed(tenant, admin) == []
