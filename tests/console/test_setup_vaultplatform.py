"""Vault Platform's setup: Administration > Authentication (SAML), then Administration > Data
Integration (Azure, bearer, a strong Secret, "Set as active SCIM Provider")."""

from __future__ import annotations

import base64

from test_setup_index import assert_credentials_work, entra_test_connection

BODY = base64.b64encode(bytes(range(200)) * 4).decode()
CERTIFICATE = "-----BEGIN CERTIFICATE-----\n" + "\n".join(
    BODY[i:i + 64] for i in range(0, len(BODY), 64)) + "\n-----END CERTIFICATE-----"
SSO_URL = "https://login.microsoftonline.com/8a3b2c1d-0000-4000-8000-123456789abc/saml2"
SECRET = "Vault-Training-2024!secret"
AUTHENTICATION = "/console/setup/vaultplatform/menu/administration/authentication"
DATA_INTEGRATION = "/console/setup/vaultplatform/menu/administration/data-integration"


def _authentication(page, *, issuer="vaultplatform", certificate=CERTIFICATE,
                    login_method="Identity Provider - Azure - SAML"):
    page.goto(AUTHENTICATION)
    page.get_by_label("Login method").select_option(login_method)
    page.get_by_label("Issuer URI").fill(issuer)
    page.get_by_label("SSO URL").fill(SSO_URL)
    page.get_by_label("Certificate").fill(certificate)
    page.get_by_role("button", name="Save").click()


def _data_integration(page, *, secret=SECRET, slug="acme", active=True):
    page.get_by_label("Data Integration", exact=True).select_option("Azure")
    page.get_by_label("Method of providing SCIM secret location").select_option("bearer")
    page.get_by_label("Secret", exact=True).fill(secret)
    page.get_by_label("Organization slug").fill(slug)
    page.get_by_role("switch", name="Set as active SCIM Provider").set_checked(active)
    page.get_by_role("button", name="Save").click()


def test_the_whole_flow_ends_with_the_secret_as_a_working_token(page, console_server,
                                                                screenshot):
    """Vault Platform tutorial, step 2: Authentication (Issuer URI `vaultplatform`, the whole
    certificate), then Data Integration (`Azure`, `bearer`, a complex Secret, the active-provider
    switch on); the Tenant URL ends in the organization slug."""
    page.goto("/console/setup/vaultplatform")
    menu = page.get_by_role("navigation", name="Vault Platform menu")
    menu.get_by_role("link", name="Administration").click()
    menu.get_by_role("link", name="Authentication").click()
    assert page.url.endswith(AUTHENTICATION)
    _authentication(page)
    page.wait_for_url(f"**{DATA_INTEGRATION}?saved=authentication")
    assert page.get_by_role("status").first.inner_text() == "Authentication is saved."
    _data_integration(page)
    page.wait_for_url("**/console/setup/vaultplatform/acme")
    tenant_url, token = assert_credentials_work(page, console_server.url)
    assert tenant_url == f"{console_server.url}/api/scim/acme"
    assert token == SECRET  # the Secret set in Data Integration is the Secret Token
    assert page.get_by_role("switch", name="Set as active SCIM Provider").is_checked()
    screenshot(page, "setup-vaultplatform-credentials")


def test_the_toggle_really_switches_the_scim_endpoint_off_and_on(page, console_server):
    """Vault Platform tutorial (Data Integration): Set as active SCIM Provider must be on.
    While it is off the endpoint refuses Entra (401); the toggle stays reachable from Data
    Integration."""
    _authentication(page)
    _data_integration(page, slug="toggle-org")
    page.wait_for_url("**/console/setup/vaultplatform/toggle-org")
    tenant_url = page.get_by_label("Tenant URL", exact=True).input_value()
    assert entra_test_connection(tenant_url, SECRET)[0] == 200

    page.get_by_role("switch", name="Set as active SCIM Provider").uncheck()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/toggle-org?saved=settings")
    assert not page.get_by_role("switch", name="Set as active SCIM Provider").is_checked()
    status, body = entra_test_connection(tenant_url, SECRET)
    assert status == 401 and "not the active SCIM provider" in body["detail"]

    page.goto(DATA_INTEGRATION)  # later: the organization is listed where it was set up
    page.get_by_role("link", name="toggle-org").click()
    page.get_by_role("switch", name="Set as active SCIM Provider").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/toggle-org?saved=settings")
    assert entra_test_connection(tenant_url, SECRET)[0] == 200


def test_saving_with_the_toggle_off_creates_an_inactive_provider(page):
    _authentication(page)
    _data_integration(page, slug="inactive-org", active=False)
    page.wait_for_url("**/console/setup/vaultplatform/inactive-org")
    tenant_url = page.get_by_label("Tenant URL", exact=True).input_value()
    assert entra_test_connection(tenant_url, SECRET)[0] == 401


def test_a_certificate_without_markers_is_refused_and_nothing_is_saved(page, console_app):
    """Vault Platform tutorial (SAML step): the certificate goes into the Certificate field
    whole, BEGIN and END lines included."""
    sandbox = console_app.extensions["scim_sandbox"]
    before = len(sandbox.tenants())
    _authentication(page, certificate=BODY)
    alert = page.get_by_role("alert").inner_text()
    assert "Certificate must start with the -----BEGIN CERTIFICATE----- marker" in alert
    assert page.url.endswith(AUTHENTICATION)
    assert page.get_by_label("Certificate").input_value() == BODY  # kept for correcting
    assert page.get_by_label("Issuer URI").input_value() == "vaultplatform"
    _authentication(page, certificate=CERTIFICATE.replace("-----END CERTIFICATE-----", ""))
    assert "must end with the -----END CERTIFICATE----- marker" in (
        page.get_by_role("alert").inner_text())
    assert len(sandbox.tenants()) == before


def test_a_wrong_issuer_and_login_method_are_refused(page):
    """Vault Platform tutorial (SAML step): the login method becomes the Azure SAML identity
    provider and the Issuer URI is `vaultplatform`."""
    _authentication(page, issuer="https://vaultplatform.com", login_method="Email and password")
    alert = page.get_by_role("alert").inner_text()
    assert "Issuer URI must be set to “vaultplatform” exactly" in alert
    assert "The login method must be “Identity Provider - Azure - SAML”" in alert
    # Data Integration still says Authentication comes first.
    page.goto(DATA_INTEGRATION)
    assert "Authentication is not set up yet" in page.get_by_role("status").inner_text()


def test_a_weak_secret_says_what_is_missing_and_is_not_kept(page, console_app):
    """Vault Platform tutorial (Data Integration): the Secret is as complex as a strong
    password."""
    sandbox = console_app.extensions["scim_sandbox"]
    before = len(sandbox.tenants())
    _authentication(page)
    _data_integration(page, secret="password123", slug="weak-org")
    alert = page.get_by_role("alert").inner_text()
    assert "Secret is not strong enough; it needs at least 16 characters (it has 11)" in alert
    assert "an uppercase letter" in alert and "a symbol" in alert
    assert page.get_by_label("Secret", exact=True).input_value() == ""  # never echoed back
    assert page.get_by_label("Organization slug").input_value() == "weak-org"
    assert len(sandbox.tenants()) == before


def test_data_integration_before_authentication_is_refused(page):
    page.goto(DATA_INTEGRATION)
    _data_integration(page, slug="too-early")
    assert "Set up Administration > Authentication first" in (
        page.get_by_role("alert").inner_text())


def test_a_taken_or_malformed_slug_is_a_form_message(page):
    _authentication(page)
    _data_integration(page, slug="Acme Corp")
    assert "Organization slug may hold only lowercase letters" in (
        page.get_by_role("alert").inner_text())
    _data_integration(page, slug="vaultplatform-demo")
    assert "Organization slug “vaultplatform-demo” is taken" in (
        page.get_by_role("alert").inner_text())
