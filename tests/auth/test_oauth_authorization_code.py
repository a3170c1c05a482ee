"""A vendor with `[auth] kind = "oauth2_authorization_code"`: an admin approves Microsoft
Entra ID on the vendor's consent page (`/oauth/<tenant>/authorize`, as Entra's "Authorize"
button opens it for gallery apps), the client gets a single-use code at its redirect URI and
exchanges it for an access token and a refresh token (RFC 6749 §4.1, §6)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from auth_support import (
    CALLBACK,
    ROOT,
    approve,
    base_path,
    basic,
    bearer,
    make_tenant,
    move_clock,
    token_request,
)
from scim_client import assert_scim_error


def _code_from(response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)
    query = parse_qs(urlsplit(response.headers["Location"]).query)
    return query["code"][0]


def _exchange(client, tenant, code, redirect_uri=CALLBACK):
    return token_request(client, tenant, {"grant_type": "authorization_code", "code": code,
                                          "redirect_uri": redirect_uri},
                         basic(tenant["client_id"], tenant["client_secret"]))


def test_the_tenant_answer_carries_an_authorize_url_too(client):
    tenant = make_tenant(client, "authcode")
    assert tenant["authorize_url"] == f"{ROOT}/oauth/{tenant['id']}/authorize"
    assert tenant["token_url"] == f"{ROOT}/oauth/{tenant['id']}/token"


def test_the_consent_page_names_the_vendor_and_offers_approve_and_deny(client):
    tenant = make_tenant(client, "authcode")
    page = client.get(tenant["authorize_url"].removeprefix(ROOT), query_string={
        "client_id": tenant["client_id"], "redirect_uri": CALLBACK, "state": "s1",
        "response_type": "code"})
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert "Authorization Code Vendor asks: allow Microsoft Entra ID to provision users?" in html
    assert 'value="approve"' in html and 'value="deny"' in html
    assert page.headers["X-Frame-Options"] == "DENY"
    assert tenant["client_secret"] not in html


def test_approving_sends_a_code_and_the_state_back_and_the_code_buys_tokens(client):
    tenant = make_tenant(client, "authcode")
    response = approve(client, tenant, state="abc 123")
    location = urlsplit(response.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == CALLBACK.split("?")[0]
    query = parse_qs(location.query)
    assert query["state"] == ["abc 123"] and query["app"] == ["scim"]
    exchanged = _exchange(client, tenant, query["code"][0])
    assert exchanged.status_code == 200, exchanged.get_data(as_text=True)
    tokens = exchanged.get_json()
    assert tokens["expires_in"] == 3600 and tokens["refresh_token"]
    listed = client.get(base_path(tenant) + "/Users", headers=bearer(tokens["access_token"]))
    assert listed.status_code == 200, listed.get_data(as_text=True)


def test_denying_sends_access_denied_back(client):
    tenant = make_tenant(client, "authcode")
    response = approve(client, tenant, state="s2", decision="deny")
    query = parse_qs(urlsplit(response.headers["Location"]).query)
    assert query["error"] == ["access_denied"] and query["state"] == ["s2"]
    assert "code" not in query


def test_a_code_works_once_only_for_its_redirect_uri_and_briefly(client):
    tenant = make_tenant(client, "authcode")
    code = _code_from(approve(client, tenant))
    assert _exchange(client, tenant, code).status_code == 200
    again = _exchange(client, tenant, code)
    assert again.status_code == 400 and again.get_json()["error"] == "invalid_grant"
    other_uri = _exchange(client, tenant, _code_from(approve(client, tenant)),
                          "https://elsewhere.example.test/cb")
    assert other_uri.get_json()["error"] == "invalid_grant"
    move_clock(client, frozen_at="2030-01-01T00:00:00Z")
    late = _code_from(approve(client, tenant))
    move_clock(client, advance_seconds=121)
    assert _exchange(client, tenant, late).get_json()["error"] == "invalid_grant"


def test_a_refresh_token_buys_a_new_access_token_after_the_old_one_expired(client):
    move_clock(client, frozen_at="2030-01-01T00:00:00Z")
    tenant = make_tenant(client, "authcode")
    tokens = _exchange(client, tenant, _code_from(approve(client, tenant))).get_json()
    move_clock(client, advance_seconds=3600)
    expired = client.get(base_path(tenant) + "/Users", headers=bearer(tokens["access_token"]))
    assert "expired" in assert_scim_error(expired, 401)["detail"]
    refreshed = token_request(client, tenant, {"grant_type": "refresh_token",
                                               "refresh_token": tokens["refresh_token"]},
                              basic(tenant["client_id"], tenant["client_secret"]))
    assert refreshed.status_code == 200, refreshed.get_data(as_text=True)
    fresh = refreshed.get_json()["access_token"]
    assert fresh != tokens["access_token"]
    assert client.get(base_path(tenant) + "/Users", headers=bearer(fresh)).status_code == 200


def test_the_client_credentials_grant_is_not_offered_to_a_code_vendor(client):
    tenant = make_tenant(client, "authcode")
    response = token_request(client, tenant, {"grant_type": "client_credentials"},
                             basic(tenant["client_id"], tenant["client_secret"]))
    assert response.get_json()["error"] == "unauthorized_client"


def test_a_bad_client_or_redirect_uri_is_told_to_the_person_not_redirected(client):
    tenant = make_tenant(client, "authcode")
    path = tenant["authorize_url"].removeprefix(ROOT)
    good = {"client_id": tenant["client_id"], "redirect_uri": CALLBACK,
            "response_type": "code"}
    for changed in ({"client_id": "someone-else"}, {"redirect_uri": "javascript:alert(1)"},
                    {"redirect_uri": "ftp://files.example.test/"}, {"redirect_uri": "/relative"},
                    {"redirect_uri": ""}):
        response = client.get(path, query_string={**good, **changed})
        assert response.status_code == 400, changed
        assert "Location" not in response.headers and response.mimetype == "text/html"
    unsupported = client.get(path, query_string={**good, "response_type": "token"})
    assert unsupported.status_code == 400 and "Location" not in unsupported.headers
    assert "response_type=code" in unsupported.get_data(as_text=True)
    client_kind = make_tenant(client, "authclient")
    assert client.get(f"/oauth/{client_kind['id']}/authorize",
                      query_string=good).status_code == 404
