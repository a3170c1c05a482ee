"""The simulator's Settings: Scope ("Sync only assigned users and groups" / "Sync all users and
groups"), scoping filters, and Prevent accidental deletions with its threshold, through the
Flask test client; each goes into the config the next cycle runs by. Facts from Microsoft's
"Attribute-based application provisioning with scoping filters" (clauses of a filter are
ANDed, filters are ORed, a user that leaves scope is disabled) and "Enable accidental
deletions prevention" (a cycle over the threshold stages its removals and quarantines the
job until Allow deletes)."""

from __future__ import annotations

import re

import pytest
from simulator_client import (
    flashes,
    operations,
    page_text,
    post,
    save,
    start,
    stored_users,
    the_simulation,
)


@pytest.fixture
def generic(simulator_for):
    return simulator_for("generic", users=10)


def directory(console_app, client):
    return the_simulation(console_app, client).directory


def test_the_settings_are_saved_and_shown_again(generic, console_app):
    tenant, client, csrf = generic
    html = save(client, csrf, tenant, scope="all",
                scoping_filters="department EQUALS Sales AND city IS NOT NULL\n\n"
                                "jobTitle REGEX MATCH .*Engineer.*",
                deletion_threshold="25")
    assert "Saved." in " ".join(flashes(html))
    settings = the_simulation(console_app, client).settings
    assert settings.scope.mode == "all"
    assert [str(f) for f in settings.scope.filters] == [
        "department EQUALS Sales AND city IS NOT NULL", "jobTitle REGEX MATCH .*Engineer.*"]
    assert settings.quarantine_policy.deletion_threshold == 25
    assert '<option value="all" selected>Sync all users and groups</option>' in html
    assert ("department EQUALS Sales AND city IS NOT NULL\njobTitle REGEX MATCH "
            ".*Engineer.*</textarea>") in html
    assert 'name="deletion_threshold" type="number" min="1" max="100000"\n' \
           '                   value="25"' in html


def test_clearing_prevent_accidental_deletions_removes_the_threshold(generic, console_app):
    tenant, client, csrf = generic
    save(client, csrf, tenant, prevent_deletions=None)
    settings = the_simulation(console_app, client).settings
    assert settings.quarantine_policy.deletion_threshold is None
    assert not settings.prevent_deletions


@pytest.mark.parametrize(("fields", "message"), [
    ({"scoping_filters": "department EQUALS Sales\ndepartment SOUNDS LIKE Sales"},
     "Scoping filter 2: no scoping operator at the start of 'SOUNDS LIKE Sales'"),
    ({"scoping_filters": "shoeSize EQUALS 9"}, "'shoeSize' is not a source attribute"),
    ({"scoping_filters": "department EQUALS"}, "EQUALS needs a value"),
    ({"scoping_filters": "city REGEX MATCH ([a-z"}, "is not a regular expression"),
    ({"scope": "everyone"}, "Choose a Scope among Sync only assigned users and groups"),
    ({"deletion_threshold": "0"}, "deletion threshold must be a whole number between 1"),
    ({"deletion_threshold": "many"}, "deletion threshold must be a whole number"),
])
def test_a_setting_that_cannot_be_read_is_named_and_nothing_is_saved(generic, console_app,
                                                                      fields, message):
    tenant, client, csrf = generic
    before = the_simulation(console_app, client).settings
    shown = flashes(save(client, csrf, tenant, token="another-token-1234", **fields))
    assert len(shown) == 1 and shown[0].startswith("Not saved:") and message in shown[0]
    assert the_simulation(console_app, client).settings is before


def test_a_scoping_filter_provisions_only_the_users_it_lets_through(generic, console_app):
    tenant, client, csrf = generic
    users = [u for u in directory(console_app, client).users if u.in_scope]
    wanted = {u.userPrincipalName for u in users if re.fullmatch("[a-m].*", u.userPrincipalName)}
    assert 0 < len(wanted) < len(users)
    save(client, csrf, tenant, scoping_filters="userPrincipalName REGEX MATCH [a-m].*")
    cycle = start(console_app, client, csrf)
    assert set(stored_users(tenant)) == wanted
    skipped = [e for e in cycle.entries if e.action == "Skip" and e.display_name in
               {u.displayName for u in users}]
    assert len(skipped) == len(users) - len(wanted)
    assert all("userPrincipalName REGEX MATCH [a-m].*" in (e.reason or "") for e in skipped)


def test_filters_on_separate_lines_are_ored_and_clauses_anded(generic, console_app):
    tenant, client, csrf = generic
    users = [u for u in directory(console_app, client).users if u.in_scope]
    first, second = users[0], users[1]
    save(client, csrf, tenant, scoping_filters=(
        f"userPrincipalName EQUALS {first.userPrincipalName} AND jobTitle IS NOT NULL\n"
        f"userPrincipalName EQUALS {second.userPrincipalName} AND jobTitle IS NULL"))
    start(console_app, client, csrf)
    assert first.jobTitle and second.jobTitle  # so the second filter's AND fails
    assert set(stored_users(tenant)) == {first.userPrincipalName}


def test_sync_all_provisions_an_unassigned_user(generic, console_app):
    tenant, client, csrf = generic
    user = next(u for u in directory(console_app, client).users if u.in_scope)
    post(client, csrf, "/console/simulator/users/change",
         {"object_id": user.objectId, "action": "unassign"})
    save(client, csrf, tenant, scope="all")
    start(console_app, client, csrf)
    assert user.userPrincipalName in stored_users(tenant)
    # All users, Default Access ones included: that role only matters to assignments.
    assert len(stored_users(tenant)) == 10


def test_a_user_that_leaves_the_scope_is_disabled_and_the_change_is_a_restart(generic,
                                                                               console_app):
    """Saving a new scoping filter re-evaluates every user; one that falls out of scope is
    disabled in the application."""
    tenant, client, csrf = generic
    start(console_app, client, csrf)
    users = [u for u in directory(console_app, client).users if u.in_scope]
    kept = users[0]
    save(client, csrf, tenant,
         scoping_filters=f"userPrincipalName EQUALS {kept.userPrincipalName}")
    simulation = the_simulation(console_app, client)
    assert simulation.pending_changes == [
        "changed the scope: Sync only assigned users and groups; Scoping filter: "
        f"userPrincipalName EQUALS {kept.userPrincipalName}"]
    tenant.journal.clear()
    cycle = start(console_app, client, csrf)
    disabled = [e for e in cycle.entries if e.action == "Disable"]
    assert len(disabled) == len(users) - 1 and all(e.status == "Success" for e in disabled)
    stored = stored_users(tenant)
    assert stored[kept.userPrincipalName]["active"] is True
    assert sum(1 for u in stored.values() if u["active"] is False) == len(users) - 1
    assert "delete user" not in operations(tenant)


def test_over_the_threshold_the_removals_are_staged_until_deletes_are_allowed(generic,
                                                                              console_app):
    tenant, client, csrf = generic
    save(client, csrf, tenant, deletion_threshold="2")
    start(console_app, client, csrf)
    users = [u for u in directory(console_app, client).users if u.in_scope][:3]
    for user in users:
        post(client, csrf, "/console/simulator/users/change",
             {"object_id": user.objectId, "action": "disable"})
    tenant.journal.clear()
    cycle = start(console_app, client, csrf)
    assert [(e.action, e.status) for e in cycle.entries] == [("StagedDelete", "Skipped")] * 3
    assert set(operations(tenant)) == {"test connection"}
    text = page_text(client)
    assert ("Provisioning has been quarantined. See quarantine details for more information"
            in text)
    assert "Reason TooManyDeletes" in text
    assert "more than the accidental deletions threshold of 2" in text
    assert "StagedDelete" in text
    html = client.get("/console/simulator").get_data(as_text=True)
    assert ">Allow deletes</button>" in html

    shown = flashes(post(client, csrf, "/console/simulator/allow-deletes", {})
                    .get_data(as_text=True))
    assert shown == ["Deletes allowed: the next cycle sends the disables and deletes it staged."]
    cycle = start(console_app, client, csrf)
    assert [(e.action, e.status) for e in cycle.entries] == [("Disable", "Success")] * 3
    assert the_simulation(console_app, client).state.quarantine is None
    assert "Provisioning has been quarantined" not in page_text(client)


def test_allow_deletes_needs_a_quarantine_for_too_many_deletes(generic, console_app):
    _, client, csrf = generic
    shown = flashes(post(client, csrf, "/console/simulator/allow-deletes", {})
                    .get_data(as_text=True))
    assert shown == ["No deletes are waiting: the job is not in quarantine for too many "
                     "deletes."]
