"""Entra's provisioning flows on the simulator page in a real browser: Provision on demand,
a scoping filter, and quarantine with its recovery (a wrong token quarantines the job; the
right token and Restart provisioning bring it out), against the sandbox's demo tenants."""

from __future__ import annotations

from simulator_client import demo_tenant, stored_users

BANNER = "Provisioning has been quarantined. See quarantine details for more information"


def save_credentials(page, url, token):
    page.get_by_label("Tenant URL").fill(url)
    page.get_by_label("Secret Token").fill(token)
    page.get_by_label("On", exact=True).check()
    page.get_by_role("button", name="Save").click()
    page.get_by_role("status").filter(has_text="Saved").wait_for()


def start_cycle(page):
    """Start provisioning and wait for the page to come back with the logs."""
    before = page.locator("#logs details.cycle").count()
    page.get_by_role("button", name="Start provisioning", exact=True).click()
    page.locator("#logs details.cycle").nth(before).wait_for()


def source_upns(page):
    table = page.get_by_role("table", name="Source users")
    return [cell.inner_text().strip() for cell in table.locator("tbody td:nth-child(2)").all()]


def test_provision_one_user_on_demand(page, console_app, console_server, screenshot):
    tenant, url = demo_tenant(console_app, console_server, "visitly")
    page.goto("/console/simulator")
    save_credentials(page, url, tenant.token)
    upn = source_upns(page)[0]
    page.get_by_role("link", name="Provision on demand").click()
    page.get_by_label("User", exact=True).fill(upn)
    page.get_by_role("button", name="Provision", exact=True).click()
    steps = page.get_by_role("list", name="Provision on demand steps")
    steps.wait_for()
    titles = [t.inner_text() for t in steps.locator("h3").all()]
    assert titles == ["Import user Success", "Determine if user is in scope Success",
                      "Match user between source and target system Success",
                      "Perform action Success"]
    action = steps.locator("li").nth(3)
    details = action.locator("pre.details")
    assert not details.is_visible()
    action.get_by_text("View details").click()
    assert details.is_visible()
    assert '"request": "POST /Users"' in details.inner_text()
    assert upn in details.inner_text()
    assert list(stored_users(tenant)) == [upn]
    screenshot(page, "simulator-on-demand")


def test_a_scoping_filter_limits_the_cycle_to_the_users_it_lets_through(
        page, console_app, console_server, screenshot):
    tenant, url = demo_tenant(console_app, console_server, "generic")
    page.goto("/console/simulator")
    upns = source_upns(page)
    chosen = upns[1]
    page.get_by_label("Tenant URL").fill(url)
    page.get_by_label("Secret Token").fill(tenant.token)
    page.get_by_label("Scoping filters").fill(f"userPrincipalName EQUALS {chosen}")
    page.get_by_label("On", exact=True).check()
    start_cycle(page)
    assert list(stored_users(tenant)) == [chosen]
    assert page.get_by_label("Scoping filters").input_value() == \
        f"userPrincipalName EQUALS {chosen}"
    log = page.get_by_role("table", name="Provisioning log of cycle 1")
    assert "fails the scoping filter clause" in log.inner_text()
    screenshot(page, "simulator-scoping-filter")

    # A filter that cannot be read is named, and nothing is saved.
    page.get_by_label("Scoping filters").fill("userPrincipalName LOOKS LIKE admin")
    page.get_by_role("button", name="Save").click()
    alert = page.get_by_role("alert").filter(has_text="Not saved")
    alert.wait_for()
    assert "no scoping operator" in alert.inner_text()
    assert page.get_by_label("Scoping filters").input_value() == \
        f"userPrincipalName EQUALS {chosen}"


def test_a_wrong_token_quarantines_the_job_and_restart_recovers(page, console_app,
                                                                console_server, screenshot):
    tenant, url = demo_tenant(console_app, console_server, "velpic")
    page.goto("/console/simulator")
    save_credentials(page, url, "wrong-token-123")
    start_cycle(page)
    banner = page.locator("#quarantine")
    banner.wait_for()
    assert BANNER in banner.inner_text()
    assert "EncounteredQuarantineException" in banner.inner_text()
    assert "Next attempt" in banner.inner_text()
    screenshot(page, "simulator-quarantine")

    page.get_by_label("Secret Token").fill(tenant.token)
    page.get_by_role("button", name="Save").click()
    page.get_by_role("status").filter(has_text="Saved").wait_for()
    assert page.locator("#quarantine").is_visible()  # saving alone does not end it
    page.get_by_role("button", name="Restart provisioning").click()
    page.get_by_role("status").filter(has_text="Provisioning restarted").wait_for()
    assert page.locator("#quarantine").count() == 0
    start_cycle(page)
    log = page.locator("#logs details.cycle").first
    assert "Create: 8 Success" in log.inner_text() and "Failure" not in log.inner_text()
    assert page.locator("#quarantine").count() == 0
    assert len(stored_users(tenant)) == 8
