"""Deprovisioning as Microsoft's "How application provisioning works" (section
Deprovisioning) describes it: unassigning a user, disabling it or soft-deleting it in the
directory sends an update with `active` false; only a hard delete (30 days after the soft
delete, or a purge) sends a DELETE; for an app that does not support soft delete the DELETE
goes at once. The bodies are the ones of the SCIM endpoint tutorial
(use-scim-to-provision-users-and-groups) and of "Known issues and resolutions with SCIM 2.0
protocol compliance" (the `aadOptscim062020` flag); the manager is the tutorial's reference
PATCH."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from documented_bodies import DOCUMENTED_MANAGER_ID, DOCUMENTED_MANAGER_PATCH
from entra_support import Sleeps, profile
from flask import Flask
from scim_client import make_app

from sandbox.entra import (
    FLAG,
    Action,
    ProvisioningConfig,
    ProvisioningEngine,
    SourceDirectory,
    Status,
    wsgi_transport,
)
from sandbox.entra.mappings import profile_settings
from sandbox.vendors import load_profiles

PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
PROFILES = Path(__file__).parent / "profiles"
# What takes a user out of the app, and what brings it back.
LEAVING = {
    "unassign": ("unassign", "assign"),
    "disable": ("disable", "enable"),
    "soft delete": ("soft_delete", "restore"),
}


@pytest.fixture
def app() -> Flask:
    """The test app, with the test profiles (lockedgroups: `hard_delete_only`) loaded."""
    return make_app(vendors_dirs=[PROFILES])


def active_body(value: bool, compliant: bool) -> dict[str, Any]:
    """The documented enable / disable PATCH: `"Replace"` and the string "False" by default,
    `"replace"` and the boolean with aadOptscim062020."""
    op = {"op": "replace", "path": "active", "value": value} if compliant else \
        {"op": "Replace", "path": "active", "value": "True" if value else "False"}
    return {"schemas": [PATCH_OP], "Operations": [op]}


def provisioned(tenant, engine, users: int = 2):
    directory = SourceDirectory.fake(users=users, seed=8, default_access_every=0)
    first = engine.run_cycle(directory)
    assert first.ok, [e.to_dict() for e in first.failures]
    return directory, first.state


@pytest.mark.parametrize("compliant", [False, True], ids=["default", "aadOptscim062020"])
@pytest.mark.parametrize("how", list(LEAVING))
def test_leaving_sends_active_false_and_coming_back_active_true(how, compliant, tenant_of,
                                                                engine_for, journal,
                                                                clear_journal):
    """Unassign, disable and soft delete: the account is disabled with the tutorial's
    "Disable User" PATCH (the flag's form with aadOptscim062020), never deleted; reassigning,
    enabling or restoring enables it again."""
    tenant = tenant_of("generic")
    engine = engine_for(tenant, flags=(FLAG,) if compliant else ())
    directory, state = provisioned(tenant, engine)
    user = directory.users[1]
    target_id = state.users[user.objectId].target_id
    leave, come_back = LEAVING[how]
    getattr(directory, leave)(user.objectId)
    clear_journal(tenant)
    second = engine.run_cycle(directory, state)
    (entry,) = journal(tenant)
    assert (entry["operation"], entry["method"]) == ("disable user", "PATCH")
    assert entry["path"].endswith(f"/Users/{target_id}")
    assert entry["request"]["body"] == active_body(False, compliant)
    assert [(e.action, e.status) for e in second.entries] == [(Action.DISABLE,
                                                               Status.SUCCESS)]
    assert tenant.user(target_id)["active"] is False
    clear_journal(tenant)
    third = engine.run_cycle(directory, second.state)
    assert third.requests == 0  # nothing more to say about a disabled account
    getattr(directory, come_back)(user.objectId)
    fourth = engine.run_cycle(directory, third.state)
    (entry,) = journal(tenant)
    assert entry["operation"] == "enable user"
    assert entry["request"]["body"] == active_body(True, compliant)
    assert fourth.state.users[user.objectId].target_id == target_id
    assert tenant.user(target_id)["active"] is True


@pytest.mark.parametrize("before", ["nothing", "disable", "soft delete"])
def test_only_a_hard_delete_sends_delete(before, tenant_of, engine_for, journal,
                                         clear_journal):
    """A hard delete in the directory (a purge, or 30 days after the soft delete) deletes the
    account: `DELETE /Users/<id>`, no body; a disabled or soft-deleted user's account too."""
    tenant = tenant_of("generic")
    engine = engine_for(tenant)
    directory, state = provisioned(tenant, engine)
    user = directory.users[1]
    target_id = state.users[user.objectId].target_id
    if before != "nothing":
        getattr(directory, LEAVING[before][0])(user.objectId)
        state = engine.run_cycle(directory, state).state
    clear_journal(tenant)
    directory.hard_delete(user.objectId)
    result = engine.run_cycle(directory, state)
    (entry,) = journal(tenant)
    assert (entry["operation"], entry["method"]) == ("delete user", "DELETE")
    assert entry["path"].endswith(f"/Users/{target_id}")
    assert entry["request"]["body"] is None and entry["status"] == 204
    assert [(e.action, e.status) for e in result.entries] == [(Action.DELETE,
                                                               Status.SUCCESS)]
    assert user.objectId not in result.state.users
    assert tenant.get(f"/Users/{target_id}").status_code == 404


def test_a_hard_delete_after_an_unassign_sends_nothing(tenant_of, engine_for, journal,
                                                       clear_journal):
    """Unassigned, the user left the provisioning scope and its account was disabled; Entra
    manages it no more, so purging the user from the directory later sends nothing."""
    tenant = tenant_of("generic")
    engine = engine_for(tenant)
    directory, state = provisioned(tenant, engine)
    user = directory.users[0]
    target_id = state.users[user.objectId].target_id
    directory.unassign(user.objectId)
    state = engine.run_cycle(directory, state).state
    clear_journal(tenant)
    directory.hard_delete(user.objectId)
    result = engine.run_cycle(directory, state)
    assert journal(tenant) == [] and result.requests == 0 and result.entries == []
    assert user.objectId not in result.state.users
    assert tenant.user(target_id)["active"] is False


def locked_engine(app: Flask, tenant, sleeps: Sleeps) -> ProvisioningEngine:
    """An engine set up as the lockedgroups profile's tutorial would leave it (its
    `hard_delete_only` rule: the app keeps no disabled accounts)."""
    vendor = load_profiles(PROFILES)[tenant.vendor]
    config = ProvisioningConfig.from_tenant_url(tenant.url, tenant.token, sleep=sleeps,
                                                **profile_settings(vendor))
    return ProvisioningEngine(config, wsgi_transport(app))


@pytest.mark.parametrize("how", [*LEAVING, "hard delete"])
@pytest.mark.parametrize("setup", ["option", "profile"])
def test_an_app_without_soft_delete_gets_the_delete_at_once(how, setup, app, sleeps,
                                                            tenant_of, engine_for, journal,
                                                            clear_journal):
    """How application provisioning works: where the app does not support soft delete,
    Entra deletes the account at once, for every way of leaving."""
    if setup == "option":
        tenant = tenant_of("generic")
        engine = engine_for(tenant, soft_delete=False)
    else:
        tenant = tenant_of("lockedgroups")
        engine = locked_engine(app, tenant, sleeps)
        assert engine.config.soft_delete is False
    directory, state = provisioned(tenant, engine)
    user = directory.users[1]
    target_id = state.users[user.objectId].target_id
    clear_journal(tenant)
    if how == "hard delete":
        directory.hard_delete(user.objectId)
    else:
        getattr(directory, LEAVING[how][0])(user.objectId)
    result = engine.run_cycle(directory, state)
    (entry,) = journal(tenant)
    assert (entry["operation"], entry["method"]) == ("delete user", "DELETE")
    assert entry["path"].endswith(f"/Users/{target_id}")
    assert [(e.action, e.status) for e in result.entries] == [(Action.DELETE,
                                                               Status.SUCCESS)]
    assert user.objectId not in result.state.users
    clear_journal(tenant)
    assert engine.run_cycle(directory, result.state).requests == 0
    assert journal(tenant) == []


def test_the_default_profile_keeps_disabled_accounts():
    """Only a `hard_delete_only` rule turns soft delete off."""
    assert profile_settings(profile("generic"))["soft_delete"] is True
    assert profile_settings(None)["soft_delete"] is True


def manager_entries(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in entries if e["method"] == "PATCH" and any(
        op.get("path") == "manager" for op in e["request"]["body"]["Operations"])]


def test_the_manager_is_the_tutorials_reference_patch(tenant_of, engine_for, journal):
    """The SCIM endpoint tutorial's Example 5: `PATCH /Users/<user's target id>` with an
    `Add` on the path `manager` whose value is a list of one `$ref` and `value` (the
    manager's target id), the keys in the printed order, sent after both accounts exist."""
    tenant = tenant_of("generic")
    engine = engine_for(tenant)
    directory = SourceDirectory.fake(users=2, seed=8, default_access_every=0)
    boss, worker = directory.users
    assert worker.manager == boss.objectId
    state = engine.run_cycle(directory).state
    boss_id, worker_id = (state.users[u.objectId].target_id for u in (boss, worker))
    entries = journal(tenant)
    (entry,) = manager_entries(entries)
    assert entries.index(entry) == len(entries) - 1  # after both creates
    assert entry["path"].endswith(f"/Users/{worker_id}")
    assert entry["request"]["headers"]["Content-Type"] == "application/scim+json"
    printed = DOCUMENTED_MANAGER_PATCH.replace("http://.../scim", engine.config.tenant_url)
    expected = json.loads(printed.replace(DOCUMENTED_MANAGER_ID, boss_id))
    assert json.dumps(entry["request"]["body"]) == json.dumps(expected)  # order too
    enterprise = tenant.user(worker_id)[
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]
    assert enterprise["manager"]["value"] == boss_id


def test_a_cleared_manager_is_removed(tenant_of, engine_for, journal, clear_journal):
    """Microsoft prints no request for a manager cleared at the source; the simulator sends
    a pathed `Remove` of `manager` (`remove` with the flag), once."""
    for flags, op in (((), "Remove"), ((FLAG,), "remove")):
        tenant = tenant_of("generic")
        engine = engine_for(tenant, flags=flags)
        directory = SourceDirectory.fake(users=2, seed=8, default_access_every=0)
        worker = directory.users[1]
        state = engine.run_cycle(directory).state
        worker_id = state.users[worker.objectId].target_id
        directory.update_user(worker.objectId, manager=None)
        clear_journal(tenant)
        result = engine.run_cycle(directory, state)
        (entry,) = journal(tenant)
        assert entry["path"].endswith(f"/Users/{worker_id}")
        assert entry["request"]["body"] == {"schemas": [PATCH_OP],
                                            "Operations": [{"op": op, "path": "manager"}]}
        assert [e.reason for e in result.entries] == ["Manager cleared."]
        stored = tenant.user(worker_id).get(
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", {})
        assert "manager" not in stored
        clear_journal(tenant)
        assert engine.run_cycle(directory, result.state).requests == 0


def test_a_manager_provisioned_later_is_set_by_that_cycle(tenant_of, engine_for, journal,
                                                          clear_journal):
    """How application provisioning works, initial cycle: reference attributes are set once
    the accounts exist; a manager out of scope at first is pointed to when it is created."""
    tenant = tenant_of("generic")
    engine = engine_for(tenant)
    directory = SourceDirectory.fake(users=2, seed=8, default_access_every=0)
    boss, worker = directory.users
    directory.unassign(boss.objectId)
    first = engine.run_cycle(directory)
    assert manager_entries(journal(tenant)) == []
    directory.assign(boss.objectId)
    clear_journal(tenant)
    second = engine.run_cycle(directory, first.state)
    assert [e["operation"] for e in journal(tenant)][:2] == ["match query", "create user"]
    (entry,) = manager_entries(journal(tenant))
    boss_id = second.state.users[boss.objectId].target_id
    assert entry["path"].endswith(f"/Users/{second.state.users[worker.objectId].target_id}")
    assert entry["request"]["body"]["Operations"][0]["value"][0]["value"] == boss_id



def test_a_disabled_user_that_then_leaves_scope_is_not_deleted_later(tenant_of, engine_for,
                                                                      journal,
                                                                      clear_journal):
    """Disabled first, unassigned next: the account is already disabled, so nothing is sent
    and the user is out of scope as much as one unassigned while enabled; purging it later
    sends nothing either."""
    tenant = tenant_of("generic")
    engine = engine_for(tenant)
    directory, state = provisioned(tenant, engine)
    user = directory.users[1]
    target_id = state.users[user.objectId].target_id
    directory.disable(user.objectId)
    state = engine.run_cycle(directory, state).state
    directory.unassign(user.objectId)
    clear_journal(tenant)
    state = engine.run_cycle(directory, state).state
    assert journal(tenant) == []
    directory.hard_delete(user.objectId)
    result = engine.run_cycle(directory, state)
    assert journal(tenant) == [] and result.entries == []
    assert tenant.user(target_id)["active"] is False
