"""Snapshot and restore of a tenant's whole state through the admin API."""

from __future__ import annotations

import copy
import json


def snapshot(tenant, admin):
    response = tenant.client.get(f"/_sandbox/tenants/{tenant.id}/snapshot", headers=admin)
    assert response.status_code == 200
    return response.get_json()


def restore(tenant, admin, state):
    return tenant.client.put(f"/_sandbox/tenants/{tenant.id}/snapshot", json=state,
                             headers=admin)


def test_snapshot_holds_every_resource_with_ids_and_meta(tenant, admin):
    ann = tenant.create_user("ann")
    group = tenant.create_group("g", [ann["id"]])
    state = snapshot(tenant, admin)
    assert [u["id"] for u in state["resources"]["User"]] == [ann["id"]]
    assert state["resources"]["User"][0]["meta"]["version"] == ann["meta"]["version"]
    assert state["resources"]["Group"][0]["members"][0]["value"] == ann["id"]
    assert state["resources"]["Group"][0]["id"] == group["id"]
    assert state["tenant"]["id"] == tenant.id


def test_snapshot_never_holds_the_token(tenant, admin):
    tenant.create_user("ann")
    assert tenant.token not in json.dumps(snapshot(tenant, admin))


def test_restore_brings_back_exactly_that_state(tenant, admin):
    ann = tenant.create_user("ann")
    tenant.create_group("g", [ann["id"]])
    saved = snapshot(tenant, admin)
    tenant.patch_ops(f"/Users/{ann['id']}", {"op": "replace", "path": "displayName",
                                             "value": "changed"})
    tenant.create_user("bob")
    response = restore(tenant, admin, saved)
    assert response.status_code == 200
    assert snapshot(tenant, admin) == saved
    assert tenant.user(ann["id"]) == ann | {"groups": tenant.user(ann["id"])["groups"]}
    assert tenant.list()["totalResults"] == 1
    assert tenant.list(filter='userName eq "bob"')["totalResults"] == 0  # indexes follow


def test_restore_into_another_tenant(make_tenant, admin):
    source, target = make_tenant(), make_tenant()
    ann = source.create_user("ann")
    assert restore(target, admin, snapshot(source, admin)).status_code == 200
    assert target.user(ann["id"])["userName"] == "ann"


def test_bad_snapshots_change_nothing(tenant, admin, scim_error):
    ann = tenant.create_user("ann")
    saved = snapshot(tenant, admin)
    no_meta = copy.deepcopy(saved)
    del no_meta["resources"]["User"][0]["meta"]
    invalid_user = copy.deepcopy(saved)
    invalid_user["resources"]["User"][0]["active"] = "maybe"
    dangling = copy.deepcopy(saved)
    dangling["resources"]["Group"] = [{
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "id": "g1",
        "displayName": "g", "members": [{"value": "ghost"}],
        "meta": saved["resources"]["User"][0]["meta"]}]
    assert "ghost" in scim_error(restore(tenant, admin, dangling), 400)["detail"]
    duplicate = copy.deepcopy(saved)
    duplicate["resources"]["User"].append(copy.deepcopy(saved["resources"]["User"][0]))
    for state in ({"resources": []}, {"resources": {"Device": []}}, no_meta, invalid_user,
                  dangling, duplicate, [1, 2]):
        scim_error(restore(tenant, admin, state), 400)
        assert snapshot(tenant, admin) == saved
    assert tenant.user(ann["id"])["userName"] == "ann"


def test_a_snapshot_with_an_unreadable_version_is_refused(tenant, admin, scim_error):
    ann = tenant.create_user("ann")
    state = snapshot(tenant, admin)
    state["resources"]["User"][0]["meta"]["version"] = "abc"
    assert "meta.version" in scim_error(restore(tenant, admin, state), 400)["detail"]
    patched = tenant.patch_ops(f"/Users/{ann['id']}", {"op": "replace", "path": "displayName",
                                                       "value": "A"})
    assert patched.status_code == 200
