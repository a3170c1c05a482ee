"""The provisioning cycle against each vendor's sandbox tenant, checked from the endpoint's
side: what the tenant's journal received (its Entra-operation labels and request bodies) and
what SCIM then returns.

The tutorials: Entra runs Test Connection first, then finds each user to update through its
Matching attributes; users with the Default Access role are left out (Velpic, Visitly); Visitly
only soft-deletes; Olfeo also takes groups and their memberships.
"""

from __future__ import annotations

import json

import pytest
from entra_support import VENDORS, profile

from sandbox.entra import (
    Action,
    ProvisioningState,
    SourceDirectory,
    Status,
    sample_changes,
)


def operations(entries):
    return [e["operation"] for e in entries]


@pytest.mark.parametrize("vendor", VENDORS)
def test_initial_cycle_creates_every_user_in_scope(vendor, tenant_of, engine_for, journal):
    tenant = tenant_of(vendor)
    engine = engine_for(tenant)
    directory = SourceDirectory.fake(users=10, seed=4)
    assert engine.test_connection().ok

    result = engine.run_cycle(directory)

    assert result.ok, [e.to_dict() for e in result.failures]
    in_scope = [u for u in directory.users if u.in_scope]
    assert result.count(Action.CREATE, Status.SUCCESS) == len(in_scope) == 8
    skipped = [e for e in result.entries if e.action == Action.SKIP]
    assert [e.display_name for e in skipped] == [u.displayName for u in directory.users
                                                  if not u.in_scope]
    assert all("Default Access" in e.reason for e in skipped)
    assert all(e.status == Status.SKIPPED and e.method is None for e in skipped)
    # Test Connection probes /Users, and /Groups too where the app has groups; then a
    # match and a create per user, and once every account exists, the managers.
    probes = 2 if "Group" in profile(vendor).resource_types else 1
    manages = any(row.path.is_reference for row in engine.config.user_mappings)
    managed = [u for u in in_scope if manages and u.manager in {m.objectId for m in in_scope}]
    assert operations(journal(tenant)) == (["test connection"] * probes
                                           + ["match query", "create user"] * 8
                                           + ["update user"] * len(managed))
    assert result.requests == 16 + len(managed)
    # Every created account is in the tenant, found by its userName.
    names = {u["userName"] for u in tenant.list(count=100)["Resources"]}
    assert names == {u.userPrincipalName for u in in_scope}
    for entry in result.entries:
        if entry.action == Action.CREATE:
            assert tenant.user(entry.target_id)["active"] is True


@pytest.mark.parametrize("vendor", VENDORS)
def test_second_cycle_sends_only_the_changes(vendor, tenant_of, engine_for, journal,
                                             clear_journal):
    tenant = tenant_of(vendor)
    engine = engine_for(tenant)
    directory = SourceDirectory.fake(users=10, seed=5)
    first = engine.run_cycle(directory)
    clear_journal(tenant)

    nothing = engine.run_cycle(directory, first.state)
    assert nothing.entries == [] and nothing.requests == 0
    assert journal(tenant) == []

    done = sample_changes(directory)
    assert [d.split()[0] for d in done] == ["unassigned", "disabled", "renamed", "deleted"]
    second = engine.run_cycle(directory, nothing.state)

    assert second.ok, [e.to_dict() for e in second.failures]
    # Unassigned and disabled: an update with active false; renamed: an update; deleted
    # for good: a DELETE (Microsoft's "How application provisioning works", Deprovisioning).
    users = [e for e in second.entries if e.reason is None or "Manager" not in e.reason]
    assert [e.action for e in users] == [Action.DISABLE, Action.DISABLE, Action.UPDATE,
                                         Action.DELETE]
    assert operations(journal(tenant))[:4] == ["disable user", "disable user", "update user",
                                               "delete user"]
    unassigned, disabled, renamed, removed = users
    assert "Left scope" in unassigned.reason
    for entry in (unassigned, disabled):
        assert tenant.user(entry.target_id)["active"] is False
    assert tenant.user(renamed.target_id)["name"]["familyName"].endswith("-Renamed")
    assert "name.familyName" in renamed.reason
    gone = tenant.get(f"/Users/{removed.target_id}")
    if vendor == "visitly":  # "Visitly doesn't support hard deletes": kept, inactive
        assert gone.status_code == 200 and gone.get_json()["active"] is False
    else:
        assert gone.status_code == 404


def test_the_update_carries_only_changed_attributes(tenant_of, engine_for, journal,
                                                    clear_journal):
    tenant = tenant_of("generic")
    engine = engine_for(tenant)
    directory = SourceDirectory.fake(users=3, seed=6)
    first = engine.run_cycle(directory)
    clear_journal(tenant)
    user = directory.users[0]
    directory.update_user(user.objectId, jobTitle="Chief Archivist", city="Bergen")
    engine.run_cycle(directory, first.state)
    (entry,) = journal(tenant)
    assert entry["operation"] == "update user"
    assert entry["request"]["body"]["Operations"] == [
        {"op": "Replace", "path": "title", "value": "Chief Archivist"},
        {"op": "Replace", "path": 'addresses[type eq "work"].locality', "value": "Bergen"},
    ]
    stored = tenant.user(first.state.users[user.objectId].target_id)
    assert stored["title"] == "Chief Archivist"
    assert stored["addresses"][0]["locality"] == "Bergen"


def test_disabling_a_source_user_sends_disable_user(tenant_of, engine_for, journal,
                                                    clear_journal):
    tenant = tenant_of("velpic")
    engine = engine_for(tenant)
    directory = SourceDirectory.fake(users=2, seed=1)
    first = engine.run_cycle(directory)
    clear_journal(tenant)
    user = directory.disable(directory.users[1].objectId)
    second = engine.run_cycle(directory, first.state)
    (entry,) = journal(tenant)
    assert entry["operation"] == "disable user" and entry["method"] == "PATCH"
    assert entry["request"]["body"]["Operations"] == [
        {"op": "Replace", "path": "active", "value": "False"}]
    assert second.entries[0].action == Action.DISABLE
    assert second.entries[0].source_id == user.objectId
    # Enabled again: an update turns it back on ("enable user").
    directory.enable(user.objectId)
    clear_journal(tenant)
    engine.run_cycle(directory, second.state)
    assert operations(journal(tenant)) == ["enable user"]


def test_a_user_leaving_scope_is_disabled_not_deleted(tenant_of, engine_for, journal,
                                                      clear_journal):
    """Unassigned, or given the Default Access role: Entra disables the account."""
    tenant = tenant_of("visitly")
    engine = engine_for(tenant)
    directory = SourceDirectory.fake(users=3, seed=2)
    state = engine.run_cycle(directory).state
    clear_journal(tenant)
    directory.unassign(directory.users[0].objectId)
    directory.set_role(directory.users[1].objectId, "Default Access")
    result = engine.run_cycle(directory, state)
    assert operations(journal(tenant)) == ["disable user", "disable user"]
    assert [e.action for e in result.entries] == [Action.DISABLE, Action.DISABLE]
    assert "Left scope" in result.entries[0].reason
    clear_journal(tenant)
    assert engine.run_cycle(directory, result.state).requests == 0


def test_an_existing_account_is_matched_and_updated(tenant_of, engine_for, journal,
                                                   clear_journal):
    """The initial cycle takes over an account that already exists (found by userName)."""
    tenant = tenant_of("generic")
    directory = SourceDirectory.fake(users=1, seed=9)
    user = directory.users[0]
    existing = tenant.create_user(user.userPrincipalName, displayName="Old Name", active=True)
    clear_journal(tenant)
    result = engine_for(tenant).run_cycle(directory)
    (entry,) = result.entries
    assert (entry.action, entry.status, entry.target_id) == (Action.UPDATE, Status.SUCCESS,
                                                             existing["id"])
    assert operations(journal(tenant)) == ["match query", "update user"]
    assert tenant.user(existing["id"])["displayName"] == user.displayName
    # Run again from scratch: the account now matches, so nothing is sent but the query.
    again = engine_for(tenant).run_cycle(directory)
    assert [(e.action, e.status) for e in again.entries] == [(Action.SKIP, Status.SKIPPED)]
    assert again.entries[0].reason.startswith("EntrySynchronizationSkipped")


def test_manager_references_the_target_id(tenant_of, engine_for):
    tenant = tenant_of("vaultplatform")
    directory = SourceDirectory.fake(users=4, seed=3)
    result = engine_for(tenant).run_cycle(directory)
    ids = {oid: p.target_id for oid, p in result.state.users.items()}
    enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
    for user in directory.users[1:]:
        if user.in_scope and user.manager in ids:
            stored = tenant.user(ids[user.objectId])
            assert stored[enterprise]["manager"]["value"] == ids[user.manager]


def test_state_survives_a_json_round_trip(tenant_of, engine_for):
    tenant = tenant_of("olfeo")
    engine = engine_for(tenant)
    directory = SourceDirectory.fake(users=6, groups=2, seed=1)
    first = engine.run_cycle(directory)
    state = ProvisioningState.from_dict(json.loads(json.dumps(first.state.to_dict())))
    assert state == first.state
    assert engine.run_cycle(directory, state).requests == 0


def test_progress_is_reported_per_object(tenant_of, engine_for):
    tenant = tenant_of("olfeo")
    seen = []
    directory = SourceDirectory.fake(users=4, groups=1, seed=1)
    engine_for(tenant).run_cycle(directory, progress=lambda *step: seen.append(step))
    assert [(done, total) for done, total, _ in seen] == [(n, 5) for n in range(1, 6)]
    assert seen[-1][2] == directory.groups[0].displayName


def test_the_state_passed_in_is_left_alone(tenant_of, engine_for):
    tenant = tenant_of("generic")
    engine = engine_for(tenant)
    directory = SourceDirectory.fake(users=3)
    first = engine.run_cycle(directory)
    before = first.state.to_dict()
    directory.disable(directory.users[0].objectId)
    engine.run_cycle(directory, first.state)
    assert first.state.to_dict() == before
