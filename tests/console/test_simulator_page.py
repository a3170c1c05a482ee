"""The Entra simulator in a real browser: Admin Credentials, Test Connection, Start
provisioning, progress and the Provisioning logs, against the sandbox's own demo tenants."""

from __future__ import annotations

import re

import pytest
from simulator_client import demo_tenant, stored_users

from sandbox.scim.listing import ListQuery

BANNER = ("Simulation of the Microsoft Entra provisioning service; "
          "no Microsoft service is contacted")


def fill_credentials(page, url, token):
    page.get_by_label("Tenant URL").fill(url)
    page.get_by_label("Secret Token").fill(token)


def start_cycle(page, cycle):
    """Turn provisioning On, start, and wait for the page to show that cycle's log."""
    page.get_by_label("On", exact=True).check()
    page.get_by_role("button", name="Start provisioning", exact=True).click()
    page.get_by_role("table", name=f"Provisioning log of cycle {cycle}").wait_for()


def log_rows(page, cycle):
    table = page.get_by_role("table", name=f"Provisioning log of cycle {cycle}")
    rows = []
    for row in table.locator("tbody tr").all():
        cells = [c.inner_text().strip() for c in row.locator("td").all()]
        rows.append({"identity": cells[1], "type": cells[2], "action": cells[3],
                     "status": cells[4], "details": cells[7]})
    return rows


def test_the_page_is_plainly_a_simulation_with_entra_labels(page):
    page.goto("/console/simulator")
    assert BANNER in page.locator(".simulation-banner").inner_text()
    assert page.get_by_label("Provisioning Mode").input_value() == "Automatic"
    for label in ("Tenant URL", "Secret Token", "Notification Email", "Scope"):
        assert page.get_by_label(label).is_visible()
    assert "Default Access" in page.locator("#provisioning").inner_text()
    assert page.locator("img").count() == 0  # no logos at all


def test_test_connection_to_a_demo_tenant_succeeds(page, console_app, console_server,
                                                   screenshot):
    tenant, url = demo_tenant(console_app, console_server, "velpic")
    page.goto("/console/simulator")
    fill_credentials(page, url, tenant.token)
    page.get_by_role("button", name="Test Connection").click()
    result = page.get_by_role("status").filter(has_text="Success")
    result.wait_for()
    assert "The supplied credentials are authorized to enable provisioning" in result.inner_text()
    assert "velpic-demo" in result.inner_text()
    screenshot(page, "simulator-test-connection-ok")
    # It really sent Entra's test request to the tenant.
    operations = [e.operation for e in tenant.journal.entries()]
    assert operations == ["test connection"]


def test_a_wrong_token_fails_as_entra_shows_it(page, console_app, console_server, screenshot):
    tenant, url = demo_tenant(console_app, console_server, "velpic")
    page.goto("/console/simulator")
    fill_credentials(page, url, "not-the-right-token")
    page.get_by_role("button", name="Test Connection").click()
    alert = page.get_by_role("alert").filter(has_text="Failure")
    alert.wait_for()
    text = alert.inner_text()
    assert "You appear to have entered invalid credentials" in text
    assert "SystemForCrossDomainIdentityManagementCredentialValidationUnavailable" in text
    assert "HTTP status: 401" in text
    assert "Detail: " in text and "token" in text.lower()  # the endpoint's own SCIM detail
    screenshot(page, "simulator-test-connection-failed")
    assert [(e.operation, e.status) for e in tenant.journal.entries()] == [
        ("test connection", 401)]


@pytest.mark.parametrize(("url", "message"), [
    ("", "Enter the Tenant URL"),
    ("ftp://example.com/scim", "must start with https://"),
    ("http://127.0.0.1:1/scim/v2", "Unable to connect to the Tenant URL"),
])
def test_bad_tenant_urls_get_a_clear_message(page, url, message):
    page.goto("/console/simulator")
    fill_credentials(page, url, "some-token-123")
    page.get_by_role("button", name="Test Connection").click()
    alert = page.get_by_role("alert").filter(has_text=message)
    alert.wait_for()
    assert "Failure" in alert.inner_text()


def test_a_tenant_url_link_prefills_the_url_and_the_vendor_mappings(page, console_app,
                                                                    console_server):
    _, url = demo_tenant(console_app, console_server, "veritas")
    page.goto(f"/console/simulator?tenant_url={url}")
    assert page.get_by_label("Tenant URL").input_value() == url
    assert page.get_by_label("Secret Token").input_value() == ""
    mappings = page.locator("#mappings").inner_text()
    assert "Veritas" in mappings and "veritas-demo" in mappings
    assert "emailAliases" in mappings
    assert re.search(r"Matching attribute: userName", mappings)
    # Another URL typed in: Entra's defaults, and no Groups table for Veritas anymore.
    page.get_by_label("Tenant URL").fill("https://scim.example.com/v2")
    page.get_by_label("Tenant URL").dispatch_event("change")
    page.locator("#mappings").get_by_text("not one of this sandbox's tenants").wait_for()
    assert "emailAliases" not in page.locator("#mappings").inner_text()


def test_start_provisioning_runs_a_cycle_and_shows_the_logs(page, console_app, console_server,
                                                            screenshot):
    tenant, url = demo_tenant(console_app, console_server, "velpic")
    page.goto("/console/simulator")
    fill_credentials(page, url, tenant.token)
    page.get_by_label("Notification Email").fill("admin@example.com")
    start_cycle(page, 1)

    rows = log_rows(page, 1)
    created = [r for r in rows if r["action"] == "Create"]
    assert len(created) == 8 and all(r["status"] == "Success" for r in created)
    skipped = [r for r in rows if r["action"] == "Skip" and r["type"] == "User"]
    assert len(skipped) == 2 and all("Default Access" in r["details"] for r in skipped)
    # Velpic has no groups: the directory's two groups are skipped, saying why.
    groups = [r for r in rows if r["type"] == "Group"]
    assert [r["status"] for r in groups] == ["Skipped", "Skipped"]
    assert all("group provisioning is off" in r["details"].lower() for r in groups)
    summary = page.locator("#logs .summary").first.inner_text()
    assert "Cycle 1 (initial)" in summary and "17 requests sent" in summary
    assert "Create: 8 Success" in summary
    screenshot(page, "simulator-logs")
    # The users are really in the tenant, and the settings were saved with the start.
    source = page.get_by_role("table", name="Source users").inner_text()
    names = set(stored_users(tenant))
    assert len(names) == 8 and all(name in source for name in names)
    assert page.get_by_label("Notification Email").input_value() == "admin@example.com"
    assert page.get_by_label("On", exact=True).is_checked()


def test_a_second_cycle_after_changes_shows_only_the_changed_objects(page, console_app,
                                                                     console_server,
                                                                     screenshot):
    tenant, url = demo_tenant(console_app, console_server, "visitly")
    page.goto("/console/simulator")
    fill_credentials(page, url, tenant.token)
    start_cycle(page, 1)
    page.get_by_role("button", name="Simulate changes in the directory").click()
    changes = page.get_by_role("status").filter(has_text="Changed in the source directory")
    assert "disabled" in changes.inner_text() and "renamed" in changes.inner_text()

    start_cycle(page, 2)
    rows = log_rows(page, 2)
    # Unassigned and disabled: active false; renamed; deleted for good: DELETE.
    assert [(r["action"], r["status"]) for r in rows] == [
        ("Disable", "Success"), ("Disable", "Success"), ("Update", "Success"),
        ("Delete", "Success")]
    assert "-Renamed" in rows[2]["identity"]
    summary = page.locator("#logs .summary").first.inner_text()
    assert "Cycle 2 (incremental)" in summary and "5 requests sent" in summary
    screenshot(page, "simulator-second-cycle")
    # Visitly deletes softly: the removed user is still there, inactive like the other two.
    stored = stored_users(tenant)
    assert len(stored) == 8 and sum(1 for u in stored.values() if not u["active"]) == 3


def test_olfeo_provisions_groups_and_members(page, console_app, console_server, screenshot):
    tenant, url = demo_tenant(console_app, console_server, "olfeo")
    page.goto("/console/simulator")
    page.get_by_role("spinbutton", name="Groups").fill("3")
    page.get_by_role("button", name="Create directory").click()
    fill_credentials(page, url, tenant.token)
    start_cycle(page, 1)

    rows = log_rows(page, 1)
    groups = [r for r in rows if r["type"] == "Group"]
    assert [r["action"] for r in groups if r["action"] == "Create"] == ["Create"] * 3
    member_updates = [r for r in groups if r["action"] == "Update"]
    counted = re.compile(r"Added (1 member|(?!1 )\d+ members)\.")
    assert member_updates and all(counted.fullmatch(r["details"]) for r in member_updates)
    assert all(r["status"] == "Success" for r in rows if r["action"] != "Skip")
    assert tenant.counts()["Group"] == 3
    listed = tenant.list_view(
        tenant.list(tenant.resource_type("Groups"), ListQuery()), "http://x")
    assert all(g.get("members") for g in listed["Resources"])
    screenshot(page, "simulator-olfeo-groups")


def test_start_is_refused_while_provisioning_is_off(page, console_app, console_server):
    tenant, url = demo_tenant(console_app, console_server, "velpic")
    page.goto("/console/simulator")
    fill_credentials(page, url, tenant.token)
    page.get_by_role("button", name="Start provisioning", exact=True).click()
    alert = page.get_by_role("alert").filter(has_text="Provisioning Status is Off")
    alert.wait_for()
    assert tenant.journal.entries() == []


def test_a_cycle_with_a_wrong_token_reports_why_it_stopped(page, console_app, console_server):
    _, url = demo_tenant(console_app, console_server, "velpic")
    page.goto("/console/simulator")
    fill_credentials(page, url, "wrong-token-123")
    page.get_by_label("On", exact=True).check()
    page.get_by_role("button", name="Start provisioning", exact=True).click()
    alert = page.locator("#logs").get_by_role("alert")
    alert.wait_for()
    assert "Test Connection failed" in alert.inner_text()
    assert "HTTP 401" in alert.inner_text()


def test_test_connection_reaches_an_endpoint_on_another_server(page):
    """Not this server: the request goes over the network, as to anyone's SCIM endpoint."""
    from console_support import ADMIN_TOKEN

    from sandbox.app import create_app
    from sandbox.testing.server import LiveServer

    other = create_app({"admin_token": ADMIN_TOKEN, "demo_tenants": False})
    tenant = other.extensions["scim_sandbox"].create_tenant("generic")
    server = LiveServer(other)
    try:
        page.goto("/console/simulator")
        fill_credentials(page, server.url + tenant.path, tenant.token)
        page.get_by_role("button", name="Test Connection").click()
        result = page.get_by_role("status").filter(has_text="Success")
        result.wait_for()
        # Another server's tenant: Entra's default mappings, no vendor named.
        assert "generic" not in result.inner_text()
        # /Users, then /Groups: Entra's default mappings provision groups.
        assert [e.operation for e in tenant.journal.entries()] == ["test connection"] * 2
    finally:
        server.stop()


def test_a_failed_object_shows_the_entra_code_and_the_scim_error(page, console_app,
                                                                 console_server, screenshot):
    tenant, url = demo_tenant(console_app, console_server, "generic")
    tenant.faults.add({"operation": "create user", "status": 400, "scim_type": "invalidSyntax",
                       "detail": "Request is unparsable", "times": 1})
    page.goto("/console/simulator")
    fill_credentials(page, url, tenant.token)
    start_cycle(page, 1)
    failed = [r for r in log_rows(page, 1) if r["status"] == "Failure"]
    assert len(failed) == 1 and failed[0]["action"] == "Create"
    details = failed[0]["details"]
    assert "SystemForCrossDomainIdentityManagementServiceIncompatible" in details
    assert "HTTP 400" in details and "scimType invalidSyntax" in details
    assert "Detail: Request is unparsable" in details
    # 7 users and the 2 groups of the directory are created; the first user failed.
    assert "Create: 1 Failure, 9 Success" in page.locator("#logs .summary").first.inner_text()
    screenshot(page, "simulator-log-failure")


def test_save_keeps_the_settings_and_refuses_a_bad_email(page, console_app, console_server):
    tenant, url = demo_tenant(console_app, console_server, "olfeo")
    page.goto("/console/simulator")
    fill_credentials(page, url + "?aadOptscim062020", tenant.token)
    page.get_by_label("Notification Email").fill("not-an-email")
    page.get_by_role("button", name="Save").click()
    assert "Not saved" in page.get_by_role("alert").inner_text()

    fill_credentials(page, url + "?aadOptscim062020", tenant.token)
    page.get_by_label("Notification Email").fill("ops@example.com")
    page.get_by_label("On", exact=True).check()
    page.get_by_role("button", name="Save").click()
    page.get_by_role("status").filter(has_text="Saved").wait_for()
    page.reload()
    assert page.get_by_label("Tenant URL").input_value() == url + "?aadOptscim062020"
    assert page.get_by_label("Notification Email").input_value() == "ops@example.com"
    assert page.get_by_label("On", exact=True).is_checked()
    assert "which the saved one does" in page.locator("#provisioning").inner_text()
    assert "Olfeo" in page.locator("#mappings").inner_text()  # the flag does not hide the vendor
