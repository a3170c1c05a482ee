"""A vendor with `[auth] kind = "basic"`: its tenants have a username and a password, and
every SCIM request must carry them as HTTP Basic credentials (RFC 7617)."""

from __future__ import annotations

import base64

from auth_support import base_path, basic, bearer, make_tenant, new_user, scim_post
from scim_client import admin_headers, assert_scim_error


def test_the_tenant_answer_carries_a_username_and_a_password_and_no_token(client):
    tenant = make_tenant(client, "authbasic")
    assert set(tenant) >= {"username", "password"}
    assert "token" not in tenant and "client_id" not in tenant
    assert len(tenant["password"]) >= 24
    again = client.get(f"/_sandbox/tenants/{tenant['id']}", headers=admin_headers()).get_json()
    assert (again["username"], again["password"]) == (tenant["username"], tenant["password"])


def test_basic_credentials_open_the_tenant(client):
    tenant = make_tenant(client, "authbasic")
    created = scim_post(client, tenant, "/Users", new_user("ann@example.com"),
                        basic(tenant["username"], tenant["password"]))
    assert created.status_code == 201, created.get_data(as_text=True)
    listed = client.get(base_path(tenant) + "/Users",
                        headers=basic(tenant["username"], tenant["password"]))
    assert listed.get_json()["totalResults"] == 1


def test_the_admin_may_choose_the_username_and_password(client):
    tenant = make_tenant(client, "authbasic", username="entra-sync", password="Correct-Horse-9")
    assert (tenant["username"], tenant["password"]) == ("entra-sync", "Correct-Horse-9")
    ok = client.get(base_path(tenant) + "/Users", headers=basic("entra-sync", "Correct-Horse-9"))
    assert ok.status_code == 200


def test_a_wrong_password_a_wrong_username_or_a_bearer_token_gets_401_with_a_basic_challenge(
        client):
    tenant = make_tenant(client, "authbasic")
    name, password = tenant["username"], tenant["password"]
    for headers in (basic(name, password + "x"), basic("someone", password), bearer(password),
                    {"Authorization": "Basic not-base64!"},
                    {"Authorization": "Basic " + base64.b64encode(b"no-colon").decode()}):
        response = client.get(base_path(tenant) + "/Users", headers=headers)
        body = assert_scim_error(response, 401)
        assert "username or password" in body["detail"], body
        assert response.headers["WWW-Authenticate"].startswith("Basic realm="), headers


def test_no_credentials_are_told_how_to_send_them(client):
    tenant = make_tenant(client, "authbasic")
    response = client.get(base_path(tenant) + "/Users")
    body = assert_scim_error(response, 401)
    assert "Authorization: Basic" in body["detail"]
    assert response.headers["WWW-Authenticate"].startswith("Basic")


def test_another_tenants_credentials_do_not_open_this_one(client):
    first, second = make_tenant(client, "authbasic"), make_tenant(client, "authbasic")
    response = client.get(base_path(first) + "/Users",
                          headers=basic(second["username"], second["password"]))
    assert_scim_error(response, 401)


def test_credentials_that_do_not_suit_the_kind_are_refused_at_creation(client):
    for fields in ({"client_id": "abc"}, {"client_secret": "long-enough-1"},
                   {"password": "short"}, {"username": "has space"},
                   {"password": "long-enough-1", "token": "long-enough-2"}):
        response = client.post("/_sandbox/tenants", json={"vendor": "authbasic", **fields},
                               headers=admin_headers())
        assert_scim_error(response, 400, "invalidValue")


def test_the_password_is_the_secret_a_rotation_replaces(client):
    tenant = make_tenant(client, "authbasic")
    rotated = client.post(f"/_sandbox/tenants/{tenant['id']}/token", headers=admin_headers())
    assert rotated.status_code == 200, rotated.get_data(as_text=True)
    new = rotated.get_json()
    assert new["username"] == tenant["username"] and new["password"] != tenant["password"]
    old = client.get(base_path(tenant) + "/Users",
                     headers=basic(tenant["username"], tenant["password"]))
    assert "replaced" in assert_scim_error(old, 401)["detail"]
    assert client.get(base_path(tenant) + "/Users",
                      headers=basic(new["username"], new["password"])).status_code == 200
