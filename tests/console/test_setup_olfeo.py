"""Olfeo SAAS's setup, in French: Configuration > Annuaires, create and name a directory,
provider Azure, Créer, then the Synchronisation tab's Tenant URL and Jeton secret."""

from __future__ import annotations

from test_setup_index import PROFILES, assert_credentials_work

SETUP = PROFILES["olfeo"].setup["olfeo_directory"]


def _create(page, name="Siège Paris", provider="Azure"):
    page.goto("/console/setup/olfeo")
    menu = page.get_by_role("navigation", name="Olfeo SAAS menu")
    menu.get_by_role("link", name="Configuration").click()
    menu.get_by_role("link", name="Annuaires").click()
    page.get_by_role("link", name=SETUP["create_button"]).click()
    page.get_by_label("Nom de l'annuaire").fill(name)
    if provider:
        page.get_by_label("Fournisseur").select_option(provider)
    page.get_by_role("button", name=SETUP["save_button"]).click()


def test_the_whole_flow_in_french_ends_with_working_credentials(page, console_server,
                                                               screenshot):
    """Olfeo SAAS tutorial: Configuration > Annuaires, a new named directory with the Azure
    provider (Créer), then its Synchronisation tab shows the Tenant URL and the Jeton secret."""
    _create(page)
    page.wait_for_url("**/console/setup/olfeo/siege-paris/general")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("status").inner_text() == "L'annuaire « Siège Paris » a été créé."
    assert page.locator("#secret-token").count() == 0  # not on the Général tab
    page.get_by_role("link", name="Synchronisation").click()
    page.wait_for_url("**/console/setup/olfeo/siege-paris")
    assert page.get_by_role("link", name="Synchronisation").get_attribute(
        "aria-current") == "page"
    assert page.get_by_label("Jeton secret", exact=True).is_visible()
    assert page.get_by_label("Tenant URL", exact=True).is_visible()
    assert page.get_by_role("button", name="Copier Jeton secret").is_visible()
    tenant_url, _ = assert_credentials_work(page, console_server.url)
    assert tenant_url == f"{console_server.url}/olfeo/siege-paris/scim/v2"
    screenshot(page, "setup-olfeo-credentials")


def test_the_console_labels_are_the_french_ones_of_the_profile(page):
    page.goto("/console/setup/olfeo/menu/configuration/annuaires")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", name="Annuaires").is_visible()
    page.get_by_role("link", name="Créer un nouvel annuaire et le nommer").click()
    assert page.get_by_role("heading", name="Créer un nouvel annuaire et le nommer").is_visible()
    assert page.get_by_label("Fournisseur").locator("option").all_inner_texts() == [
        "— Choisir —", "Azure"]
    assert page.get_by_role("button", name="Créer").is_visible()
    assert page.get_by_role("link", name="Annuler").is_visible()
    # The tutorial box quotes the (English) tutorial and says so to the browser.
    assert page.get_by_label("From the tutorial").get_attribute("lang") == "en"


def test_missing_name_and_provider_are_refused_in_french(page, console_app):
    sandbox = console_app.extensions["scim_sandbox"]
    before = len(sandbox.tenants())
    _create(page, name="   ", provider="")
    alert = page.get_by_role("alert").inner_text()
    assert "Corrigez les champs signalés." in alert
    assert "Donnez un nom à l'annuaire." in alert
    assert "Sélectionnez le fournisseur Azure." in alert
    assert len(sandbox.tenants()) == before
    page.get_by_label("Nom de l'annuaire").fill("???")
    page.get_by_label("Fournisseur").select_option("Azure")
    page.get_by_role("button", name="Créer").click()
    assert "au moins une lettre ou un chiffre" in page.get_by_role("alert").inner_text()
    assert page.get_by_label("Nom de l'annuaire").input_value() == "???"


def test_a_second_directory_with_the_same_name_gets_its_own_tenant(page):
    _create(page, name="Lyon")
    page.wait_for_url("**/olfeo/lyon/general")
    _create(page, name="Lyon")
    page.wait_for_url("**/olfeo/lyon-2/general")
    page.goto("/console/setup/olfeo/menu/configuration/annuaires")
    rows = page.get_by_role("row").all_inner_texts()
    assert any("lyon-2" in row for row in rows) and any("\tlyon\t" in row for row in rows)
