"""Provision on demand in the console's simulator, through the Flask test client: one user,
at once, in the steps of Microsoft's "On-demand provisioning" page (Import user, Determine if
user is in scope, Match user between source and target system, Perform action; Test
connection only when it fails), each with its status, a sentence and its details; the state
it leaves is the simulation's."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from simulator_client import (
    flashes,
    operations,
    post,
    save,
    start,
    stored_users,
    the_simulation,
)

ON_DEMAND = "/console/simulator/on-demand"
STEPS = ["Import user", "Determine if user is in scope",
         "Match user between source and target system", "Perform action"]


@pytest.fixture
def velpic(simulator_for):
    return simulator_for("velpic", users=5)


def provision(client, csrf, who):
    return post(client, csrf, ON_DEMAND, {"user": who}).get_data(as_text=True)


def shown_steps(html):
    """(title, status) of each step the page shows."""
    return re.findall(r'<h3>(.*?) <span class="badge (\w+)">', html)


def shown_details(html):
    return [json.loads(unescape(block))
            for block in re.findall(r'<pre class="details">(.*?)</pre>', html, re.S)]


def test_a_user_is_provisioned_at_once_through_the_four_steps(velpic, console_app):
    tenant, client, csrf = velpic
    user = the_simulation(console_app, client).directory.users[0]
    html = provision(client, csrf, user.userPrincipalName)
    assert flashes(html) == [f"Provisioned {user.userPrincipalName} on demand: see the "
                             "steps below."]
    assert shown_steps(html) == [(title, "Success") for title in STEPS]
    imported, scope, matched, action = shown_details(html)
    assert imported["userPrincipalName"] == user.userPrincipalName
    assert scope["Assigned to application"] is True and scope["Scope sync all"] is False
    assert matched["request"].startswith("GET /Users?filter=userName")
    created = action["requests"][0]
    assert created["request"] == "POST /Users" and created["http_status"] == 201
    assert created["body"]["userName"] == user.userPrincipalName
    assert html.count("<summary>View details</summary>") == 4
    # The state is the simulation's: the anchor is kept, and a cycle creates the others only.
    anchor = the_simulation(console_app, client).anchor_of(user.objectId)
    assert anchor == stored_users(tenant)[user.userPrincipalName]["id"]
    tenant.journal.clear()
    cycle = start(console_app, client, csrf)
    assert cycle.counts["Create"] == {"Success": 3}  # 5 users, one Default Access, one done
    assert operations(tenant).count("create user") == 3


def test_a_second_run_matches_the_account_and_has_nothing_to_send(velpic, console_app):
    _, client, csrf = velpic
    user = the_simulation(console_app, client).directory.users[1]
    provision(client, csrf, user.displayName)
    html = provision(client, csrf, user.displayName.upper())  # found by name, case aside
    steps = shown_steps(html)
    assert steps[:3] == [(title, "Success") for title in STEPS[:3]]
    assert steps[3] == ("Perform action", "Skipped")
    assert "Nothing to change" in html


def test_a_user_out_of_scope_stops_at_the_scope_step(velpic, console_app):
    tenant, client, csrf = velpic
    default_access = next(u for u in the_simulation(console_app, client).directory.users
                          if u.appRole == "Default Access")
    html = provision(client, csrf, default_access.mail)
    assert shown_steps(html) == [("Import user", "Success"),
                                 ("Determine if user is in scope", "Skipped")]
    assert "Default Access" in html
    assert stored_users(tenant) == {}


def test_an_unknown_user_fails_at_import(velpic):
    tenant, client, csrf = velpic
    html = provision(client, csrf, "nobody@example.com")
    assert shown_steps(html) == [("Import user", "Failure")]
    assert "is not in the source directory" in unescape(html)
    assert flashes(html) == ["Provision on demand of nobody@example.com failed: see the "
                             "steps below."]
    assert [op for op in operations(tenant)
            if op not in ("test connection", "schema discovery")] == []


def test_refused_credentials_show_the_test_connection_step(signed_in, console_app):
    sandbox, client, csrf = signed_in
    tenant = sandbox.create_tenant("velpic")
    save(client, csrf, tenant, token="wrong-token-123")
    user = the_simulation(console_app, client).directory.users[0]
    html = provision(client, csrf, user.userPrincipalName)
    assert shown_steps(html) == [("Test connection", "Failure")]
    assert shown_details(html)[0]["http_status"] == 401


def test_nothing_typed_is_a_message(velpic):
    _, client, csrf = velpic
    assert flashes(provision(client, csrf, "  ")) == [
        "Not provisioned: Type the user to provision: a user principal name, display name, "
        "mail or object ID."]


def test_on_demand_needs_the_admin_credentials(signed_in):
    _, client, csrf = signed_in
    assert flashes(provision(client, csrf, "someone")) == [
        "Not provisioned: Enter the Tenant URL: the SCIM base URL the application gave you."]
