"""`aadOptscim062020` changes the PATCH requests, and only those (Microsoft's "Flags to alter
the SCIM behavior"); both dialects are what the sandbox's vendors accept."""

from __future__ import annotations

import pytest

from sandbox.entra import FLAG, ProvisioningConfig, SourceDirectory, split_flags


def bodies(entries, operation):
    """The bodies of one operation; attribute updates without the manager references."""
    return [e["request"]["body"] for e in entries if e["operation"] == operation
            and e["request"]["body"]["Operations"][0].get("path") != "manager"]


def test_the_manager_reference_is_documented_with_and_without_the_flag(tenant_of,
                                                                       engine_for, journal):
    """The SCIM endpoint tutorial's manager update: `Add` on `manager` with a list of one
    `$ref` and `value`; the flag lowercases the op, as for every other add."""
    for flags, op in (((), "Add"), ((FLAG,), "add")):
        tenant = tenant_of("generic")
        engine = engine_for(tenant, flags=flags)
        directory = SourceDirectory.fake(users=6, seed=2, default_access_every=0)
        state = engine.run_cycle(directory).state
        ids = {oid: record.target_id for oid, record in state.users.items()}
        references = [e for e in journal(tenant) if e["operation"] == "update user"]
        managed = [u for u in directory.users if u.manager in ids]
        assert managed and len(references) == len(managed)
        for user, entry in zip(managed, references, strict=True):
            manager = ids[user.manager]
            assert entry["path"].endswith(f"/Users/{ids[user.objectId]}")
            assert entry["request"]["body"] == {
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [{"op": op, "path": "manager", "value": [
                    {"$ref": f"{engine.config.tenant_url}/Users/{manager}",
                     "value": manager}]}]}


def run_two_cycles(tenant, engine):
    directory = SourceDirectory.fake(users=6, groups=1, seed=2, default_access_every=0)
    first = engine.run_cycle(directory)
    assert first.ok, [e.to_dict() for e in first.failures]
    group = directory.groups[0]
    for member in list(group.members):
        directory.remove_member(group.objectId, member)
    directory.disable(directory.users[0].objectId)
    directory.rename(directory.users[1].objectId, "Ada", "Lovelace")
    second = engine.run_cycle(directory, first.state)
    assert second.ok, [e.to_dict() for e in second.failures]
    return directory


@pytest.mark.parametrize("in_url", [False, True])
def test_with_the_flag(in_url, tenant_of, engine_for, journal, clear_journal):
    tenant = tenant_of("generic")
    if in_url:
        tenant.url += f"?{FLAG}"
        engine = engine_for(tenant)
    else:
        engine = engine_for(tenant, flags=(FLAG,))
    assert engine.config.compliant and "?" not in engine.config.tenant_url
    run_two_cycles(tenant, engine)
    entries = journal(tenant)
    assert all("aadopt" not in e["query"].lower() for e in entries)
    (disable,) = bodies(entries, "disable user")
    assert disable["Operations"] == [{"op": "replace", "path": "active", "value": False}]
    (update,) = bodies(entries, "update user")
    assert update["Operations"] == [{"op": "replace", "value": {
        "displayName": "Ada Lovelace", "name.givenName": "Ada", "name.familyName": "Lovelace",
        "name.formatted": "Ada Lovelace"}}]
    for add in bodies(entries, "add members"):
        assert add["Operations"][0]["op"] == "add"
    (remove,) = bodies(entries, "remove members")
    assert {op["op"] for op in remove["Operations"]} == {"remove"}
    assert all(op["path"].startswith('members[value eq "') and "value" not in op
               for op in remove["Operations"])


def test_without_the_flag(tenant_of, engine_for, journal):
    tenant = tenant_of("generic")
    engine = engine_for(tenant)
    assert not engine.config.compliant
    run_two_cycles(tenant, engine)
    entries = journal(tenant)
    (disable,) = bodies(entries, "disable user")
    assert disable["Operations"] == [{"op": "Replace", "path": "active", "value": "False"}]
    (update,) = bodies(entries, "update user")
    assert [op["op"] for op in update["Operations"]] == ["Replace"] * 4
    assert all("path" in op for op in update["Operations"])
    (remove,) = bodies(entries, "remove members")
    assert [op["op"] for op in remove["Operations"]] == ["Remove"]
    assert remove["Operations"][0]["path"] == "members"
    assert all(set(v) == {"value"} for v in remove["Operations"][0]["value"])


@pytest.mark.parametrize("vendor", ["velpic", "visitly", "vaultplatform", "veritas"])
def test_every_vendor_takes_both_dialects(vendor, tenant_of, engine_for):
    for flags in ((), (FLAG,)):
        tenant = tenant_of(vendor)
        engine = engine_for(tenant, flags=flags)
        directory = SourceDirectory.fake(users=4, seed=1, default_access_every=0)
        state = engine.run_cycle(directory).state
        directory.disable(directory.users[0].objectId)
        directory.rename(directory.users[1].objectId, "Ada", "Lovelace")
        result = engine.run_cycle(directory, state)
        assert result.ok and result.requests == 2, [e.to_dict() for e in result.failures]
        disabled = result.entries[0].target_id
        assert tenant.user(disabled)["active"] is False


def test_flags_in_the_tenant_url():
    assert split_flags("https://h/scim?aadOptscim062020") == ("https://h/scim",
                                                             frozenset({FLAG}))
    assert split_flags("https://h/scim?AADOPTSCIM062020=true&x=1") == ("https://h/scim?x=1",
                                                                      frozenset({FLAG}))
    config = ProvisioningConfig.from_tenant_url("https://h/scim", "t", flags=["AADOPTscim062020"])
    assert config.flags == frozenset({FLAG}) and config.compliant
