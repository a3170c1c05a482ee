"""Authorize in a real browser: a vendor profile dropped into a `--vendors` folder whose
tenants an admin authorizes (OAuth 2.0 authorization code grant) is connected from the Entra
simulator the way Entra connects gallery apps such as Slack: **Authorize**, the vendor's
consent page, Approve, back on the Provisioning page "Authorized", then Test Connection and
a provisioning cycle with no failure."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from console_support import ADMIN_TOKEN

from sandbox.app import create_app
from sandbox.console.context import EXTENSION
from sandbox.console.simulator_routes import SESSION_KEY

AUTH_CODE_PROFILE = Path(__file__).parents[1] / "auth" / "profiles" / "authcode.toml"


@pytest.fixture()
def console_app(tmp_path: Path) -> Any:
    """The sandbox as `scim-sandbox serve --vendors DIR` makes it, DIR holding one profile."""
    shutil.copy(AUTH_CODE_PROFILE, tmp_path / "authcode.toml")
    return create_app({"admin_token": ADMIN_TOKEN, "vendors_dirs": [tmp_path]})


def simulation_of(page: Any, app: Any) -> Any:
    """The simulation of the browser's console session (read from its session cookie)."""
    cookie = next(c for c in page.context.cookies() if c["name"] == app.config[
        "SESSION_COOKIE_NAME"])
    session = app.session_interface.get_signing_serializer(app).loads(cookie["value"])
    return app.extensions[EXTENSION].simulations.get(session[SESSION_KEY])


def test_an_admin_authorizes_and_provisions_a_dropped_authorization_code_vendor(
        page, console_app, console_server, screenshot):
    tenant = console_app.extensions["scim_sandbox"].tenant("authcode-demo")
    tenant_url = console_server.url + tenant.path
    page.goto(f"/console/simulator?tenant_url={tenant_url}")
    method = page.get_by_label("Authentication Method")
    assert method.input_value() == "oauth2_authorization_code"
    assert not page.get_by_label("Secret Token").is_visible()  # no secret to paste
    assert "Authorization Code Vendor" in page.locator("#mappings").inner_text()

    page.get_by_role("button", name="Authorize", exact=True).click()
    page.get_by_role("heading", name="Authorization Code Vendor asks").wait_for()
    assert f"/oauth/{tenant.id}/authorize" in page.url
    screenshot(page, "simulator-authorize-consent")
    page.get_by_role("button", name="Approve").click()

    status = page.locator("#authorization-status")
    status.filter(has_text="Authorized").wait_for()
    assert tenant.id in status.inner_text()
    assert page.get_by_label("Tenant URL").input_value() == tenant_url
    page.get_by_role("button", name="Test Connection").click()
    page.get_by_role("status").filter(has_text="Success").wait_for()

    page.get_by_label("On", exact=True).check()
    page.get_by_role("button", name="Start provisioning", exact=True).click()
    table = page.get_by_role("table", name="Provisioning log of cycle 1")
    table.wait_for()
    statuses = [cell.inner_text().strip()
                for cell in table.locator("tbody tr td:nth-child(5)").all()]
    assert statuses and "Failure" not in statuses
    assert statuses.count("Success") >= 8
    assert tenant.counts()["User"] == 8
    screenshot(page, "simulator-authorize-provisioned")
    # The tokens never reach the page.
    authorization = simulation_of(page, console_app).authorization
    assert authorization is not None
    assert authorization.access_token not in page.content()
    assert authorization.refresh_token not in page.content()


def test_switching_the_authentication_method_shows_its_fields(page):
    page.goto("/console/simulator")
    method = page.get_by_label("Authentication Method")
    assert page.get_by_label("Secret Token").is_visible()
    method.select_option("basic")
    assert page.get_by_label("Username").is_visible() and page.get_by_label("Password").is_visible()
    assert not page.get_by_label("Secret Token").is_visible()
    method.select_option("oauth2_client_credentials")
    for label in ("Client ID", "Client Secret", "Token URL"):
        assert page.get_by_label(label).is_visible()
    assert not page.get_by_label("Username").is_visible()
