"""Groups and memberships, where the vendor has them (Olfeo SAAS: "Provision groups and group
memberships"), and a clean skip where it has none."""

from __future__ import annotations

from entra_support import profile

from sandbox.entra import (
    Action,
    SourceDirectory,
    Status,
    default_group_mappings,
    default_mappings,
)


def operations(entries):
    return [e["operation"] for e in entries]


def member_ids(tenant, group_id):
    return sorted(m["value"] for m in tenant.group(group_id).get("members", []))


def test_olfeo_groups_are_created_then_filled(tenant_of, engine_for, journal):
    tenant = tenant_of("olfeo")
    directory = SourceDirectory.fake(users=12, groups=2, seed=3, locale="fr_FR")
    result = engine_for(tenant).run_cycle(directory)
    assert result.ok, [e.to_dict() for e in result.failures]

    entries = journal(tenant)
    group_ops = [e for e in entries if "/Groups" in e["path"]]
    creates = [e for e in group_ops if e["operation"] == "create group"]
    assert len(creates) == 2
    for create in creates:
        body = create["request"]["body"]
        assert "members" not in body  # members come afterwards, by PATCH
        assert body["schemas"] == ["urn:ietf:params:scim:schemas:core:2.0:Group",
                                   "http://schemas.microsoft.com/2006/11/ResourceManagement/"
                                   "ADSCIM/2.0/Group"]
    assert operations(group_ops) == ["match query", "create group", "add members"] * 2
    assert operations(entries)[0] == "schema discovery"
    for group in directory.groups:
        record = result.state.groups[group.objectId]
        expected = sorted(result.state.users[m].target_id for m in group.members
                          if directory.user(m).in_scope)
        assert member_ids(tenant, record.target_id) == expected
        assert tenant.group(record.target_id)["externalId"] == group.objectId


def test_membership_changes_rename_and_delete(tenant_of, engine_for, journal, clear_journal):
    tenant = tenant_of("olfeo")
    engine = engine_for(tenant)
    directory = SourceDirectory.fake(users=12, groups=2, seed=3, locale="fr_FR",
                                     default_access_every=0)
    first = engine.run_cycle(directory)
    clear_journal(tenant)
    sales, other = directory.groups
    leaving = sales.members[0]
    joining = next(u.objectId for u in directory.users if u.objectId not in sales.members)
    directory.remove_member(sales.objectId, leaving)
    directory.add_member(sales.objectId, joining)
    sales.displayName = f"{sales.displayName} (EMEA)"
    directory.remove_group(other.objectId)

    second = engine.run_cycle(directory, first.state)

    assert second.ok, [e.to_dict() for e in second.failures]
    assert operations(journal(tenant)) == ["update group", "add members", "remove members",
                                           "delete group"]
    record = second.state.groups[sales.objectId]
    assert tenant.group(record.target_id)["displayName"] == sales.displayName
    assert member_ids(tenant, record.target_id) == sorted(
        second.state.users[m].target_id for m in sales.members)
    gone = first.state.groups[other.objectId].target_id
    assert tenant.get(f"/Groups/{gone}").status_code == 404
    assert [e.action for e in second.entries] == [Action.UPDATE] * 3 + [Action.DELETE]


def test_member_patches_are_batched(tenant_of, engine_for, journal):
    tenant = tenant_of("generic")
    directory = SourceDirectory.fake(users=8, groups=0, default_access_every=0)
    directory.groups.append(_group_of_everyone(directory))
    engine_for(tenant, member_batch_size=3).run_cycle(directory)
    adds = [e for e in journal(tenant) if e["operation"] == "add members"]
    assert [len(e["request"]["body"]["Operations"][0]["value"]) for e in adds] == [3, 3, 2]


def test_a_deleted_user_leaves_its_groups_without_a_member_patch(tenant_of, engine_for,
                                                                  journal, clear_journal):
    tenant = tenant_of("generic")
    directory = SourceDirectory.fake(users=4, default_access_every=0)
    directory.groups.append(_group_of_everyone(directory))
    engine = engine_for(tenant)
    first = engine.run_cycle(directory)
    clear_journal(tenant)
    directory.hard_delete(directory.users[0].objectId)
    engine.run_cycle(directory, first.state)
    assert operations(journal(tenant)) == ["delete user"]


def test_a_vendor_without_groups_gets_no_group_requests(tenant_of, engine_for, journal):
    """Velpic, Visitly, Vault Platform and Veritas provision users only: their mappings have
    no group rows, so groups are skipped without a request."""
    tenant = tenant_of("velpic")
    directory = SourceDirectory.fake(users=4, groups=2, seed=1)
    result = engine_for(tenant).run_cycle(directory)
    groups = [e for e in result.entries if e.object_type == "Group"]
    assert [(e.action, e.status) for e in groups] == [(Action.SKIP, Status.SKIPPED)] * 2
    assert all(e.reason == "Group provisioning is off." for e in groups)
    paths = [e["path"] for e in journal(tenant)]
    assert not any("/Groups" in p or "/ResourceTypes" in p for p in paths)


def test_groups_are_discovered_from_resource_types(tenant_of, engine_for, journal):
    """With Entra's default mappings (groups on), /ResourceTypes tells there is no /Groups."""
    tenant = tenant_of("visitly")
    engine = engine_for(tenant, group_mappings=default_group_mappings())
    directory = SourceDirectory.fake(users=2, groups=1, seed=1)
    result = engine.run_cycle(directory)
    assert "no /Groups" in result.entries[-1].reason
    assert operations(journal(tenant))[0] == "schema discovery"
    assert not any("/Groups" in e["path"] for e in journal(tenant))
    again = engine.run_cycle(directory, result.state)
    assert again.requests == 0 and again.entries == []  # found out once, reported once


def test_a_404_on_groups_also_tells(tenant_of, engine_for, journal, add_fault):
    tenant = tenant_of("veritas")
    add_fault(tenant, path="ResourceTypes", status=404)
    engine = engine_for(tenant, user_mappings=default_mappings(profile("veritas")),
                        group_mappings=default_group_mappings())
    result = engine.run_cycle(SourceDirectory.fake(users=1, groups=2, seed=1))
    groups = [e for e in result.entries if e.object_type == "Group"]
    assert [e.status for e in groups] == [Status.SKIPPED] * 2
    group_requests = [e for e in journal(tenant) if "/Groups" in e["path"]]
    assert len(group_requests) == 1 and group_requests[0]["status"] == 404


def test_group_provisioning_can_be_turned_off(tenant_of, engine_for, journal):
    tenant = tenant_of("olfeo")
    engine = engine_for(tenant, provision_groups=False)
    engine.run_cycle(SourceDirectory.fake(users=2, groups=1, seed=1))
    assert not any("/Groups" in e["path"] for e in journal(tenant))


def _group_of_everyone(directory):
    from sandbox.entra import SourceGroup

    return SourceGroup("g-everyone", "Everyone", "everyone",
                       [u.objectId for u in directory.users])
