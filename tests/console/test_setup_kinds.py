"""The setup flow kinds, through the Flask test client, for profiles loaded with --vendors
(tests/console/setup_profiles/): the vendor's support (support), a secret the admin chooses
after single sign-on (self_chosen), OAuth (code grant and client credentials) and HTTP Basic.
Each flow ends on a page whose credentials really open the tenant's SCIM endpoint."""

from __future__ import annotations

import base64
import re
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from console_support import ADMIN_TOKEN

from sandbox.app import create_app
from sandbox.console import setup_flows as flows
from sandbox.console.setup_steps import NAMED_STEPS
from sandbox.vendors.setup_spec import EXTRA_STEPS

PROFILES_DIR = Path(__file__).parent / "setup_profiles"
ROOT = "http://localhost"  # the test client's root URL
CERTIFICATE = ("-----BEGIN CERTIFICATE-----\n" + base64.b64encode(bytes(range(90))).decode()
               + "\n-----END CERTIFICATE-----")
SSO_FORM = {"issuer": "https://sts.windows.net/8a3b2c1d-0000-4000-8000-123456789abc/",
            "sso_url": "https://login.microsoftonline.com/8a3b2c1d/saml2",
            "certificate": CERTIFICATE}
STRONG = "Chosen-Secret-2024!abc"


class Console:
    """A signed-in console client, posting forms with their CSRF token."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.client = app.test_client()
        self.client.post("/console/login", data={"admin_token": ADMIN_TOKEN})
        with self.client.session_transaction() as session:
            self.csrf = session["console_csrf"]
        self.registry = app.extensions["scim_sandbox"]

    def get(self, url: str) -> Any:
        return self.client.get(url)

    def post(self, url: str, **form: str) -> Any:
        return self.client.post(url, data={"csrf_token": self.csrf, **form})

    def tenants(self, vendor: str) -> list[Any]:
        return [t for t in self.registry.tenants() if t.profile.id == vendor]

    def scim_users(self, path: str, authorization: str) -> int:
        return self.client.get(path + "/Users",
                               headers={"Authorization": authorization}).status_code


@pytest.fixture()
def console() -> Console:
    return Console(create_app({"admin_token": ADMIN_TOKEN, "demo_tenants": False,
                               "vendors_dirs": [PROFILES_DIR]}))


def shown(page: Any) -> dict[str, str]:
    """The copy fields of a credentials page: {label: value}."""
    html = page.get_data(as_text=True)
    labels = dict(re.findall(r'<label for="([^"]+)" class="field-label">([^<]+)</label>', html))
    values = dict(re.findall(r'<input id="([^"]+)" type="text" value="([^"]*)" readonly', html))
    return {unescape(labels[key]): unescape(value) for key, value in values.items()}


def location(answer: Any) -> str:
    assert answer.status_code == 302, answer.get_data(as_text=True)[:400]
    return urlsplit(answer.headers["Location"]).path + (
        "?" + urlsplit(answer.headers["Location"]).query
        if urlsplit(answer.headers["Location"]).query else "")


def test_every_named_step_has_its_screen_in_the_console():
    """`[setup] extra_steps` names a screen by name, as `quirks` name code: each name the
    profile checker knows has its view, and no view is left without a name."""
    assert set(NAMED_STEPS) == set(EXTRA_STEPS)


def test_support_a_request_answered_with_working_credentials(console):
    start = console.get("/console/setup/helpdeskone")
    assert "Request SCIM provisioning" in start.get_data(as_text=True)
    refused = console.post("/console/setup/helpdeskone", contact_name="Ann", email="ann",
                           company="Contoso", entra_tenant_id="nope")
    assert refused.status_code == 422 and console.tenants("helpdeskone") == []
    made = console.post("/console/setup/helpdeskone", contact_name="Ann Admin",
                        email="ann@contoso.com", company="Contoso",
                        entra_tenant_id="8a3b2c1d-0000-4000-8000-123456789abc")
    tenant, = console.tenants("helpdeskone")
    page = console.get(location(made))
    html = page.get_data(as_text=True)
    assert 'aria-label="Support reply"' in html and "Hello Ann Admin," in html
    values = shown(page)
    assert values["Provisioning token"] == tenant.token
    assert values["Tenant URL"] == ROOT + tenant.path
    assert console.scim_users(tenant.path, f"Bearer {tenant.token}") == 200


def test_self_chosen_asks_for_single_sign_on_then_a_strong_secret_of_the_admins(console):
    home = console.get("/console/setup/keychooser").get_data(as_text=True)
    assert 'href="/console/setup/keychooser/step/sso">set up single sign-on</a>' in home
    # The screen at the end of the menu waits for single sign-on.
    assert location(console.get("/console/setup/keychooser/menu/security/scim")) == (
        "/console/setup/keychooser/step/sso?required=1")
    bad_sso = console.post("/console/setup/keychooser/step/sso",
                           **{**SSO_FORM, "certificate": "MIIC"})
    assert bad_sso.status_code == 422 and "BEGIN CERTIFICATE" in bad_sso.get_data(as_text=True)
    saved = console.post("/console/setup/keychooser/step/sso", **SSO_FORM)
    assert location(saved) == "/console/setup/keychooser/menu/security"

    screen = console.get("/console/setup/keychooser/menu/security/scim")
    html = screen.get_data(as_text=True)
    assert '<label for="secret">Provisioning secret</label>' in html
    assert '<label for="slug">Workspace name</label>' in html
    weak = console.post("/console/setup/keychooser/menu/security/scim", secret="password123",
                        slug="acme")
    assert weak.status_code == 422 and console.tenants("keychooser") == []
    assert "Provisioning secret is not strong enough" in weak.get_data(as_text=True)
    assert "password123" not in weak.get_data(as_text=True)  # never echoed back
    made = console.post("/console/setup/keychooser/menu/security/scim", secret=STRONG,
                        slug="acme")
    tenant, = console.tenants("keychooser")
    assert tenant.slug == "acme" and tenant.path == "/keychooser/acme/scim"
    values = shown(console.get(location(made)))
    assert values == {"Tenant URL": ROOT + "/keychooser/acme/scim", "Provisioning secret": STRONG}
    assert console.scim_users(tenant.path, f"Bearer {STRONG}") == 200
    taken = console.post("/console/setup/keychooser/menu/security/scim", secret=STRONG,
                         slug="acme")
    assert taken.status_code == 422 and "Workspace name “acme” is taken" in unescape(
        taken.get_data(as_text=True))


def test_oauth_code_grant_shows_the_client_and_says_authorize_does_the_rest(console):
    screen = console.get("/console/setup/codeflow/menu/apps/microsoft-entra-id")
    html = screen.get_data(as_text=True)
    assert "Register Microsoft Entra ID</button>" in html and "no secret to copy" in html
    made = console.post("/console/setup/codeflow/menu/apps/microsoft-entra-id")
    tenant, = console.tenants("codeflow")
    page = console.get(location(made))
    values = shown(page)
    expected = tenant.credentials(ROOT)
    assert values["Client ID"] == expected["client_id"]
    assert values["Client secret"] == expected["client_secret"]
    assert values["Authorization URL"] == expected["authorize_url"]
    assert values["Token URL"] == expected["token_url"]
    html = page.get_data(as_text=True)
    assert "select <strong>Authorize</strong>" in html
    consent = console.get(urlsplit(expected["authorize_url"]).path + "?" + "&".join([
        f"client_id={expected['client_id']}", "response_type=code", "state=s1",
        "redirect_uri=https://portal.azure.com/TokenAuthorize"]))
    assert consent.status_code == 200 and "CodeFlow" in consent.get_data(as_text=True)


def test_oauth_client_credentials_without_a_menu_give_a_working_token_endpoint(console):
    assert location(console.get("/console/setup/clientcreds")) == (
        "/console/setup/clientcreds/step/credentials")
    screen = console.get("/console/setup/clientcreds/step/credentials")
    assert "ClientCreds Admin" in screen.get_data(as_text=True)
    made = console.post("/console/setup/clientcreds/step/credentials")
    tenant, = console.tenants("clientcreds")
    values = shown(console.get(location(made)))
    assert set(values) == {"Tenant URL", "Client ID", "Client secret", "Token URL"}
    answer = console.client.post(urlsplit(values["Token URL"]).path, data={
        "grant_type": "client_credentials", "client_id": values["Client ID"],
        "client_secret": values["Client secret"]})
    assert answer.status_code == 200, answer.get_json()
    access = answer.get_json()["access_token"]
    assert console.scim_users(tenant.path, f"Bearer {access}") == 200
    assert console.scim_users(tenant.path, f"Bearer {values['Client secret']}") == 401


def test_basic_confirms_the_prerequisites_then_shows_a_username_and_password(console):
    assert location(console.get("/console/setup/basicauth/menu/admin/provisioning")) == (
        "/console/setup/basicauth?required=1")
    refused = console.post("/console/setup/basicauth")
    assert refused.status_code == 422
    assert location(console.post("/console/setup/basicauth", **{"prerequisite-0": "on"})) == (
        "/console/setup/basicauth/menu/admin")
    made = console.post("/console/setup/basicauth/menu/admin/provisioning")
    tenant, = console.tenants("basicauth")
    values = shown(console.get(location(made)))
    assert set(values) == {"Tenant URL", "Login", "Password"}  # Login: the profile's label
    pair = base64.b64encode(f"{values['Login']}:{values['Password']}".encode()).decode()
    assert console.scim_users(tenant.path, f"Basic {pair}") == 200
    wrong = base64.b64encode(f"{values['Login']}:not-it".encode()).decode()
    assert console.scim_users(tenant.path, f"Basic {wrong}") == 401


def test_each_step_outside_a_flow_is_a_404_page(console):
    for url in ("/console/setup/deskpilot/step/sso",  # no single sign-on step
                "/console/setup/deskpilot/step/credentials",  # its screen is in the menu
                "/console/setup/helpdeskone/menu/anything",
                "/console/setup/velpic/step/billing"):
        answer = console.get(url)
        assert answer.status_code == 404, url
        assert answer.content_type.startswith("text/html")


def test_the_index_says_how_each_kind_of_flow_goes(console):
    html = unescape(console.get("/console/setup").get_data(as_text=True))
    profiles = console.registry.profiles
    for vendor in ("helpdeskone", "keychooser", "codeflow", "clientcreds", "basicauth"):
        assert flows.summary(profiles[vendor]) in html
    assert "You choose the secret yourself" in flows.summary(profiles["keychooser"])
    assert "Authorize" in flows.summary(profiles["codeflow"])
    assert "client id and secret" in flows.summary(profiles["clientcreds"])


def test_single_sign_on_first_without_a_menu_leads_to_one_screen(console):
    """A profile with `sso_first = true` and nothing else: the console's own single sign-on
    step, then the one screen that issues the token (no plain form that would skip it)."""
    assert location(console.get("/console/setup/ssofirst")) == (
        "/console/setup/ssofirst/step/sso")
    assert location(console.post("/console/setup/ssofirst/step/credentials")) == (
        "/console/setup/ssofirst/step/sso?required=1")
    assert console.tenants("ssofirst") == []
    sso = console.get("/console/setup/ssofirst/step/sso").get_data(as_text=True)
    assert "Set up SAML single sign-on for the app in Entra first." in sso
    assert location(console.post("/console/setup/ssofirst/step/sso", **SSO_FORM)) == (
        "/console/setup/ssofirst/step/credentials")
    made = console.post("/console/setup/ssofirst/step/credentials")
    tenant, = console.tenants("ssofirst")
    assert shown(console.get(location(made)))["Secret Token"] == tenant.token
