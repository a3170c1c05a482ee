"""Restricted group operations: no_group_create, no_group_delete, no_group_rename and
max_groups. A refused operation is an error a person understands, and the store is as it
was before the request."""

from __future__ import annotations

from scim_client import GROUP_SCHEMA, PATCH_OP


def test_no_group_create_refuses_with_403_and_stores_nothing(rule_tenant, scim_error):
    tenant = rule_tenant("no_group_create")
    response = tenant.post("/Groups", {"schemas": [GROUP_SCHEMA], "displayName": "Pilots"})
    body = scim_error(response, 403)
    assert "no_group_create" in body["detail"] and "create" in body["detail"]
    assert tenant.list("/Groups")["totalResults"] == 0


def test_no_group_create_refuses_before_reading_the_body(rule_tenant, scim_error):
    tenant = rule_tenant("no_group_create")
    scim_error(tenant.post("/Groups", {"schemas": [GROUP_SCHEMA]}), 403)


def test_no_group_create_leaves_users_alone(rule_tenant):
    tenant = rule_tenant("no_group_create")
    assert tenant.create_user("ada@example.com")["userName"] == "ada@example.com"


def test_no_group_delete_refuses_with_403_and_keeps_the_group(rule_tenant, scim_error):
    tenant = rule_tenant("no_group_delete")
    uid = tenant.create_user("ada@example.com")["id"]
    gid = tenant.create_group("Pilots", [uid])["id"]
    body = scim_error(tenant.delete(f"/Groups/{gid}"), 403)
    assert "no_group_delete" in body["detail"]
    assert tenant.group(gid)["members"][0]["value"] == uid


def test_no_group_delete_still_answers_404_for_a_missing_group(rule_tenant, scim_error):
    scim_error(rule_tenant("no_group_delete").delete("/Groups/nope"), 404)


def test_no_group_rename_refuses_a_patch_of_the_name(rule_tenant, scim_error):
    tenant = rule_tenant("no_group_rename")
    gid = tenant.create_group("Pilots")["id"]
    before = tenant.group(gid)
    response = tenant.patch_ops(f"/Groups/{gid}",
                                {"op": "Replace", "path": "displayName", "value": "Crew"})
    body = scim_error(response, 400, "mutability")
    assert "displayName" in body["detail"] and "no_group_rename" in body["detail"]
    assert tenant.group(gid) == before


def test_no_group_rename_refuses_a_put_with_another_name(rule_tenant, scim_error):
    tenant = rule_tenant("no_group_rename")
    gid = tenant.create_group("Pilots")["id"]
    response = tenant.put(f"/Groups/{gid}", {"schemas": [GROUP_SCHEMA], "displayName": "Crew"})
    scim_error(response, 400, "mutability")
    assert tenant.group(gid)["displayName"] == "Pilots"


def test_no_group_rename_lets_members_change(rule_tenant):
    tenant = rule_tenant("no_group_rename")
    uid = tenant.create_user("ada@example.com")["id"]
    gid = tenant.create_group("Pilots")["id"]
    response = tenant.patch(f"/Groups/{gid}", {"schemas": [PATCH_OP], "Operations": [
        {"op": "Add", "path": "members", "value": [{"value": uid}]},
        {"op": "Replace", "path": "displayName", "value": "Pilots"}]})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert [m["value"] for m in tenant.group(gid)["members"]] == [uid]


def test_max_groups_refuses_the_group_past_the_maximum(rule_tenant, scim_error):
    tenant = rule_tenant("max_groups")  # at most 2
    first = tenant.create_group("One")["id"]
    tenant.create_group("Two")
    response = tenant.post("/Groups", {"schemas": [GROUP_SCHEMA], "displayName": "Three"})
    body = scim_error(response, 400, "invalidValue")
    assert "at most 2 groups" in body["detail"] and "max_groups" in body["detail"]
    assert tenant.list("/Groups")["totalResults"] == 2
    assert tenant.delete(f"/Groups/{first}").status_code == 204
    assert tenant.create_group("Three")["displayName"] == "Three"


def test_max_groups_does_not_count_users(rule_tenant):
    tenant = rule_tenant("max_groups")
    for number in range(3):
        tenant.create_user(f"user{number}@example.com")
    tenant.create_group("One")
    tenant.create_group("Two")
