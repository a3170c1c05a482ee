"""A profile dropped into a --vendors folder with no more than a menu and the secret's label
(tests/console/setup_profiles/deskpilot.toml) gets a setup flow of the same quality as the
bundled vendors': its console, its menu to click down, its labels, its Tenant URL and API
Key with Copy buttons, and on into the Entra simulator, which provisions it without a
failure. In a real browser."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from console_support import ADMIN_TOKEN
from test_setup_index import assert_credentials_work

from sandbox.app import create_app

PROFILES_DIR = Path(__file__).parent / "setup_profiles"
MENU = ("Settings", "Security & access", "SCIM provisioning")


@pytest.fixture()
def console_app() -> Any:
    """The sandbox as `scim-sandbox serve --vendors tests/console/setup_profiles` makes it."""
    return create_app({"admin_token": ADMIN_TOKEN, "vendors_dirs": [PROFILES_DIR]})


def _walk_to_the_credentials(page: Any) -> None:
    page.goto("/console/setup")
    page.get_by_role("link", name="Start DeskPilot setup").click()
    assert page.get_by_label("DeskPilot console (simulation)").is_visible()
    menu = page.get_by_role("navigation", name="DeskPilot menu")
    for label in MENU:
        menu.get_by_role("link", name=label).click()
        assert menu.get_by_role("link", name=label).get_attribute("aria-current") == "page"
    assert page.url.endswith("/console/setup/deskpilot/menu/settings/security-access/"
                             "scim-provisioning")
    assert page.get_by_role("heading", name="SCIM provisioning").is_visible()
    page.get_by_role("button", name="Enable SCIM provisioning").click()
    page.wait_for_url(re.compile(r".*/console/setup/deskpilot/deskpilot-[0-9a-f]+$"))


def test_a_dropped_profile_walks_its_menu_to_its_tenant_url_and_api_key(
        page, console_server, screenshot):
    page.goto("/console/setup")
    card = page.get_by_role("article", name="DeskPilot")
    assert "Settings > Security & access > SCIM provisioning" in card.inner_text()
    _walk_to_the_credentials(page)
    assert page.get_by_label("API Key", exact=True).is_visible()
    assert page.get_by_role("button", name="Copy API Key").is_visible()
    assert page.get_by_label("Secret Token", exact=True).count() == 0  # its own label
    tenant_url, _ = assert_credentials_work(page, console_server.url)
    assert re.fullmatch(re.escape(console_server.url) + r"/deskpilot/deskpilot-[0-9a-f]+/scim/v2",
                        tenant_url)
    assert "paste the Tenant URL into Tenant URL and the API Key into Secret Token" in (
        " ".join(page.locator(".next-step").inner_text().split()))
    screenshot(page, "setup-dropped-profile-credentials")


def test_the_copy_button_copies_the_api_key(page, console_server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"],
                                   origin=console_server.url)
    _walk_to_the_credentials(page)
    page.get_by_role("button", name="Copy API Key").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.get_by_label("API Key", exact=True).input_value()


def test_the_entra_simulator_provisions_the_dropped_profile_without_a_failure(
        page, console_app, screenshot):
    _walk_to_the_credentials(page)
    api_key = page.get_by_label("API Key", exact=True).input_value()
    tenant_id = page.url.rsplit("/", 1)[1]
    page.get_by_role("link", name="Continue in the Entra simulator").click()
    page.get_by_label("Secret Token").fill(api_key)
    page.get_by_label("On", exact=True).check()
    page.get_by_role("button", name="Start provisioning", exact=True).click()
    table = page.get_by_role("table", name="Provisioning log of cycle 1")
    table.wait_for()
    statuses = [row.locator("td").nth(4).inner_text().strip()
                for row in table.locator("tbody tr").all()]
    assert "Success" in statuses and "Failure" not in statuses, statuses
    tenant = console_app.extensions["scim_sandbox"].tenant(tenant_id)
    assert tenant.counts()["User"] == statuses.count("Success")
    screenshot(page, "setup-dropped-profile-provisioned")
