"""/Groups on the generic profile: members, uniqueness, and how users and groups stay linked."""

from __future__ import annotations

import dataclasses
import time
from concurrent.futures import ThreadPoolExecutor

GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"


def member_ids(group: dict) -> list[str]:
    return sorted(m["value"] for m in group.get("members") or [])


def group_ids_of(user: dict) -> list[str]:
    return sorted(g["value"] for g in user.get("groups") or [])


def test_create_group_with_members_fills_type_and_ref(tenant):
    alice = tenant.create_user("alice")
    bob = tenant.create_user("bob")
    response = tenant.post("/Groups", {
        "schemas": [GROUP_SCHEMA], "displayName": "Admins", "externalId": "g-1",
        "members": [{"value": alice["id"]}, {"value": bob["id"], "display": "Bob"}],
    })
    assert response.status_code == 201, response.get_json()
    group = response.get_json()
    assert response.headers["Location"] == f"{tenant.url}/Groups/{group['id']}"
    assert response.headers["ETag"] == group["meta"]["version"]
    assert group["meta"]["resourceType"] == "Group"
    assert group["displayName"] == "Admins"
    assert member_ids(group) == sorted([alice["id"], bob["id"]])
    for member in group["members"]:
        assert member["type"] == "User"
        assert member["$ref"] == f"{tenant.url}/Users/{member['value']}"
    assert tenant.group(group["id"]) == group


def test_group_can_contain_a_group(tenant):
    inner = tenant.create_group("Inner")
    outer = tenant.create_group("Outer", [inner["id"]])
    (member,) = outer["members"]
    assert member["type"] == "Group"
    assert member["$ref"] == f"{tenant.url}/Groups/{inner['id']}"


def test_unknown_member_is_400_invalid_value_and_creates_nothing(tenant, scim_error):
    alice = tenant.create_user("alice")
    response = tenant.post("/Groups", {
        "schemas": [GROUP_SCHEMA], "displayName": "Admins",
        "members": [{"value": alice["id"]}, {"value": "no-such-user"}],
    })
    scim_error(response, 400, "invalidValue")
    assert tenant.list("/Groups")["totalResults"] == 0
    assert "groups" not in tenant.user(alice["id"])


def test_unknown_member_on_patch_and_put_changes_nothing(tenant, scim_error):
    alice = tenant.create_user("alice")
    group = tenant.create_group("Admins", [alice["id"]])
    gid = group["id"]
    scim_error(tenant.patch_ops(f"/Groups/{gid}", {"op": "add", "path": "members",
                                                   "value": [{"value": "ghost"}]}),
               400, "invalidValue")
    scim_error(tenant.put(f"/Groups/{gid}", {"schemas": [GROUP_SCHEMA], "displayName": "Admins",
                                             "members": [{"value": "ghost"}]}),
               400, "invalidValue")
    assert tenant.group(gid) == group


def test_member_from_another_tenant_is_rejected(tenant, make_tenant, scim_error):
    other = make_tenant()
    stranger = other.create_user("stranger")
    response = tenant.post("/Groups", {"schemas": [GROUP_SCHEMA], "displayName": "Admins",
                                       "members": [{"value": stranger["id"]}]})
    scim_error(response, 400, "invalidValue")
    assert tenant.list("/Groups")["totalResults"] == 0


def test_display_name_is_unique(tenant, scim_error):
    tenant.create_group("Admins")
    for taken in ("Admins", "ADMINS"):
        response = tenant.post("/Groups", {"schemas": [GROUP_SCHEMA], "displayName": taken})
        scim_error(response, 409, "uniqueness")
    other = tenant.create_group("Others")
    scim_error(tenant.put(f"/Groups/{other['id']}", {"displayName": "admins"}), 409,
               "uniqueness")
    assert tenant.group(other["id"]) == other
    assert tenant.list("/Groups")["totalResults"] == 2


def test_patch_add_and_remove_members(tenant):
    alice = tenant.create_user("alice")
    bob = tenant.create_user("bob")
    carol = tenant.create_user("carol")
    gid = tenant.create_group("Admins", [alice["id"]])["id"]

    added = tenant.patch_ops(f"/Groups/{gid}", {"op": "Add", "path": "members",
                                                "value": [{"value": bob["id"]},
                                                          {"value": carol["id"]}]})
    assert added.status_code == 200, added.get_json()
    assert member_ids(added.get_json()) == sorted([alice["id"], bob["id"], carol["id"]])
    assert member_ids(tenant.group(gid)) == sorted([alice["id"], bob["id"], carol["id"]])
    assert all(m["type"] == "User" for m in tenant.group(gid)["members"])

    # Adding a member twice does not duplicate it.
    again = tenant.patch_ops(f"/Groups/{gid}", {"op": "add", "path": "members",
                                                "value": [{"value": bob["id"]}]})
    assert again.status_code == 200
    assert member_ids(tenant.group(gid)) == sorted([alice["id"], bob["id"], carol["id"]])

    removed = tenant.patch_ops(f"/Groups/{gid}",
                               {"op": "Remove", "path": f'members[value eq "{alice["id"]}"]'})
    assert removed.status_code == 200
    assert member_ids(tenant.group(gid)) == sorted([bob["id"], carol["id"]])

    listed = tenant.patch_ops(f"/Groups/{gid}", {"op": "Remove", "path": "members",
                                                 "value": [{"value": bob["id"]}]})
    assert listed.status_code == 200
    assert member_ids(tenant.group(gid)) == [carol["id"]]

    everyone = tenant.patch_ops(f"/Groups/{gid}", {"op": "remove", "path": "members"})
    assert everyone.status_code == 200
    assert member_ids(tenant.group(gid)) == []


def test_put_group_replaces_members(tenant):
    alice = tenant.create_user("alice")
    bob = tenant.create_user("bob")
    group = tenant.create_group("Admins", [alice["id"]])
    response = tenant.put(f"/Groups/{group['id']}", {
        "schemas": [GROUP_SCHEMA], "displayName": "Admins", "members": [{"value": bob["id"]}],
    })
    assert response.status_code == 200
    assert member_ids(tenant.group(group["id"])) == [bob["id"]]
    assert "groups" not in tenant.user(alice["id"])
    assert group_ids_of(tenant.user(bob["id"])) == [group["id"]]


def test_deleting_a_user_removes_it_from_every_group(tenant):
    alice = tenant.create_user("alice")
    bob = tenant.create_user("bob")
    admins = tenant.create_group("Admins", [alice["id"], bob["id"]])
    staff = tenant.create_group("Staff", [alice["id"]])
    bystanders = tenant.create_group("Bystanders", [bob["id"]])
    time.sleep(0.005)
    assert tenant.delete(f"/Users/{alice['id']}").status_code == 204

    admins_now = tenant.group(admins["id"])
    assert member_ids(admins_now) == [bob["id"]]
    assert admins_now["meta"]["version"] != admins["meta"]["version"]
    assert admins_now["meta"]["lastModified"] > admins["meta"]["lastModified"]

    staff_now = tenant.group(staff["id"])
    assert member_ids(staff_now) == []
    assert staff_now["meta"]["version"] != staff["meta"]["version"]

    # A group the user was not in is untouched.
    assert tenant.group(bystanders["id"]) == bystanders
    members_filter = tenant.list("/Groups", filter=f'members.value eq "{alice["id"]}"')
    assert members_filter["totalResults"] == 0


def test_deleting_a_group_removes_it_from_users_and_parent_groups(tenant):
    alice = tenant.create_user("alice")
    inner = tenant.create_group("Inner", [alice["id"]])
    outer = tenant.create_group("Outer", [inner["id"]])
    assert tenant.delete(f"/Groups/{inner['id']}").status_code == 204
    assert tenant.get(f"/Groups/{inner['id']}").status_code == 404
    assert "groups" not in tenant.user(alice["id"])
    assert member_ids(tenant.group(outer["id"])) == []


def test_user_groups_attribute_lists_its_groups(tenant):
    alice = tenant.create_user("alice")
    bob = tenant.create_user("bob")
    admins = tenant.create_group("Admins", [alice["id"], bob["id"]])
    staff = tenant.create_group("Staff", [alice["id"]])
    tenant.create_group("Empty")

    user = tenant.user(alice["id"])
    assert group_ids_of(user) == sorted([admins["id"], staff["id"]])
    by_id = {g["value"]: g for g in user["groups"]}
    assert by_id[admins["id"]]["display"] == "Admins"
    assert by_id[admins["id"]]["$ref"] == f"{tenant.url}/Groups/{admins['id']}"
    assert group_ids_of(tenant.user(bob["id"])) == [admins["id"]]

    # Membership changes show up at once.
    tenant.patch_ops(f"/Groups/{staff['id']}",
                     {"op": "remove", "path": f'members[value eq "{alice["id"]}"]'})
    assert group_ids_of(tenant.user(alice["id"])) == [admins["id"]]
    # The listing shows the same.
    (listed,) = tenant.list(filter='userName eq "alice"')["Resources"]
    assert group_ids_of(listed) == [admins["id"]]


def test_user_groups_attribute_is_read_only(tenant):
    alice = tenant.create_user("alice")
    admins = tenant.create_group("Admins")
    response = tenant.put(f"/Users/{alice['id']}", {
        "schemas": [USER_SCHEMA], "userName": "alice", "groups": [{"value": admins["id"]}],
    })
    assert response.status_code in (200, 400)
    assert member_ids(tenant.group(admins["id"])) == []
    assert "groups" not in tenant.user(alice["id"])


def test_group_filters(tenant):
    alice = tenant.create_user("alice")
    admins = tenant.create_group("Admins", [alice["id"]])
    tenant.create_group("Staff")
    assert [g["id"] for g in tenant.list("/Groups", filter='displayName eq "admins"')[
        "Resources"]] == [admins["id"]]
    with_alice = tenant.list("/Groups", filter=f'members[value eq "{alice["id"]}"]')
    assert [g["displayName"] for g in with_alice["Resources"]] == ["Admins"]
    names = tenant.list("/Groups", sortBy="displayName", sortOrder="descending",
                        attributes="displayName")
    assert [g["displayName"] for g in names["Resources"]] == ["Staff", "Admins"]
    assert all("members" not in g for g in names["Resources"])


def test_excluded_members(tenant):
    alice = tenant.create_user("alice")
    gid = tenant.create_group("Admins", [alice["id"]])["id"]
    body = tenant.get(f"/Groups/{gid}", query_string={"excludedAttributes": "members"}).get_json()
    assert "members" not in body
    assert body["displayName"] == "Admins"


def test_delete_group(tenant, scim_error):
    gid = tenant.create_group("Admins")["id"]
    response = tenant.delete(f"/Groups/{gid}")
    assert response.status_code == 204
    scim_error(tenant.get(f"/Groups/{gid}"), 404)
    assert tenant.list("/Groups")["totalResults"] == 0


def test_member_type_comes_from_the_member_not_the_client(tenant):
    alice = tenant.create_user("alice")
    response = tenant.post("/Groups", {"schemas": [GROUP_SCHEMA], "displayName": "Admins",
                                       "members": [{"value": alice["id"], "type": "Group"}]})
    if response.status_code == 400:
        return  # refusing the wrong type is correct too
    assert response.status_code == 201
    (member,) = response.get_json()["members"]
    assert member["type"] == "User"
    assert member["$ref"] == f"{tenant.url}/Users/{alice['id']}"


def test_filter_users_by_their_groups(tenant):
    alice = tenant.create_user("alice")
    tenant.create_user("bob")
    admins = tenant.create_group("Admins", [alice["id"]])
    for filter_text in (f'groups.value eq "{admins["id"]}"', f'groups[value eq "{admins["id"]}"]',
                        "groups pr"):
        listing = tenant.list(filter=filter_text)
        assert [u["userName"] for u in listing["Resources"]] == ["alice"], filter_text


def test_concurrent_member_adds_are_all_kept(app, tenant):
    users = [tenant.create_user(f"user{i}")["id"] for i in range(30)]
    group = tenant.create_group("Everyone")

    def add(uid: str) -> int:
        own = dataclasses.replace(tenant, client=app.test_client())
        return own.patch_ops(f"/Groups/{group['id']}", {"op": "Add", "path": "members",
                                                        "value": [{"value": uid}]}).status_code

    with ThreadPoolExecutor(16) as pool:
        statuses = list(pool.map(add, users))
    assert statuses == [200] * 30
    assert member_ids(tenant.group(group["id"])) == sorted(users)


def test_patch_display_name_onto_a_taken_one_is_409(tenant, scim_error):
    tenant.create_group("Admins")
    other = tenant.create_group("Others")
    response = tenant.patch_ops(f"/Groups/{other['id']}",
                                {"op": "Replace", "path": "displayName", "value": "admins"})
    scim_error(response, 409, "uniqueness")
    assert tenant.group(other["id"]) == other
