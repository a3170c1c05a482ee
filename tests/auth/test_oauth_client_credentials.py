"""A vendor with `[auth] kind = "oauth2_client_credentials"`: its tenants have a client id and
secret, which the client exchanges at the tenant's token endpoint (RFC 6749 §4.4) for access
tokens; SCIM requests carry only those, and they expire (`access_token_seconds`)."""

from __future__ import annotations

from auth_support import (
    ROOT,
    base_path,
    basic,
    bearer,
    client_credentials_token,
    make_tenant,
    move_clock,
    new_user,
    scim_post,
    token_request,
)
from scim_client import admin_headers, assert_scim_error


def test_the_tenant_answer_carries_client_credentials_and_an_absolute_token_url(client):
    tenant = make_tenant(client, "authclient")
    assert {"client_id", "client_secret", "token_url"} <= set(tenant)
    assert "token" not in tenant and "authorize_url" not in tenant
    assert tenant["token_url"] == f"{ROOT}/oauth/{tenant['id']}/token"


def test_an_access_token_opens_the_tenant(client):
    tenant = make_tenant(client, "authclient")
    response = token_request(client, tenant, {"grant_type": "client_credentials"},
                             basic(tenant["client_id"], tenant["client_secret"]))
    assert response.status_code == 200, response.get_data(as_text=True)
    answer = response.get_json()
    assert answer["token_type"] == "Bearer" and answer["expires_in"] == 600
    assert "refresh_token" not in answer  # RFC 6749 §4.4.3
    assert response.headers["Cache-Control"] == "no-store"
    created = scim_post(client, tenant, "/Users", new_user("ann@example.com"),
                        bearer(answer["access_token"]))
    assert created.status_code == 201, created.get_data(as_text=True)


def test_client_credentials_may_come_in_the_form(client):
    tenant = make_tenant(client, "authclient", client_id="entra-app",
                         client_secret="Form-Secret-123")
    response = token_request(client, tenant, {"grant_type": "client_credentials",
                                              "client_id": "entra-app",
                                              "client_secret": "Form-Secret-123"})
    assert response.status_code == 200, response.get_data(as_text=True)


def test_the_access_token_expires_after_its_lifetime(client):
    move_clock(client, frozen_at="2030-01-01T00:00:00Z")
    tenant = make_tenant(client, "authclient")
    token = client_credentials_token(client, tenant)
    move_clock(client, advance_seconds=599)
    assert client.get(base_path(tenant) + "/Users", headers=bearer(token)).status_code == 200
    move_clock(client, advance_seconds=1)
    response = client.get(base_path(tenant) + "/Users", headers=bearer(token))
    body = assert_scim_error(response, 401)
    assert "expired" in body["detail"]
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    fresh = client_credentials_token(client, tenant)
    assert client.get(base_path(tenant) + "/Users", headers=bearer(fresh)).status_code == 200


def test_the_client_secret_is_not_an_access_token(client):
    tenant = make_tenant(client, "authclient")
    response = client.get(base_path(tenant) + "/Users", headers=bearer(tenant["client_secret"]))
    body = assert_scim_error(response, 401)
    assert "client secret" in body["detail"] and "/token" in body["detail"]
    assert tenant["client_secret"] not in body["detail"]


def test_no_token_or_another_tenants_token_is_refused(client):
    tenant, other = make_tenant(client, "authclient"), make_tenant(client, "authclient")
    missing = client.get(base_path(tenant) + "/Users")
    assert "access token" in assert_scim_error(missing, 401)["detail"]
    assert missing.headers["WWW-Authenticate"] == 'Bearer realm="scim-sandbox"'
    foreign = client.get(base_path(tenant) + "/Users",
                         headers=bearer(client_credentials_token(client, other)))
    assert_scim_error(foreign, 401)


def test_wrong_client_credentials_get_invalid_client(client):
    tenant = make_tenant(client, "authclient")
    for headers, form in (
            (basic(tenant["client_id"], "wrong-secret"), {}),
            (basic("someone-else", tenant["client_secret"]), {}),
            ({}, {}),
            ({}, {"client_id": tenant["client_id"]}),
            ({"Authorization": "Basic ###"}, {})):
        response = token_request(client, tenant, {"grant_type": "client_credentials", **form},
                                 headers)
        assert response.status_code == 401, response.get_data(as_text=True)
        assert response.get_json()["error"] == "invalid_client"
        assert response.headers["WWW-Authenticate"].startswith("Basic")
        assert tenant["client_secret"] not in response.get_data(as_text=True)


def test_bad_token_requests_get_rfc_6749_errors(client):
    tenant = make_tenant(client, "authclient")
    auth = basic(tenant["client_id"], tenant["client_secret"])
    cases = [({"grant_type": "password"}, auth, 400, "unsupported_grant_type"),
             ({}, auth, 400, "invalid_request"),
             ({"grant_type": "authorization_code", "code": "x", "redirect_uri": "https://a.b"},
              auth, 400, "unauthorized_client"),
             ({"grant_type": "refresh_token", "refresh_token": "made-up"}, auth, 400,
              "invalid_grant"),
             ({"grant_type": "client_credentials", "client_id": tenant["client_id"],
               "client_secret": tenant["client_secret"]}, auth, 400, "invalid_request")]
    for form, headers, status, error in cases:
        response = token_request(client, tenant, form, headers)
        assert response.status_code == status, (form, response.get_data(as_text=True))
        assert response.get_json()["error"] == error, form
    as_json = client.post(f"/oauth/{tenant['id']}/token", headers=auth,
                          json={"grant_type": "client_credentials"})
    assert as_json.get_json()["error"] == "invalid_request"


def test_tenants_without_oauth_have_no_token_endpoint(client):
    bearer_tenant = make_tenant(client, "generic")
    for tenant_id in (bearer_tenant["id"], "no-such-tenant"):
        response = client.post(f"/oauth/{tenant_id}/token",
                                data={"grant_type": "client_credentials"})
        assert response.status_code == 404
        assert response.get_json()["error"] == "invalid_request"


def test_a_shared_tenant_url_finds_the_tenant_by_its_access_token(client):
    first, second = make_tenant(client, "authtokenonly"), make_tenant(client, "authtokenonly")
    assert first["tenant_url"] == second["tenant_url"]
    for tenant in (first, second):
        token = client_credentials_token(client, tenant)
        created = scim_post(client, tenant, "/Users", new_user(f"{tenant['id']}@example.com"),
                            bearer(token))
        assert created.status_code == 201, created.get_data(as_text=True)
    for tenant in (first, second):
        listed = client.get(base_path(tenant) + "/Users",
                            headers=bearer(client_credentials_token(client, tenant)))
        assert [u["userName"] for u in listed.get_json()["Resources"]] == \
            [f"{tenant['id']}@example.com"]
    assert_scim_error(client.get(base_path(first) + "/Users",
                                 headers=bearer(first["client_secret"])), 401)


def test_a_rotated_client_secret_stops_at_the_token_endpoint(client):
    tenant = make_tenant(client, "authclient")
    token = client_credentials_token(client, tenant)
    rotated = client.post(f"/_sandbox/tenants/{tenant['id']}/token",
                          headers=admin_headers()).get_json()
    assert rotated["client_id"] == tenant["client_id"]
    old = token_request(client, tenant, {"grant_type": "client_credentials"},
                        basic(tenant["client_id"], tenant["client_secret"]))
    assert old.status_code == 401 and "replaced" in old.get_json()["error_description"]
    # A new client secret ends the sessions of the old one: its access tokens are revoked.
    assert client.get(base_path(tenant) + "/Users", headers=bearer(token)).status_code == 401
    assert client_credentials_token(client, rotated)
