"""One user's changes in the simulator's source directory (Disable/Enable, Soft delete/Restore,
Hard delete, Unassign/Assign), through the Flask test client, and what the next cycle sends
for each, as Microsoft's "How Application Provisioning works" (deprovisioning) says: an
unassign, a disable or a soft delete sends an update with active false; only a hard delete
sends a DELETE."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from console_support import ADMIN_TOKEN
from simulator_client import (
    flashes,
    new_directory,
    operations,
    page_text,
    post,
    save,
    start,
    stored_users,
    the_simulation,
)

from sandbox.app import create_app

CHANGE = "/console/simulator/users/change"


@pytest.fixture
def velpic(simulator_for):
    return simulator_for("velpic", users=6)


def change(client, csrf, user, action):
    return flashes(post(client, csrf, CHANGE, {"object_id": user.objectId,
                                               "action": action}).get_data(as_text=True))


def provisioned_users(console_app, client):
    simulation = the_simulation(console_app, client)
    return [u for u in simulation.directory.users if u.in_scope]


def test_each_user_row_offers_the_changes_that_apply(velpic, console_app):
    _, client, _ = velpic
    html = client.get("/console/simulator").get_data(as_text=True)
    first = the_simulation(console_app, client).directory.users[0]
    for label in ("Disable", "Soft delete", "Hard delete", "Unassign"):
        assert f'aria-label="{label} {first.displayName}"' in html
    for label in ("Enable", "Restore", "Assign"):
        assert f'aria-label="{label} {first.displayName}"' not in html


def test_a_change_is_made_flashed_and_kept_among_the_pending_changes(velpic, console_app):
    _, client, csrf = velpic
    simulation = the_simulation(console_app, client)
    simulation.pending_changes.clear()
    user = simulation.directory.users[0]
    shown = change(client, csrf, user, "disable")
    assert shown == [f"Changed in the source directory: disabled {user.userPrincipalName} "
                     "(sign-in blocked). The next cycle sets the account inactive (active "
                     "false; a DELETE where the application keeps no disabled accounts)."]
    assert not user.accountEnabled
    assert simulation.pending_changes == [f"disabled {user.userPrincipalName} (sign-in blocked)"]
    html = client.get("/console/simulator").get_data(as_text=True)
    assert f'aria-label="Enable {user.displayName}"' in html
    assert f'aria-label="Disable {user.displayName}"' not in html
    assert "Assigned · Disabled" in page_text(client)


@pytest.mark.parametrize(("action", "message"), [
    ("enable", "Enable does not apply to"),
    ("restore", "Restore does not apply to"),
    ("assign", "Assign does not apply to"),
    ("purge", "Unknown directory action 'purge'"),
])
def test_a_change_that_does_not_apply_changes_nothing(velpic, console_app, action, message):
    _, client, csrf = velpic
    simulation = the_simulation(console_app, client)
    simulation.pending_changes.clear()
    user = simulation.directory.users[0]
    shown = change(client, csrf, user, action)
    assert len(shown) == 1 and message in shown[0]
    assert simulation.pending_changes == []
    assert user.accountEnabled and user.assigned and not user.softDeleted


def test_an_unknown_user_is_a_message(velpic, console_app):
    _, client, csrf = velpic
    shown = flashes(post(client, csrf, CHANGE, {"object_id": "no-such-user",
                                                "action": "disable"}).get_data(as_text=True))
    assert shown == ["That user is no longer in the source directory."]


def test_the_next_cycle_sends_active_false_for_all_but_the_hard_delete(velpic, console_app):
    """Microsoft's "How Application Provisioning works", Deprovisioning: unassign, disable
    and soft delete update the account with active false; a hard delete deletes it."""
    tenant, client, csrf = velpic
    assert start(console_app, client, csrf).failures == 0
    users = provisioned_users(console_app, client)
    for user, action in zip(users, ("unassign", "disable", "soft-delete", "hard-delete"),
                            strict=False):
        change(client, csrf, user, action)
    tenant.journal.clear()
    cycle = start(console_app, client, csrf)
    assert [(e.action, e.status) for e in cycle.entries] == [
        ("Disable", "Success")] * 3 + [("Delete", "Success")]
    assert operations(tenant) == ["test connection"] + ["disable user"] * 3 + ["delete user"]
    patches = [e.to_dict()["request"]["body"] for e in tenant.journal.entries()
               if e.operation == "disable user"]
    assert all(body["Operations"] == [{"op": "Replace", "path": "active", "value": "False"}]
               for body in patches)
    stored = stored_users(tenant)
    assert users[3].userPrincipalName not in stored
    assert [stored[u.userPrincipalName]["active"] for u in users[:3]] == [False] * 3
    assert the_simulation(console_app, client).pending_changes == []


def test_undoing_the_changes_makes_the_accounts_active_again(velpic, console_app):
    tenant, client, csrf = velpic
    start(console_app, client, csrf)
    users = provisioned_users(console_app, client)[:3]
    for user, action in zip(users, ("unassign", "disable", "soft-delete"), strict=True):
        change(client, csrf, user, action)
    start(console_app, client, csrf)
    for user, action in zip(users, ("assign", "enable", "restore"), strict=True):
        change(client, csrf, user, action)
    cycle = start(console_app, client, csrf)
    assert cycle.failures == 0 and len(cycle.entries) == 3
    stored = stored_users(tenant)
    assert all(stored[u.userPrincipalName]["active"] is True for u in users)


def test_changes_are_refused_while_a_cycle_runs(velpic, console_app):
    _, client, csrf = velpic
    simulation = the_simulation(console_app, client)
    simulation.progress.running = True  # as while the background thread works
    try:
        shown = change(client, csrf, simulation.directory.users[0], "disable")
    finally:
        simulation.progress.running = False
    assert shown == ["A provisioning cycle is running; wait until it finishes."]
    assert simulation.directory.users[0].accountEnabled


def test_an_app_that_keeps_no_disabled_accounts_gets_the_delete_at_once(tmp_path):
    """Microsoft's "How Application Provisioning works": where the application does not
    support soft delete, Entra deletes instead of disabling (the test profile
    `lockedgroups` has the hard_delete_only rule)."""
    shutil.copy(Path(__file__).parents[1] / "entra" / "profiles" / "lockedgroups.toml",
                tmp_path / "lockedgroups.toml")
    app = create_app({"admin_token": ADMIN_TOKEN, "vendors_dirs": [tmp_path]})
    client = app.test_client()
    client.post("/console/login", data={"admin_token": ADMIN_TOKEN})
    with client.session_transaction() as session:
        csrf = session["console_csrf"]
    tenant = app.extensions["scim_sandbox"].create_tenant("lockedgroups")
    save(client, csrf, tenant)
    new_directory(client, csrf, users=3)
    assert start(app, client, csrf).failures == 0
    user = provisioned_users(app, client)[0]
    change(client, csrf, user, "soft-delete")
    tenant.journal.clear()
    cycle = start(app, client, csrf)
    assert [(e.action, e.status) for e in cycle.entries] == [("Delete", "Success")]
    assert "delete user" in operations(tenant)
    assert user.userPrincipalName not in stored_users(tenant)
