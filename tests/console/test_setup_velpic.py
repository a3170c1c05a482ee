"""Velpic's setup: prerequisites, then Manage > Integration > Plugin > SCIM, enable the plugin."""

from __future__ import annotations

import re

from test_setup_index import PROFILES, assert_credentials_work

PREREQUISITES = PROFILES["velpic"].setup["prerequisites"]


def _confirm_prerequisites(page):
    page.goto("/console/setup/velpic")
    for line in PREREQUISITES:
        page.get_by_label(line).check()
    page.get_by_role("button", name="Sign in to Velpic").click()


def test_the_whole_flow_ends_with_credentials_that_work(page, console_server, screenshot):
    """Velpic tutorial, step 5: the Tenant URL and Secret Token are under Manage > Integration
    > Plugin > SCIM in the Velpic account."""
    _confirm_prerequisites(page)
    page.wait_for_url("**/console/setup/velpic/menu/manage")
    console = page.get_by_label("Velpic console (simulation)")
    assert console.get_by_text("simulation", exact=True).is_visible()
    menu = page.get_by_role("navigation", name="Velpic menu")
    for label in ("Integration", "Plugin", "SCIM"):
        assert menu.get_by_role("link", name=label).is_visible()
        menu.get_by_role("link", name=label).click()
        assert menu.get_by_role("link", name=label).get_attribute("aria-current") == "page"
    assert page.url.endswith("/console/setup/velpic/menu/manage/integration/plugin/scim")
    assert page.get_by_role("heading", name="SCIM").is_visible()
    page.get_by_role("button", name="Enable SCIM plugin").click()
    page.wait_for_url(re.compile(r".*/console/setup/velpic/velpic-[0-9a-f]+$"))
    assert page.get_by_label("Tenant URL", exact=True).is_visible()
    assert page.get_by_label("Secret Token", exact=True).is_visible()
    assert page.get_by_role("button", name="Copy Secret Token").is_visible()
    tenant_url, _ = assert_credentials_work(page, console_server.url)
    assert re.fullmatch(re.escape(console_server.url) + r"/velpic/velpic-[0-9a-f]+/scim/v2",
                        tenant_url)
    assert page.get_by_role("heading", name="SCIM").is_visible()
    assert "Test Connection" in page.get_by_label("From the tutorial").inner_text()
    screenshot(page, "setup-velpic-credentials")


def test_each_menu_level_is_a_page_with_the_next_item_to_select(page):
    _confirm_prerequisites(page)
    page.wait_for_url("**/menu/manage")
    page.get_by_role("link", name="Integration").last.click()
    assert page.url.endswith("/menu/manage/integration")
    assert page.get_by_text("Select “Plugin” in the menu.").is_visible()
    # The deeper items appear only once their parent is selected, as in a real menu.
    assert page.get_by_role("navigation", name="Velpic menu").get_by_role(
        "link", name="SCIM").count() == 0


def test_unconfirmed_prerequisites_explain_the_tutorials_requirement(page, console_app):
    """Velpic tutorial, prerequisites: the Enterprise plan (or a higher one) and an account
    with Admin permissions."""
    sandbox = console_app.extensions["scim_sandbox"]
    before = len(sandbox.tenants())
    page.goto("/console/setup/velpic")
    page.get_by_label(PREREQUISITES[1]).check()
    page.get_by_role("button", name="Sign in to Velpic").click()
    alert = page.get_by_role("alert").inner_text()
    assert f"The tutorial requires this before you start: “{PREREQUISITES[0]}”." in alert
    assert PREREQUISITES[1] not in alert
    assert page.get_by_label(PREREQUISITES[1]).is_checked()  # what was ticked stays ticked
    assert len(sandbox.tenants()) == before  # nothing was created


def test_the_menu_is_closed_until_the_prerequisites_are_confirmed(page):
    page.goto("/console/setup/velpic/menu/manage/integration/plugin/scim")
    assert page.url.endswith("/console/setup/velpic?required=1")
    assert page.get_by_role("status").inner_text() == (
        "Confirm the prerequisites before opening Velpic's menu.")
