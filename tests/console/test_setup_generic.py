"""The generic profile's setup: a plain "Create a tenant" form."""

from __future__ import annotations

from test_setup_index import assert_credentials_work


def test_create_a_tenant_gives_working_credentials(page, console_server, screenshot):
    page.goto("/console/setup/generic")
    page.get_by_label("Tenant id (optional)").fill("training-lab")
    page.get_by_role("button", name="Create tenant").click()
    page.wait_for_url("**/console/setup/generic/training-lab")
    tenant_url, _ = assert_credentials_work(page, console_server.url)
    assert tenant_url == f"{console_server.url}/generic/training-lab/scim/v2"
    screenshot(page, "setup-generic-credentials")


def test_a_taken_id_and_a_short_token_re_render_the_form(page):
    page.goto("/console/setup/generic")
    page.get_by_label("Tenant id (optional)").fill("generic-demo")
    page.get_by_label("Secret Token (optional)").fill("short")
    page.get_by_role("button", name="Create tenant").click()
    alert = page.get_by_role("alert").inner_text()
    assert "Tenant id “generic-demo” is taken" in alert
    assert page.get_by_label("Tenant id (optional)").input_value() == "generic-demo"
    assert page.get_by_label("Secret Token (optional)").input_value() == ""
