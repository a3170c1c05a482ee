"""The data browser in a real browser: tenants, users, groups with members, the journal with
its Entra labels and bodies, faults switched on and off, reset and delete; and no tenant page
ever shows another tenant's Secret Token."""

from __future__ import annotations

import json

import pytest
from test_setup_index import scim_get

from sandbox.scim.listing import ListQuery


def sandbox_of(console_app):
    return console_app.extensions["scim_sandbox"]


def provision(page, url, token, *, groups=None):
    """Run one cycle from the Entra simulator page, as an admin would."""
    page.goto("/console/simulator")
    if groups is not None:
        page.get_by_role("spinbutton", name="Groups").fill(str(groups))
        page.get_by_role("button", name="Create directory").click()
    page.get_by_label("Tenant URL").fill(url)
    page.get_by_label("Secret Token").fill(token)
    page.get_by_label("On", exact=True).check()
    page.get_by_role("button", name="Start provisioning", exact=True).click()
    page.get_by_role("table", name="Provisioning log of cycle 1").wait_for()


def test_the_index_lists_every_tenant_with_its_url_and_counts(page, console_app, console_server):
    sandbox = sandbox_of(console_app)
    seeded, _ = sandbox.create_seeded_tenant("olfeo", {"users": 4, "groups": 1, "seed": 2})
    page.goto("/console/data")
    table = page.get_by_role("table", name="Tenants")
    for tenant in sandbox.tenants():
        row = table.locator("tr", has=page.get_by_role("link", name=tenant.id, exact=True))
        assert console_server.url + tenant.path in row.inner_text()
        assert tenant.profile.name in row.inner_text()
    seeded_row = table.locator("tr", has=page.get_by_role("link", name=seeded.id)).inner_text()
    assert "\t4\t1\t" in seeded_row
    html = page.content()
    assert not any(t.token in html for t in sandbox.tenants())  # the index shows no secrets


def test_provisioned_users_and_groups_show_in_the_browser(page, console_app, console_server,
                                                          screenshot):
    tenant = sandbox_of(console_app).tenant("olfeo-demo")
    provision(page, console_server.url + tenant.path, tenant.token, groups=2)

    page.goto("/console/data")
    page.get_by_role("link", name="olfeo-demo", exact=True).click()
    users = page.get_by_role("table", name="Users")
    stored = tenant.list_view(
        tenant.list(tenant.resource_type("Users"), ListQuery()), "http://x")
    assert stored["totalResults"] == 8
    for user in stored["Resources"]:
        assert user["userName"] in users.inner_text()
    first = stored["Resources"][0]
    page.get_by_role("link", name=first["userName"]).click()
    shown = json.loads(page.get_by_label("Resource JSON").inner_text())
    assert shown["id"] == first["id"] and shown["userName"] == first["userName"]

    page.get_by_role("link", name="Groups", exact=True).click()
    groups = page.get_by_role("table", name="Groups")
    listed = tenant.list_view(
        tenant.list(tenant.resource_type("Groups"), ListQuery()), "http://x")
    assert listed["totalResults"] == 2
    by_id = {u["id"]: u["userName"] for u in stored["Resources"]}
    for group in listed["Resources"]:
        row = groups.locator("tr", has=page.get_by_role("link", name=group["displayName"]))
        names = row.locator("ul.members li").all_inner_texts()
        assert sorted(names) == sorted(by_id[m["value"]] for m in group["members"])
    screenshot(page, "data-tenant-groups")


def test_the_journal_shows_labels_and_bodies_and_filters_and_clears(page, console_app,
                                                                    console_server,
                                                                    screenshot):
    tenant = sandbox_of(console_app).tenant("velpic-demo")
    provision(page, console_server.url + tenant.path, tenant.token)
    page.goto(f"/console/data/tenants/{tenant.id}?tab=journal")

    journal = page.get_by_role("list", name="Journal")
    entries = journal.get_by_role("listitem")
    assert entries.count() == 17  # Test Connection, then a match query and a create each
    summaries = [s.inner_text() for s in journal.locator("summary").all()]
    assert sum("create user" in s for s in summaries) == 8
    assert "test connection" in summaries[-1]  # newest first: the test came first
    newest = entries.first
    newest.locator("summary").click()
    request_body = json.loads(newest.locator(".request-body").inner_text())
    response_body = json.loads(newest.locator(".response-body").inner_text())
    assert request_body["userName"] == response_body["userName"]
    assert "Authorization: Bearer [redacted]" in newest.inner_text()
    assert tenant.token not in journal.inner_text()
    screenshot(page, "data-tenant-journal")

    page.get_by_label("Operation").select_option("match query")
    page.get_by_role("button", name="Filter").click()
    assert journal.get_by_role("listitem").count() == 8
    assert all("match query" in s for s in journal.locator("summary").all_inner_texts())
    page.get_by_label("Status").fill("404")
    page.get_by_role("button", name="Filter").click()
    assert "No requests match these filters" in page.locator("main").inner_text()

    page.get_by_role("button", name="Clear journal").click()
    page.get_by_role("status").filter(has_text="The journal is cleared").wait_for()
    assert tenant.journal.entries() == []


def test_a_fault_added_in_the_browser_fails_the_next_request(page, console_app, console_server,
                                                             screenshot):
    tenant = sandbox_of(console_app).tenant("generic-demo")
    url = console_server.url + tenant.path
    page.goto(f"/console/data/tenants/{tenant.id}?tab=faults")
    form = page.get_by_role("form", name="Add a fault")
    form.get_by_label("Method").select_option("GET")
    form.get_by_label("Status").fill("503")
    form.get_by_label("Detail").fill("Maintenance window")
    form.get_by_label("Times").fill("1")
    form.get_by_role("button", name="Add fault").click()
    page.get_by_role("status").filter(has_text="added").wait_for()
    faults = page.get_by_role("table", name="Faults")
    assert "503" in faults.inner_text() and "Maintenance window" in faults.inner_text()
    assert faults.locator("td.fired").inner_text() == "0"

    status, body = scim_get(url + "/Users", tenant.token)
    assert (status, body["detail"]) == (503, "Maintenance window")
    status, _ = scim_get(url + "/Users", tenant.token)  # times=1: the next one passes
    assert status == 200

    page.reload()
    assert faults.locator("td.fired").inner_text() == "1"
    assert "Retired" in faults.inner_text()
    page.goto(f"/console/data/tenants/{tenant.id}?tab=journal")
    assert "fault f-" in page.get_by_role("list", name="Journal").inner_text()
    page.goto(f"/console/data/tenants/{tenant.id}?tab=faults")
    screenshot(page, "data-tenant-faults")
    page.get_by_role("button", name="Remove").click()
    page.get_by_role("status").filter(has_text="removed").wait_for()
    assert tenant.faults.list() == []
    assert "No faults" in page.locator("main").inner_text()


def test_faults_switch_off_and_on(page, console_app, console_server):
    tenant = sandbox_of(console_app).tenant("generic-demo")
    url = console_server.url + tenant.path
    tenant.faults.add({"status": 500, "detail": "always broken"})
    page.goto(f"/console/data/tenants/{tenant.id}?tab=faults")

    page.get_by_role("button", name="Switch off").click()
    page.get_by_role("status").filter(has_text="switched off").wait_for()
    assert tenant.faults.list() == []
    assert scim_get(url + "/Users", tenant.token)[0] == 200
    assert "Off" in page.get_by_role("table", name="Faults").inner_text()

    page.get_by_role("button", name="Switch on").click()
    page.get_by_role("status").filter(has_text="switched on").wait_for()
    assert [f.detail for f in tenant.faults.list()] == ["always broken"]
    assert scim_get(url + "/Users", tenant.token)[0] == 500

    page.get_by_role("button", name="Clear all faults").click()
    page.get_by_role("status").filter(has_text="removed").wait_for()
    assert tenant.faults.list() == []


def test_a_bad_fault_is_refused_with_the_reason(page, console_app):
    tenant = sandbox_of(console_app).tenant("generic-demo")
    page.goto(f"/console/data/tenants/{tenant.id}?tab=faults")
    form = page.get_by_role("form", name="Add a fault")
    form.get_by_label("Retry-After").fill("5")
    form.get_by_label("Status").fill("503")
    form.get_by_role("button", name="Add fault").click()
    alert = page.get_by_role("alert")
    assert "Fault not added" in alert.inner_text() and "429" in alert.inner_text()
    assert tenant.faults.list() == []


def test_a_tenant_page_never_shows_another_tenants_token(page, console_app):
    sandbox = sandbox_of(console_app)
    extra = sandbox.create_tenant("visitly")  # found by token alone, like the demo one
    tenants = sandbox.tenants()
    assert len({t.token for t in tenants}) == len(tenants)
    for tenant in tenants:
        others = [t.token for t in tenants if t.id != tenant.id]
        for tab in ("users", "groups", "journal", "faults"):
            page.goto(f"/console/data/tenants/{tenant.id}?tab={tab}")
            html = page.content()
            assert tenant.token in html
            assert not [t for t in others if t in html], (tenant.id, tab)
    assert extra.token not in page.content() or tenant.id == extra.id


def test_the_token_is_hidden_until_revealed_and_copyable(page, console_app):
    tenant = sandbox_of(console_app).tenant("vaultplatform-demo")
    page.goto(f"/console/data/tenants/{tenant.id}")
    field = page.get_by_label("Secret Token")
    assert field.get_attribute("type") == "password"
    page.get_by_role("button", name="Show").click()
    assert field.get_attribute("type") == "text" and field.input_value() == tenant.token
    page.get_by_role("button", name="Hide").click()
    assert field.get_attribute("type") == "password"
    assert page.get_by_label("Tenant URL").input_value().endswith(tenant.path)


@pytest.mark.parametrize("vendor", ["velpic", "olfeo"])
def test_reset_and_delete_ask_first_and_then_act(page, console_app, console_server, vendor):
    sandbox = sandbox_of(console_app)
    tenant, _ = sandbox.create_seeded_tenant(vendor, {"users": 3, "seed": 5})
    page.goto(f"/console/data/tenants/{tenant.id}")
    reset = page.get_by_role("button", name=f"Reset tenant {tenant.id}")
    assert not reset.is_visible()  # behind "Reset or delete this tenant…"
    page.get_by_text("Reset or delete this tenant").click()
    reset.click()
    page.get_by_role("status").filter(has_text="The tenant is reset").wait_for()
    assert tenant.counts()["User"] == 0 and sandbox.tenant(tenant.id) is tenant

    page.get_by_text("Reset or delete this tenant").click()
    page.get_by_role("button", name=f"Delete tenant {tenant.id}").click()
    page.get_by_role("status").filter(has_text=f"Tenant {tenant.id} is deleted").wait_for()
    assert sandbox.tenant(tenant.id) is None
    assert page.get_by_role("link", name=tenant.id, exact=True).count() == 0
    assert scim_get(console_server.url + tenant.path + "/Users", tenant.token)[0] in (401, 404)
    page.goto(f"/console/data/tenants/{tenant.id}")
    assert page.get_by_role("alert").inner_text().startswith("There is no tenant")
