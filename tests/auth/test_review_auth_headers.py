"""Authorization headers and OAuth requests that are malformed in ways a parser can trip on:
each is refused with the protocol's error, never a 500."""

from __future__ import annotations

import pytest
from auth_support import CALLBACK, base_path, consent_form, make_tenant, token_request
from scim_client import ROOT, assert_scim_error

NON_ASCII_BASIC = {"Authorization": "Basic \u00e9t\u00e9"}


@pytest.mark.parametrize("vendor", ["authbasic", "authclient"])
def test_a_basic_header_holding_non_ascii_is_refused_with_401(client, vendor):
    tenant = make_tenant(client, vendor)
    response = client.get(base_path(tenant) + "/Users", headers=NON_ASCII_BASIC)
    assert_scim_error(response, 401)


def test_the_token_endpoint_refuses_a_non_ascii_basic_header_as_invalid_client(client):
    tenant = make_tenant(client, "authclient")
    response = token_request(client, tenant, {"grant_type": "client_credentials"},
                             NON_ASCII_BASIC)
    assert response.status_code == 401
    assert response.get_json()["error"] == "invalid_client"


@pytest.mark.parametrize("redirect_uri", ["http://[::1", "http://h:99999/", "https:///nohost"])
def test_a_redirect_uri_that_does_not_parse_gets_the_problem_page(client, redirect_uri):
    tenant = make_tenant(client, "authcode")
    response = client.get(tenant["authorize_url"].removeprefix(ROOT), query_string={
        "client_id": tenant["client_id"], "redirect_uri": redirect_uri,
        "response_type": "code", "state": "s"})
    assert response.status_code == 400
    assert "Location" not in response.headers
    assert "redirect_uri" in response.get_data(as_text=True)


def test_a_well_formed_redirect_uri_still_reaches_the_consent_page(client):
    tenant = make_tenant(client, "authcode")
    response = client.get(tenant["authorize_url"].removeprefix(ROOT), query_string={
        "client_id": tenant["client_id"], "redirect_uri": CALLBACK, "response_type": "code"})
    assert response.status_code == 200


EVIL = "https://evil.example.test/x"


def test_a_wrong_response_type_is_not_redirected_anywhere(client):
    """RFC 6749 §4.1.2.1: a request the server cannot trust yet is not sent back to its
    redirect URI."""
    tenant = make_tenant(client, "authcode")
    for method in (client.get, client.post):
        response = method(tenant["authorize_url"].removeprefix(ROOT), **{
            "query_string" if method == client.get else "data": {
                "client_id": tenant["client_id"], "redirect_uri": EVIL,
                "response_type": "token"}})
        assert response.status_code == 400 and "Location" not in response.headers


@pytest.mark.parametrize("decision", ["approve", "deny"])
def test_a_consent_post_not_from_the_page_shown_is_refused(client, decision):
    """RFC 6749 §10.12: the consent answer must come from the page the server showed."""
    tenant = make_tenant(client, "authcode")
    path = tenant["authorize_url"].removeprefix(ROOT)
    forged = {"client_id": tenant["client_id"], "redirect_uri": EVIL, "state": "s",
              "response_type": "code", "decision": decision}
    response = client.post(path, data=forged)
    assert response.status_code == 400 and "Location" not in response.headers
    # A token from a page shown for another redirect URI does not fit this one either.
    form = consent_form(client, tenant, state="s")
    response = client.post(path, data={**forged, "consent_token": form["consent_token"]})
    assert response.status_code == 400 and "Location" not in response.headers


def test_the_consent_token_needs_the_cookie_set_with_the_page(app, client):
    tenant = make_tenant(client, "authcode")
    form = consent_form(client, tenant)
    other_browser = app.test_client()
    response = other_browser.post(tenant["authorize_url"].removeprefix(ROOT),
                                  data={**form, "decision": "approve"})
    assert response.status_code == 400 and "Location" not in response.headers
    from_the_page = client.post(tenant["authorize_url"].removeprefix(ROOT),
                                data={**form, "decision": "approve"})
    assert from_the_page.status_code == 302
    assert from_the_page.headers["Location"].startswith(CALLBACK)
