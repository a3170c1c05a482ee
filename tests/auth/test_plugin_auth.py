"""The test helpers behind the pytest plugin give a working client for tenants of every auth
kind: Basic credentials, and OAuth access tokens fetched (client credentials, over the token
endpoint, in process and live) or issued (authorization code) and renewed when they expire."""

from __future__ import annotations

import pytest
from auth_support import PROFILES

from sandbox.testing import ScimSandbox

USER = {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "ann@example.com"}


@pytest.fixture(scope="module")
def sandbox():
    with ScimSandbox.start({"vendors_dirs": [PROFILES]}) as started:
        yield started


@pytest.mark.parametrize("vendor", ["generic", "authbasic", "authclient", "authcode",
                                    "authtokenonly"])
@pytest.mark.parametrize("live", [False, True])
def test_the_client_of_every_kind_creates_and_lists(sandbox, vendor, live):
    tenant = sandbox.tenant(vendor, live=live)
    try:
        created = tenant.client.post("/Users", json=USER)
        assert created.status_code == 201, created.text
        assert tenant.client.get("/Users").json()["totalResults"] == 1
        tenant.assert_received("create user", userName="ann@example.com")
    finally:
        tenant.delete()


def test_credentials_follow_the_kind(sandbox):
    basic = sandbox.tenant("authbasic", username="sync-user", password="Basic-Secret-1")
    assert basic.credentials == {"username": "sync-user", "password": "Basic-Secret-1"}
    code = sandbox.tenant("authcode", client_secret="Client-Secret-1")
    assert code.credentials["client_secret"] == "Client-Secret-1" == code.token
    assert code.credentials["authorize_url"].endswith(f"/oauth/{code.id}/authorize")
    assert sandbox.tenant("generic", token="Bearer-Secret-1").credentials == {
        "token": "Bearer-Secret-1"}
    with pytest.raises(ValueError, match="client_id"):
        sandbox.tenant("generic", client_id="nope")


def test_an_expired_access_token_is_renewed_by_the_client(sandbox):
    tenant = sandbox.tenant("authclient")
    assert tenant.client.get("/Users").status_code == 200
    sandbox.registry.clock.advance(601)  # past the profile's access_token_seconds
    try:
        assert tenant.client.get("/Users").status_code == 200
        refused = [e for e in tenant.journal() if e["status"] == 401]
        assert len(refused) == 1 and "expired" in refused[0]["response"]["body"]["detail"]
    finally:
        sandbox.registry.clock.reset()


def test_authorization_gives_a_header_a_client_under_test_can_send(sandbox):
    tenant = sandbox.tenant("authclient")
    header = tenant.authorization()
    assert header.startswith("Bearer ") and tenant.token not in header
    answer = tenant.client.get("/Users", headers={"Authorization": header})
    assert answer.status_code == 200


@pytest.mark.parametrize("live", [False, True])
def test_a_client_secret_holding_plus_and_percent_still_fetches_a_token(sandbox, live):
    """RFC 6749 §2.3.1: the client id and secret are form-encoded inside the Basic value."""
    tenant = sandbox.tenant("authclient", client_secret="a+b%20c:d=e", live=live)
    try:
        assert tenant.client.get("/Users").status_code == 200
    finally:
        tenant.delete()
