"""Each vendor's whole training flow in one browser session, as an admin would do it: set the
vendor up as its tutorial describes, carry the Tenant URL and Secret Token into the Entra
simulator, see Test Connection fail with a wrong token and pass with the right one, start
provisioning, read the Provisioning logs, and find the users in the data browser."""

from __future__ import annotations

import re

import pytest
from test_setup_index import PROFILES, credentials_on
from test_setup_olfeo import _create as create_olfeo_directory
from test_setup_vaultplatform import _authentication as vault_authentication
from test_setup_vaultplatform import _data_integration as vault_data_integration
from test_setup_velpic import _confirm_prerequisites as velpic_prerequisites
from test_setup_veritas import _request as veritas_support_request

from sandbox.scim.listing import ListQuery


def _velpic(page):
    velpic_prerequisites(page)
    menu = page.get_by_role("navigation", name="Velpic menu")
    for label in ("Integration", "Plugin", "SCIM"):
        menu.get_by_role("link", name=label).click()
    page.get_by_role("button", name="Enable SCIM plugin").click()


def _visitly(page):
    page.goto("/console/setup/visitly")
    menu = page.get_by_role("navigation", name="Visitly menu")
    for label in ("Integrations", "Host Synchronization", "Microsoft Entra ID"):
        menu.get_by_role("link", name=label).click()
    page.get_by_role("button", name="Enable Microsoft Entra ID").click()


def _vaultplatform(page):
    vault_authentication(page)
    vault_data_integration(page, slug="flow-org")


def _olfeo(page):
    create_olfeo_directory(page, name="Annuaire Formation")
    page.get_by_role("link", name="Synchronisation").click()


def _veritas(page):
    veritas_support_request(page)


SETUP = {"velpic": _velpic, "visitly": _visitly, "vaultplatform": _vaultplatform,
         "olfeo": _olfeo, "veritas": _veritas}
FINAL_SCREEN = re.compile(r".*/console/setup/(?P<vendor>[a-z]+)/(?P<tenant>[A-Za-z0-9._-]+)$")


def _test_connection(page, token):
    page.get_by_label("Secret Token").fill(token)
    page.get_by_role("button", name="Test Connection").click()


@pytest.mark.parametrize("vendor", sorted(SETUP))
def test_the_whole_training_flow(vendor, page, console_app, screenshot):
    """From the vendor's setup screens (its tutorial's steps) to users in its tenant."""
    SETUP[vendor](page)
    page.wait_for_url(FINAL_SCREEN)
    tenant_id = FINAL_SCREEN.match(page.url)["tenant"]
    tenant_url, token = credentials_on(page)
    tenant = console_app.extensions["scim_sandbox"].tenant(tenant_id)
    assert tenant is not None and tenant.profile.id == vendor

    # Into the simulator: the link carries the Tenant URL; the token is pasted by hand.
    page.get_by_role("link", name="Continue in the Entra simulator").click()
    page.wait_for_url("**/console/simulator?*")
    assert page.get_by_label("Tenant URL").input_value() == tenant_url
    assert page.get_by_label("Secret Token").input_value() == ""
    assert PROFILES[vendor].name in page.locator("#mappings").inner_text()

    _test_connection(page, "not-the-" + token)
    failure = page.get_by_role("alert").filter(has_text="Failure")
    failure.wait_for()
    assert "You appear to have entered invalid credentials" in failure.inner_text()
    assert "HTTP status: 401" in failure.inner_text()
    screenshot(page, f"flow-{vendor}-test-connection-failed")

    _test_connection(page, token)
    success = page.get_by_role("status").filter(has_text="Success")
    success.wait_for()
    assert "The supplied credentials are authorized to enable provisioning" in success.inner_text()

    page.get_by_label("On", exact=True).check()
    page.get_by_role("button", name="Start provisioning", exact=True).click()
    log = page.get_by_role("table", name="Provisioning log of cycle 1")
    log.wait_for()
    rows = [[cell.inner_text().strip() for cell in row.locator("td").all()]
            for row in log.locator("tbody tr").all()]
    created = [row[1] for row in rows if row[2] == "User" and row[3] == "Create"]
    assert created and all(row[4] == "Success" for row in rows if row[3] == "Create")
    assert not [row for row in rows if row[4] == "Failure"], rows
    screenshot(page, f"flow-{vendor}-provisioning-logs")

    # The log names users as Entra does, by display name; the tenant holds one user per row.
    stored = tenant.list_view(
        tenant.list(tenant.resource_type("Users"), ListQuery(count=500)), "http://x")
    assert stored["totalResults"] == len(created)
    user_names = [user["userName"] for user in stored["Resources"]]

    page.goto(f"/console/data/tenants/{tenant_id}")
    users = page.get_by_role("table", name="Users").inner_text()
    assert all(name in users for name in user_names)
    page.goto(f"/console/data/tenants/{tenant_id}?tab=journal")
    journal = page.locator("main").inner_text()
    assert "test connection" in journal and "create user" in journal
    screenshot(page, f"flow-{vendor}-data-browser")
