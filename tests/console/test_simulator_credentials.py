"""The console's Entra simulator asks for the Admin Credentials of the vendor's auth kind, as
Entra's Provisioning blade does: a Secret Token (bearer), a username and password (basic),
a client id, client secret and token URL (OAuth client credentials), or an **Authorize**
button for a vendor an admin authorizes (OAuth authorization code). Through the Flask test
client, against the auth test profiles (tests/auth/profiles) loaded as `--vendors` does."""

from __future__ import annotations

import base64
import json
import logging
import re
from html import unescape as html_unescape
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from console_support import ADMIN_TOKEN

from sandbox.app import create_app
from sandbox.console.context import EXTENSION
from sandbox.console.simulator_routes import SESSION_KEY
from sandbox.entra import ProvisioningConfig, ProvisioningEngine
from sandbox.entra.credentials import AdminCredentials

AUTH_PROFILES = Path(__file__).parents[1] / "auth" / "profiles"
ENTRA_PROFILES = Path(__file__).parents[1] / "entra" / "profiles"
ROOT = "http://localhost"


@pytest.fixture
def console_app() -> Any:
    return create_app({"admin_token": ADMIN_TOKEN,
                       "vendors_dirs": [AUTH_PROFILES, ENTRA_PROFILES]})


@pytest.fixture
def admin(console_app) -> tuple[Any, Any, str]:
    """(the sandbox's service, a test client signed in to the console, its form token)."""
    client = console_app.test_client()
    client.post("/console/login", data={"admin_token": ADMIN_TOKEN})
    with client.session_transaction() as session:
        csrf = session["console_csrf"]
    return console_app.extensions["scim_sandbox"], client, csrf


def credentials_of(tenant) -> dict[str, str]:
    return tenant.credentials(ROOT)


def post_json(client, csrf, path, body):
    return client.post(path, json=body, headers={"X-CSRF-Token": csrf,
                                                 "Accept": "application/json"})


def check_connection(client, csrf, body):
    return post_json(client, csrf, "/console/simulator/test-connection", body)


def the_simulation(console_app, client):
    with client.session_transaction() as session:
        simulation_id = session[SESSION_KEY]
    return console_app.extensions[EXTENSION].simulations.get(simulation_id)


def run_a_cycle(console_app, client, csrf, body) -> Any:
    """Start provisioning with what `body` puts on the page; the finished cycle's record."""
    started = post_json(client, csrf, "/console/simulator/start",
                        {"provisioning_status": "on", **body})
    assert started.status_code == 202, started.get_json()
    simulation = the_simulation(console_app, client)
    simulation.wait(120)
    return simulation.last_cycle


def shown_method(html: str) -> str:
    return re.search(r'<option value="([a-z0-9_]+)" selected>', html).group(1)


def visible_groups(html: str) -> list[str]:
    return re.findall(r'<div data-auth="([a-z0-9_]+)" >', html)


# The page follows the vendor's auth kind --------------------------------------------------


@pytest.mark.parametrize(("vendor", "method", "labels"), [
    ("velpic", "bearer", ["Secret Token"]),
    ("authbasic", "basic", ["Username", "Password"]),
    ("authclient", "oauth2_client_credentials", ["Client ID", "Client Secret", "Token URL"]),
    ("authcode", "oauth2_authorization_code", []),
])
def test_a_tenant_url_shows_the_fields_of_its_vendors_auth_kind(admin, vendor, method, labels):
    sandbox, client, _ = admin
    tenant = sandbox.create_tenant(vendor)
    html = client.get("/console/simulator",
                      query_string={"tenant_url": ROOT + tenant.path}).get_data(as_text=True)
    assert shown_method(html) == method
    assert visible_groups(html) == [method]
    for label in labels:
        assert f">{label}</label>" in html
    # The mappings endpoint names the method, for the page's script to switch to.
    answer = client.get("/console/simulator/mappings",
                        query_string={"tenant_url": ROOT + tenant.path}).get_json()
    assert answer["auth_method"] == method


def test_a_url_elsewhere_offers_a_secret_token_and_names_no_method(admin):
    _, client, _ = admin
    html = client.get("/console/simulator",
                      query_string={"tenant_url": "https://scim.example.com/v2"}).get_data(
        as_text=True)
    assert shown_method(html) == "bearer" and visible_groups(html) == ["bearer"]
    answer = client.get("/console/simulator/mappings",
                        query_string={"tenant_url": "https://scim.example.com/v2"}).get_json()
    assert answer["auth_method"] is None


# Basic and client credentials -------------------------------------------------------------


def test_basic_credentials_pass_test_connection_and_provision_without_a_failure(
        console_app, admin):
    sandbox, client, csrf = admin
    tenant = sandbox.create_tenant("authbasic")
    given = credentials_of(tenant)
    body = {"tenant_url": ROOT + tenant.path, "auth_method": "basic",
            "username": given["username"], "password": given["password"]}
    answer = check_connection(client, csrf, body).get_json()
    assert answer["ok"] is True and answer["tenant"] == tenant.id
    cycle = run_a_cycle(console_app, client, csrf, body)
    assert cycle.error is None and cycle.entries and cycle.failures == 0
    assert tenant.counts()["User"] == 8  # ten users, two with Default Access
    headers = {e.to_dict()["request"]["headers"].get("Authorization")
               for e in tenant.journal.entries()}
    assert headers == {"Basic [redacted]"}


def test_a_wrong_basic_password_fails_test_connection(admin):
    sandbox, client, csrf = admin
    tenant = sandbox.create_tenant("authbasic")
    answer = check_connection(client, csrf, {
        "tenant_url": ROOT + tenant.path, "auth_method": "basic",
        "username": credentials_of(tenant)["username"], "password": "not-the-password"}).get_json()
    assert answer["ok"] is False and answer["http_status"] == 401


@pytest.mark.parametrize(("fields", "message"), [
    ({"auth_method": "basic", "username": "u"}, "Enter the Password"),
    ({"auth_method": "basic", "password": "p"}, "Enter the Username"),
    ({"auth_method": "oauth2_client_credentials", "client_id": "c", "client_secret": "s"},
     "Enter the Token URL"),
    ({"auth_method": "oauth2_client_credentials", "client_id": "c", "client_secret": "s",
      "token_url": "ftp://example.com/token"}, "Token URL must be an http"),
    ({"auth_method": "bearer"}, "Enter the Secret Token"),
    ({"auth_method": "kerberos"}, "Choose an Authentication Method"),
])
def test_missing_credentials_of_the_method_are_named_before_any_request(admin, fields, message):
    sandbox, client, csrf = admin
    tenant = sandbox.create_tenant("authclient")
    answer = check_connection(client, csrf, {"tenant_url": ROOT + tenant.path, **fields})
    assert answer.status_code == 400
    assert answer.get_json()["input_error"] is True and message in answer.get_json()["message"]
    assert tenant.journal.entries() == []


def test_client_credentials_fetch_access_tokens_and_provision_without_a_failure(
        console_app, admin):
    sandbox, client, csrf = admin
    tenant = sandbox.create_tenant("authclient")
    given = credentials_of(tenant)
    body = {"tenant_url": ROOT + tenant.path, "auth_method": "oauth2_client_credentials",
            "client_id": given["client_id"], "client_secret": given["client_secret"],
            "token_url": given["token_url"]}
    assert check_connection(client, csrf, body).get_json()["ok"] is True
    cycle = run_a_cycle(console_app, client, csrf, body)
    assert cycle.error is None and cycle.entries and cycle.failures == 0
    assert tenant.counts()["User"] == 8 and tenant.counts()["Group"] == 2
    assert {e.to_dict()["request"]["headers"].get("Authorization")
            for e in tenant.journal.entries()} == {"Bearer [redacted]"}


def test_a_wrong_client_secret_says_invalid_client_and_not_the_secret(admin):
    sandbox, client, csrf = admin
    tenant = sandbox.create_tenant("authclient")
    given = credentials_of(tenant)
    answer = check_connection(client, csrf, {
        "tenant_url": ROOT + tenant.path, "auth_method": "oauth2_client_credentials",
        "client_id": given["client_id"], "client_secret": "not-the-client-secret",
        "token_url": given["token_url"]}).get_json()
    assert answer["ok"] is False and answer["http_status"] == 401
    assert "invalid_client" in answer["detail"]
    assert "not-the-client-secret" not in str(answer)
    assert tenant.journal.entries() == []  # no SCIM request went without a token


# Test Connection follows the vendor's mappings --------------------------------------------


def test_test_connection_queries_the_attribute_a_vendor_matches_on(admin):
    """A vendor that cannot filter on userName (rule `no_filter_on`) passes Test Connection:
    the query goes to its matching attribute, as the simulator's mappings set it."""
    sandbox, client, csrf = admin
    tenant = sandbox.create_tenant("lockedgroups")
    answer = check_connection(client, csrf, {"tenant_url": ROOT + tenant.path,
                                            "token": tenant.token}).get_json()
    assert answer["ok"] is True, answer
    entry, *group_probe = tenant.journal.entries()  # then /Groups, where the app has groups
    assert "userName" not in entry.to_dict()["query"] and "externalId" in entry.to_dict()["query"]
    assert all("/Groups" in probe.to_dict()["path"] for probe in group_probe)


# Authorize (OAuth authorization code) -----------------------------------------------------


def authorize(client, csrf, tenant) -> tuple[str, dict[str, str]]:
    """Select Authorize; (the consent page's path, its query) the console sent the admin to."""
    answer = client.post("/console/simulator/authorize", data={
        "csrf_token": csrf, "tenant_url": ROOT + tenant.path,
        "auth_method": "oauth2_authorization_code"})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    where = urlsplit(answer.headers["Location"])
    return where.path, {k: v[0] for k, v in parse_qs(where.query).items()}


def approve(client, path, query, decision="approve") -> dict[str, str]:
    """The admin's click on the consent page; the query it sends back to the console."""
    page = client.get(path, query_string=query)
    assert page.status_code == 200  # the page is shown
    token = re.search(r'name="consent_token" value="([^"]+)"', page.get_data(as_text=True))
    assert token is not None, "the consent form carries its anti-forgery token"
    answer = client.post(path, data={**query, "consent_token": html_unescape(token[1]),
                                     "decision": decision})
    assert answer.status_code == 302
    back = urlsplit(answer.headers["Location"])
    assert f"{back.scheme}://{back.netloc}{back.path}" == ROOT + "/console/simulator/authorized"
    return {k: v[0] for k, v in parse_qs(back.query).items()}


def test_authorize_sends_the_admin_to_the_tenants_consent_page(admin):
    sandbox, client, csrf = admin
    tenant = sandbox.create_tenant("authcode")
    path, query = authorize(client, csrf, tenant)
    assert path == f"/oauth/{tenant.id}/authorize"
    assert query["response_type"] == "code"
    assert query["client_id"] == credentials_of(tenant)["client_id"]
    assert query["redirect_uri"] == ROOT + "/console/simulator/authorized"
    assert len(query["state"]) >= 24
    # A second Authorize sends a new state.
    assert authorize(client, csrf, tenant)[1]["state"] != query["state"]


def test_the_authorize_round_trip_lets_test_connection_and_provisioning_work(
        console_app, admin, caplog):
    sandbox, client, csrf = admin
    tenant = sandbox.create_tenant("authcode")
    body = {"tenant_url": ROOT + tenant.path, "auth_method": "oauth2_authorization_code"}
    before = check_connection(client, csrf, body)
    assert before.status_code == 400 and "Select Authorize" in before.get_json()["message"]
    caplog.set_level(logging.DEBUG)

    back = approve(client, *authorize(client, csrf, tenant))
    landed = client.get("/console/simulator/authorized", query_string=back)
    assert landed.status_code == 302 and landed.headers["Location"].endswith("#provisioning")
    html = client.get("/console/simulator").get_data(as_text=True)
    assert f"Authorized: tenant <strong>{tenant.id}</strong>" in html
    assert shown_method(html) == "oauth2_authorization_code"
    held = the_simulation(console_app, client).authorization
    assert held is not None and held.refresh_token and held.access_token
    for secret in (held.access_token, held.refresh_token, held.client_secret):
        assert secret not in html and secret not in caplog.text and secret not in repr(held)

    assert check_connection(client, csrf, body).get_json()["ok"] is True
    cycle = run_a_cycle(console_app, client, csrf, body)
    assert cycle.error is None and cycle.entries and cycle.failures == 0
    assert tenant.counts()["User"] == 8
    # The code was used once: the same answer again is refused (no pending Authorize).
    again = client.get("/console/simulator/authorized", query_string=back)
    assert "Not authorized" in client.get(again.headers["Location"]).get_data(as_text=True)


def test_a_forged_state_is_refused_and_the_code_is_left_unused(console_app, admin):
    sandbox, client, csrf = admin
    tenant = sandbox.create_tenant("authcode")
    path, query = authorize(client, csrf, tenant)
    back = approve(client, path, query)
    forged = client.get("/console/simulator/authorized",
                        query_string={**back, "state": "forged-" + back["state"]})
    page = client.get(forged.headers["Location"]).get_data(as_text=True)
    assert "Not authorized: this answer does not belong to the Authorize you started" in page
    simulation = the_simulation(console_app, client)
    assert simulation.authorization is None
    # Nothing was exchanged: the genuine answer still works once.
    genuine = client.get("/console/simulator/authorized", query_string=back)
    assert "Authorized: the application granted access" in client.get(
        genuine.headers["Location"]).get_data(as_text=True)
    assert simulation.authorization is not None


def test_a_callback_without_any_authorize_started_is_refused(console_app, admin):
    _, client, _ = admin
    answer = client.get("/console/simulator/authorized",
                        query_string={"code": "made-up", "state": "made-up"})
    assert "Not authorized" in client.get(answer.headers["Location"]).get_data(as_text=True)
    assert the_simulation(console_app, client).authorization is None


def test_denying_on_the_consent_page_stores_nothing(console_app, admin):
    sandbox, client, csrf = admin
    tenant = sandbox.create_tenant("authcode")
    back = approve(client, *authorize(client, csrf, tenant), decision="deny")
    answer = client.get("/console/simulator/authorized", query_string=back)
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Not authorized: the consent page answered &#39;access_denied&#39;" in page
    assert the_simulation(console_app, client).authorization is None


def test_an_authorization_serves_only_its_own_tenant_url(console_app, admin):
    sandbox, client, csrf = admin
    first, second = sandbox.create_tenant("authcode"), sandbox.create_tenant("authcode")
    approve_back = approve(client, *authorize(client, csrf, first))
    client.get("/console/simulator/authorized", query_string=approve_back)
    answer = check_connection(client, csrf, {"tenant_url": ROOT + second.path,
                                            "auth_method": "oauth2_authorization_code"})
    assert answer.status_code == 400 and "not authorized yet" in answer.get_json()["message"]


@pytest.mark.parametrize("where", ["velpic", "elsewhere"])
def test_authorize_is_refused_for_a_url_that_is_not_authorized_by_an_admin(admin, where):
    sandbox, client, csrf = admin
    url = ROOT + sandbox.create_tenant("velpic").path if where == "velpic" else \
        "https://scim.example.com/v2"
    answer = client.post("/console/simulator/authorize", data={
        "csrf_token": csrf, "tenant_url": url, "auth_method": "oauth2_authorization_code"})
    assert answer.status_code == 302 and "/oauth/" not in answer.headers["Location"]
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Not authorized: Authorize works for this sandbox&#39;s tenants" in page


def test_authorize_needs_the_consoles_form_token(admin):
    sandbox, client, _ = admin
    tenant = sandbox.create_tenant("authcode")
    answer = client.post("/console/simulator/authorize", data={
        "tenant_url": ROOT + tenant.path, "auth_method": "oauth2_authorization_code"})
    assert answer.status_code == 400


# The engine under the page signs in by the config's credentials ---------------------------


class FakeEndpoint:
    """A transport answering a token URL and a SCIM endpoint; it counts the token requests
    and keeps each SCIM request's Authorization header."""

    def __init__(self) -> None:
        self.tokens_issued = 0
        self.authorizations: list[str] = []

    def __call__(self, method, url, headers, body):
        if url.endswith("/token"):
            self.tokens_issued += 1
            answer = {"access_token": f"access-{self.tokens_issued}", "expires_in": 3600}
            return 200, {"Content-Type": "application/json"}, json.dumps(answer).encode()
        self.authorizations.append(dict(headers)["Authorization"])
        listed = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
                  "totalResults": 0, "Resources": []}
        return 200, {"Content-Type": "application/scim+json"}, json.dumps(listed).encode()


OAUTH_CLIENT = AdminCredentials(client_id="entra", client_secret="client-secret-1",
                                token_url="https://app.example.test/oauth/token")


@pytest.mark.parametrize(("credentials", "expected"), [
    (None, "Bearer the-token"),
    (AdminCredentials(username="ada", password="pw-123"), "Basic " + base64.b64encode(
        b"ada:pw-123").decode()),
    (OAUTH_CLIENT, "Bearer access-1"),
])
def test_the_engine_signs_in_by_the_configs_credentials(credentials, expected):
    endpoint = FakeEndpoint()
    config = ProvisioningConfig("https://app.example.test/scim", "the-token",
                                credentials=credentials)
    assert ProvisioningEngine(config, endpoint).test_connection().ok
    assert endpoint.authorizations == [expected] * 2  # the /Users and the /Groups probe


def test_one_engine_fetches_one_access_token_for_its_requests():
    endpoint = FakeEndpoint()
    config = ProvisioningConfig("https://app.example.test/scim", "", credentials=OAUTH_CLIENT)
    engine = ProvisioningEngine(config, endpoint)
    assert engine.test_connection().ok
    assert engine.test_connection().ok
    assert endpoint.tokens_issued == 1  # the token is kept until it expires
    assert endpoint.authorizations == ["Bearer access-1"] * 4  # two probes each time


# The data browser shows what to paste, by kind --------------------------------------------


def credential_inputs(html: str) -> dict[str, tuple[str, str]]:
    """label → (input type, value) of the tenant page's credential card."""
    card = html.split('<section class="card credentials">', 1)[1].split("</section>", 1)[0]
    found = re.findall(r'<label class="field-label" for="([^"]+)">([^<]+)</label>\s*'
                       r'<div class="copy-field">\s*<input id="\1" type="(\w+)" readonly '
                       r'value="([^"]*)"', card)
    return {html_unescape(label): (kind, html_unescape(value))
            for _, label, kind, value in found}


@pytest.mark.parametrize(("vendor", "expected"), [
    ("authbasic", {"Tenant URL": "text", "Username": "text", "Password": "password"}),
    ("authclient", {"Tenant URL": "text", "Client ID": "text", "Client secret": "password",
                    "Token URL": "text"}),
    ("authcode", {"Tenant URL": "text", "Client ID": "text", "Client secret": "password",
                  "Token URL": "text", "Authorization URL": "text"}),
    ("visitly", {"Tenant URL": "text", "API Key (Entra's Secret Token)": "password"}),
    ("velpic", {"Tenant URL": "text", "Secret Token": "password"}),
])
def test_a_tenants_data_page_shows_its_credentials_by_kind(admin, vendor, expected):
    sandbox, client, _ = admin
    tenant = sandbox.create_tenant(vendor)
    shown = credential_inputs(client.get(f"/console/data/tenants/{tenant.id}").get_data(
        as_text=True))
    assert {label: kind for label, (kind, _) in shown.items()} == expected
    values = {value for _, value in shown.values()}
    assert set(credentials_of(tenant).values()) <= values
