"""POST /_sandbox/tenants/<id>/token takes the new secret under the name the tenant's auth
kind gives it (or "token", any kind's), as tenant creation does, and nothing else."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from auth_support import (
    CALLBACK,
    approve,
    base_path,
    basic,
    bearer,
    client_credentials_token,
    make_tenant,
    move_clock,
    token_request,
)
from scim_client import admin_headers, assert_scim_error

from sandbox.service.oauth_grants import REFRESH_DAYS


def _rotate(client, tenant, body):
    return client.post(f"/_sandbox/tenants/{tenant['id']}/token", json=body,
                       headers=admin_headers())


@pytest.mark.parametrize(("vendor", "wrong"), [("authbasic", "client_secret"),
                                               ("authclient", "password"),
                                               ("generic", "password"),
                                               ("generic", "client_secret")])
def test_a_secret_named_for_another_auth_kind_is_refused_and_nothing_changes(client, vendor,
                                                                            wrong):
    tenant = make_tenant(client, vendor)
    refused = _rotate(client, tenant, {wrong: "Another-Secret-1"})
    body = assert_scim_error(refused, 400, "invalidValue")
    assert repr(wrong) in body["detail"]
    again = client.get(f"/_sandbox/tenants/{tenant['id']}", headers=admin_headers()).get_json()
    assert again == tenant


def test_the_secret_under_its_kinds_name_or_as_token_is_taken(client):
    tenant = make_tenant(client, "authbasic")
    assert _rotate(client, tenant, {"password": "New-Password-1"}).status_code == 200
    assert client.get(base_path(tenant) + "/Users",
                      headers=basic(tenant["username"], "New-Password-1")).status_code == 200
    assert _rotate(client, tenant, {"token": "Newer-Password-2"}).status_code == 200
    assert_scim_error(_rotate(client, tenant, {"token": "Newest-Pass-3",
                                               "password": "Newest-Pass-3"}), 400)


def _tokens_of_an_authorized_client(client, tenant) -> dict:
    location = approve(client, tenant).headers["Location"]
    code = parse_qs(urlsplit(location).query)["code"][0]
    answer = token_request(client, tenant, {"grant_type": "authorization_code", "code": code,
                                            "redirect_uri": CALLBACK},
                           basic(tenant["client_id"], tenant["client_secret"]))
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return answer.get_json()


def _refresh(client, tenant, refresh_token, secret=None):
    return token_request(client, tenant, {"grant_type": "refresh_token",
                                          "refresh_token": refresh_token},
                         basic(tenant["client_id"], secret or tenant["client_secret"]))


@pytest.mark.parametrize("grace_seconds", [0, 3600])
def test_a_rotation_revokes_the_access_tokens_issued_under_the_old_secret(client,
                                                                         grace_seconds):
    tenant = make_tenant(client, "authclient")
    access = client_credentials_token(client, tenant)
    rotated = _rotate(client, tenant, {"grace_seconds": grace_seconds})
    assert rotated.status_code == 200
    assert "revoked" in rotated.get_json()["rotation"]["detail"]
    refused = client.get(base_path(tenant) + "/Users", headers=bearer(access))
    assert_scim_error(refused, 401)
    fresh = client_credentials_token(client, rotated.get_json())
    assert client.get(base_path(tenant) + "/Users", headers=bearer(fresh)).status_code == 200


def test_a_rotation_revokes_the_refresh_token(client):
    tenant = make_tenant(client, "authcode")
    tokens = _tokens_of_an_authorized_client(client, tenant)
    rotated = _rotate(client, tenant, {}).get_json()
    refused = _refresh(client, tenant, tokens["refresh_token"], rotated["client_secret"])
    assert refused.status_code == 400 and refused.get_json()["error"] == "invalid_grant"


def test_a_refresh_token_expires_after_its_lifetime(client):
    tenant = make_tenant(client, "authcode")
    tokens = _tokens_of_an_authorized_client(client, tenant)
    move_clock(client, advance_seconds=(REFRESH_DAYS - 1) * 86400)
    assert _refresh(client, tenant, tokens["refresh_token"]).status_code == 200
    move_clock(client, advance_seconds=2 * 86400)
    late = _refresh(client, tenant, tokens["refresh_token"])
    assert late.status_code == 400 and late.get_json()["error"] == "invalid_grant"


def test_the_bearer_rotation_answer_speaks_of_the_secret_only(client):
    tenant = make_tenant(client, "generic")
    detail = _rotate(client, tenant, {}).get_json()["rotation"]["detail"]
    assert detail == "The old secret stopped working now."
