"""Visitly's setup: Integrations > Host Synchronization > Microsoft Entra ID, copy the API Key."""

from __future__ import annotations

import re

from test_setup_index import assert_credentials_work, scim_get


def test_the_whole_flow_ends_with_an_api_key_that_works(page, console_server, screenshot):
    """Visitly tutorial: Integrations > Host Synchronization, the Microsoft Entra ID section,
    copy the API Key; the Tenant URL is the fixed `https://api.visitly.io/v1/usersync/SCIM`."""
    page.goto("/console/setup/visitly")
    menu = page.get_by_role("navigation", name="Visitly menu")
    for label in ("Integrations", "Host Synchronization", "Microsoft Entra ID"):
        menu.get_by_role("link", name=label).click()
    assert page.url.endswith(
        "/console/setup/visitly/menu/integrations/host-synchronization/microsoft-entra-id")
    page.get_by_role("button", name="Enable Microsoft Entra ID").click()
    page.wait_for_url(re.compile(r".*/console/setup/visitly/visitly-[0-9a-f]+$"))
    assert page.get_by_label("API Key", exact=True).is_visible()
    assert page.get_by_role("button", name="Copy API Key").is_visible()
    assert page.get_by_label("Secret Token", exact=True).count() == 0
    tenant_url, api_key = assert_credentials_work(page, console_server.url)
    # One URL for every customer: the API Key alone finds the tenant.
    assert tenant_url == f"{console_server.url}/v1/usersync/SCIM"
    assert "https://api.visitly.io/v1/usersync/SCIM" in page.get_by_role("main").inner_text()
    assert scim_get(f"{tenant_url}/Users", "not-" + api_key)[0] == 401
    screenshot(page, "setup-visitly-credentials")


def test_the_copy_button_copies_the_api_key(page, console_server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"],
                                   origin=console_server.url)
    page.goto("/console/setup/visitly/menu/integrations/host-synchronization/microsoft-entra-id")
    page.get_by_role("button", name="Enable Microsoft Entra ID").click()
    page.get_by_role("button", name="Copy API Key").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.get_by_label("API Key", exact=True).input_value()


def test_two_enablements_give_two_tenants_with_their_own_keys(page, console_server):
    keys = []
    for _ in range(2):
        page.goto("/console/setup/visitly/menu/integrations/host-synchronization/"
                  "microsoft-entra-id")
        page.get_by_role("button", name="Enable Microsoft Entra ID").click()
        page.wait_for_url(re.compile(r".*/visitly-[0-9a-f]+$"))
        keys.append(page.get_by_label("API Key", exact=True).input_value())
    assert keys[0] != keys[1]
