"""The Entra simulator provisions tenants of every auth kind: `simulate --username
--password` (Basic) and `simulate --client-id --client-secret --token-url` (OAuth client
credentials: the access token is fetched from the token URL) against a live sandbox on a
loopback port; and an engine whose access token expired renews it through the refresh token
an admin's "Authorize" left."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from auth_support import CALLBACK, PROFILES, approve, basic, make_tenant, token_request
from click.testing import CliRunner
from scim_client import ADMIN_TOKEN, live_admin, make_app

from sandbox.cli.simulate import simulate
from sandbox.entra import ProvisioningConfig, ProvisioningEngine, SourceDirectory, wsgi_transport
from sandbox.entra.credentials import AccessTokens, AdminCredentials
from sandbox.testing.server import LiveServer


@pytest.fixture(scope="module")
def live() -> Iterator[LiveServer]:
    server = LiveServer(make_app(vendors_dirs=(PROFILES,)))
    yield server
    server.stop()




def _run(*args: str) -> Any:
    return CliRunner().invoke(simulate, list(args), catch_exceptions=False)


def test_simulate_provisions_a_basic_tenant(live):
    made = live_admin(live.url, "POST", "/_sandbox/tenants", {"vendor": "authbasic"})
    result = _run("--tenant-url", made["tenant_url"], "--username", made["username"],
                  "--password", made["password"], "--users", "4", "--groups", "1")
    assert result.exit_code == 0, result.output
    assert "Test Connection: Success." in result.output and "Failure" not in result.output
    journal = live_admin(live.url, "GET", f"/_sandbox/tenants/{made['id']}/journal")["entries"]
    assert {e["request"]["headers"].get("Authorization") for e in journal} == \
        {"Basic [redacted]"}
    assert all(e["status"] < 400 for e in journal)
    assert sum(e["operation"] == "create user" and e["status"] == 201 for e in journal) >= 3


def test_simulate_provisions_a_client_credentials_tenant(live):
    made = live_admin(live.url, "POST", "/_sandbox/tenants", {"vendor": "authclient"})
    result = _run("--tenant-url", made["tenant_url"], "--client-id", made["client_id"],
                  "--client-secret", made["client_secret"], "--token-url", made["token_url"],
                  "--users", "3", "--cycles", "2")
    assert result.exit_code == 0, result.output
    journal = live_admin(live.url, "GET", f"/_sandbox/tenants/{made['id']}/journal")["entries"]
    assert len(journal) > 3 and all(e["status"] < 400 for e in journal), \
        [(e["operation"], e["status"]) for e in journal if e["status"] >= 400]


def test_wrong_client_credentials_fail_test_connection_and_say_why(live):
    made = live_admin(live.url, "POST", "/_sandbox/tenants", {"vendor": "authclient"})
    result = _run("--tenant-url", made["tenant_url"], "--client-id", made["client_id"],
                  "--client-secret", "not-the-secret", "--token-url", made["token_url"])
    assert result.exit_code == 1, result.output
    assert "Test Connection: Failure." in result.output
    assert "invalid_client" in result.output
    assert "not-the-secret" not in result.output


@pytest.mark.parametrize("args", [
    [],
    ["--token", "t0ken-123", "--username", "u", "--password", "p"],
    ["--username", "u"],
    ["--client-id", "c", "--client-secret", "s"],
    ["--client-id", "c", "--client-secret", "s", "--token-url", "ftp://x"],
])
def test_credentials_of_one_kind_are_required(args):
    result = CliRunner().invoke(simulate, ["--tenant-url", "http://127.0.0.1:9/scim", *args])
    assert result.exit_code == 2, result.output


def test_access_tokens_renew_through_the_refresh_token_of_an_authorization(client, app):
    """The code grant as Entra runs it after "Authorize": the refresh token buys new access
    tokens whenever the old one is refused."""
    tenant = make_tenant(client, "authcode")
    code = parse_qs(urlsplit(approve(client, tenant).headers["Location"]).query)["code"][0]
    tokens = token_request(client, tenant, {"grant_type": "authorization_code", "code": code,
                                            "redirect_uri": CALLBACK},
                           basic(tenant["client_id"], tenant["client_secret"])).get_json()
    credentials = AdminCredentials(client_id=tenant["client_id"],
                                   client_secret=tenant["client_secret"],
                                   token_url=tenant["token_url"],
                                   refresh_token=tokens["refresh_token"],
                                   access_token=tokens["access_token"])
    transport = wsgi_transport(app)
    access = AccessTokens(transport, credentials)
    assert access.header() == f"Bearer {tokens['access_token']}"
    renewed = access.header(fresh=True)
    assert renewed and renewed != f"Bearer {tokens['access_token']}"
    config = ProvisioningConfig.from_tenant_url(tenant["tenant_url"], "",
                                                credentials=credentials)
    client.post("/_sandbox/clock", json={"advance_seconds": 7200},
                headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
    engine = ProvisioningEngine(config, transport)
    assert engine.test_connection().ok
    result = engine.run_cycle(SourceDirectory.fake(users=3, groups=0, seed=1))
    assert not result.failures, result.failures
