"""Requests in the exact shapes Microsoft Entra ID's provisioning service sends.

Each test's docstring names the Entra behaviour it reproduces. Sources: Microsoft's SCIM
endpoint tutorial,
https://learn.microsoft.com/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups
and its page on SCIM 2.0 compliance issues,
https://learn.microsoft.com/entra/identity/app-provisioning/application-provisioning-config-problem-scim-compatibility
"""

from __future__ import annotations

import uuid

import pytest

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse"


def entra_patch(tenant, path: str, *operations: dict):
    """Entra's PATCH: the PatchOp schema and its capitalised `Operations` key."""
    return tenant.patch(path, {"schemas": [PATCH_OP], "Operations": list(operations)})


def entra_user_body(user_name: str = "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1@"
                                     "testuser.com",
                    external_id: str = "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef") -> dict:
    """The create-user body from Microsoft's SCIM endpoint tutorial (request #1 of the
    user-operations section), with an unmapped attribute sent as null."""
    return {
        "schemas": [USER_SCHEMA, ENTERPRISE],
        "externalId": external_id,
        "userName": user_name,
        "active": True,
        "emails": [{"primary": True, "type": "work",
                    "value": "Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com"}],
        "meta": {"resourceType": "User"},
        "name": {"formatted": "givenName familyName", "familyName": "familyName",
                 "givenName": "givenName"},
        "roles": [],
        "title": None,
        "displayName": None,
        ENTERPRISE: {"department": "Engineering", "employeeNumber": None},
    }


@pytest.fixture
def entra_user(tenant):
    response = tenant.post("/Users", entra_user_body())
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_test_connection_query_for_a_random_user_name(tenant):
    """Entra's "Test Connection" button sends GET /Users?filter=userName eq "<random guid>"
    and needs a 200 ListResponse with no results, not a 404."""
    tenant.create_user("someone@contoso.com")
    response = tenant.get("/Users", query_string={"filter": f'userName eq "{uuid.uuid4()}"'})
    assert response.status_code == 200
    body = response.get_json()
    assert body["schemas"] == [LIST_RESPONSE]
    assert body["totalResults"] == 0
    assert not body.get("Resources")


def test_match_query_by_user_name(tenant, entra_user):
    """Before creating a user Entra looks it up by its matching attribute, userName, with
    `filter=userName eq "…"`; the existing user must come back so Entra updates it."""
    listing = tenant.list(filter=f'userName eq "{entra_user["userName"]}"')
    assert listing["totalResults"] == 1
    assert listing["Resources"][0]["id"] == entra_user["id"]
    # The userName match ignores case, as Entra's matching does.
    upper = tenant.list(filter=f'userName eq "{entra_user["userName"].upper()}"')
    assert [r["id"] for r in upper["Resources"]] == [entra_user["id"]]


@pytest.mark.parametrize("quoted", [True, False])
def test_match_query_by_external_id(tenant, entra_user, quoted):
    """Entra can match on externalId, and sends the value quoted or bare:
    `externalId eq "0a21…"` and `externalId eq 0a21…`."""
    value = entra_user["externalId"]
    literal = f'"{value}"' if quoted else value
    listing = tenant.list(filter=f"externalId eq {literal}")
    assert [r["id"] for r in listing["Resources"]] == [entra_user["id"]]
    miss = tenant.list(filter="externalId eq " + ('"x"' if quoted else "x"))
    assert miss["totalResults"] == 0


def test_unquoted_user_name_match(tenant):
    """Some Entra app configurations send `userName eq jyoung` without quotes."""
    user = tenant.create_user("jyoung")
    listing = tenant.list(filter="userName eq jyoung")
    assert [r["id"] for r in listing["Resources"]] == [user["id"]]


def test_create_user_as_entra_sends_it(tenant):
    """Entra's create: both schemas, `"active": true`, a primary work email, name parts, the
    enterprise extension object, a `meta` it should not send, and nulls for attributes the
    app's mapping leaves unmapped (`"title": null`)."""
    response = tenant.post("/Users", entra_user_body())
    assert response.status_code == 201, response.get_json()
    user = response.get_json()
    assert user["userName"].startswith("Test_User_ab6490ee")
    assert user["externalId"] == "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"
    assert user["active"] is True
    assert user["emails"] == [{"primary": True, "type": "work", "value":
                               "Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com"}]
    assert user["name"]["givenName"] == "givenName"
    assert user["name"]["familyName"] == "familyName"
    assert user[ENTERPRISE] == {"department": "Engineering"}
    assert set(user["schemas"]) == {USER_SCHEMA, ENTERPRISE}
    # Nulls mean "no value": nothing is stored for them.
    assert "title" not in user and "displayName" not in user
    assert user.get("roles") in (None, [])
    assert tenant.user(user["id"]) == user


def test_disable_with_string_false(tenant, entra_user):
    """Entra disables a user with `{"op": "Replace", "path": "active", "value": "False"}`:
    a capitalised op and the boolean as a string."""
    response = entra_patch(tenant, f"/Users/{entra_user['id']}",
                           {"op": "Replace", "path": "active", "value": "False"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["active"] is False
    assert tenant.user(entra_user["id"])["active"] is False
    assert tenant.list(filter="active eq false")["totalResults"] == 1
    enabled = entra_patch(tenant, f"/Users/{entra_user['id']}",
                          {"op": "Replace", "path": "active", "value": "True"})
    assert enabled.status_code == 200
    assert tenant.user(entra_user["id"])["active"] is True


def test_pathless_replace_of_active(tenant, entra_user):
    """Entra may send `{"op": "Replace", "value": {"active": false}}` without a path."""
    response = entra_patch(tenant, f"/Users/{entra_user['id']}",
                           {"op": "Replace", "value": {"active": False}})
    assert response.status_code == 200, response.get_json()
    user = tenant.user(entra_user["id"])
    assert user["active"] is False
    assert user["userName"] == entra_user["userName"]
    assert user["emails"] == entra_user["emails"]


def test_pathless_replace_with_dotted_keys(tenant, entra_user):
    """Entra writes sub-attributes in a pathless value as dotted keys:
    `{"op": "replace", "value": {"name.givenName": "A", "name.familyName": "B"}}`."""
    response = entra_patch(tenant, f"/Users/{entra_user['id']}",
                           {"op": "replace",
                            "value": {"name.givenName": "A", "name.familyName": "B"}})
    assert response.status_code == 200, response.get_json()
    name = tenant.user(entra_user["id"])["name"]
    assert name["givenName"] == "A"
    assert name["familyName"] == "B"
    # The sub-attribute it did not name is kept.
    assert name["formatted"] == "givenName familyName"


def test_pathless_replace_with_urn_keys(tenant, entra_user):
    """Entra also writes extension attributes in a pathless value with the full URN as key."""
    response = entra_patch(tenant, f"/Users/{entra_user['id']}",
                           {"op": "Replace",
                            "value": {f"{ENTERPRISE}:department": "Support",
                                      "displayName": "Test User"}})
    assert response.status_code == 200, response.get_json()
    user = tenant.user(entra_user["id"])
    assert user[ENTERPRISE]["department"] == "Support"
    assert user["displayName"] == "Test User"


def test_add_work_email_value_by_filtered_path(tenant):
    """Entra updates the work email with
    `{"op": "Add", "path": "emails[type eq \\"work\\"].value", "value": "x@y.z"}`,
    also when the user has no work email yet (then one is created)."""
    with_work = tenant.create_user("a", emails=[{"value": "old@y.z", "type": "work",
                                                 "primary": True},
                                                {"value": "home@y.z", "type": "home"}])
    response = entra_patch(tenant, f"/Users/{with_work['id']}",
                           {"op": "Add", "path": 'emails[type eq "work"].value',
                            "value": "x@y.z"})
    assert response.status_code == 200, response.get_json()
    emails = {e["type"]: e for e in tenant.user(with_work["id"])["emails"]}
    assert emails["work"]["value"] == "x@y.z"
    assert emails["work"]["primary"] is True
    assert emails["home"]["value"] == "home@y.z"
    assert tenant.list(filter='emails[type eq "work"].value eq "x@y.z"')["totalResults"] == 1

    without = tenant.create_user("b")
    response = entra_patch(tenant, f"/Users/{without['id']}",
                           {"op": "Add", "path": 'emails[type eq "work"].value',
                            "value": "b@y.z"})
    assert response.status_code == 200, response.get_json()
    assert tenant.user(without["id"])["emails"] == [{"type": "work", "value": "b@y.z"}]


def test_replace_enterprise_department_by_urn_path(tenant, entra_user):
    """Entra sets extension attributes with a URN-qualified path:
    `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`."""
    response = entra_patch(tenant, f"/Users/{entra_user['id']}",
                           {"op": "Replace", "path": f"{ENTERPRISE}:department",
                            "value": "Sales"})
    assert response.status_code == 200, response.get_json()
    assert tenant.user(entra_user["id"])[ENTERPRISE]["department"] == "Sales"
    assert tenant.list(filter=f'{ENTERPRISE}:department eq "Sales"')["totalResults"] == 1


def test_add_enterprise_attribute_to_user_without_the_extension(tenant):
    """Entra adds extension attributes to users created without them; the extension's schema
    then appears in `schemas`."""
    user = tenant.create_user("plain")
    response = entra_patch(tenant, f"/Users/{user['id']}",
                           {"op": "Add", "path": f"{ENTERPRISE}:employeeNumber",
                            "value": "701984"})
    assert response.status_code == 200, response.get_json()
    stored = tenant.user(user["id"])
    assert stored[ENTERPRISE] == {"employeeNumber": "701984"}
    assert ENTERPRISE in stored["schemas"]


def test_replace_manager_with_a_bare_id(tenant, entra_user):
    """Entra sets the manager as `{"op": "Add", "path": "urn:…:User:manager", "value": "<id>"}`
    (a bare id, not a complex value)."""
    boss = tenant.create_user("boss")
    response = entra_patch(tenant, f"/Users/{entra_user['id']}",
                           {"op": "Add", "path": f"{ENTERPRISE}:manager", "value": boss["id"]})
    assert response.status_code == 200, response.get_json()
    assert tenant.user(entra_user["id"])[ENTERPRISE]["manager"]["value"] == boss["id"]


def test_multiple_operations_in_one_request(tenant, entra_user):
    """Entra batches an update into one PATCH with several operations of mixed case."""
    response = entra_patch(
        tenant, f"/Users/{entra_user['id']}",
        {"op": "Replace", "path": "displayName", "value": "New Name"},
        {"op": "Add", "path": "title", "value": "Manager"},
        {"op": "replace", "path": "name.familyName", "value": "Family"},
        {"op": "Remove", "path": f"{ENTERPRISE}:department"},
    )
    assert response.status_code == 200, response.get_json()
    user = tenant.user(entra_user["id"])
    assert user["displayName"] == "New Name"
    assert user["title"] == "Manager"
    assert user["name"]["familyName"] == "Family"
    assert "department" not in user.get(ENTERPRISE, {})


def test_replace_user_name(tenant, entra_user):
    """When the source userPrincipalName changes, Entra replaces userName by PATCH."""
    response = entra_patch(tenant, f"/Users/{entra_user['id']}",
                           {"op": "Replace", "path": "userName", "value": "renamed@contoso.com"})
    assert response.status_code == 200, response.get_json()
    assert tenant.list(filter='userName eq "renamed@contoso.com"')["totalResults"] == 1
    assert tenant.list(filter=f'userName eq "{entra_user["userName"]}"')["totalResults"] == 0


@pytest.fixture
def entra_group(tenant):
    response = tenant.post("/Groups", {
        "schemas": [GROUP_SCHEMA], "externalId": "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
        "displayName": "displayName", "meta": {"resourceType": "Group"},
    })
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_create_group_as_entra_sends_it(tenant, entra_group):
    """Entra creates a group with externalId and displayName and no members, then adds the
    members with PATCH."""
    assert entra_group["displayName"] == "displayName"
    assert entra_group["externalId"] == "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159"
    assert not entra_group.get("members")
    listing = tenant.list("/Groups", filter='displayName eq "displayName"')
    assert [g["id"] for g in listing["Resources"]] == [entra_group["id"]]
    by_external = tenant.list("/Groups", filter=f"externalId eq {entra_group['externalId']}")
    assert [g["id"] for g in by_external["Resources"]] == [entra_group["id"]]


def test_add_member_with_extra_name_key(tenant, entra_group):
    """Entra adds members with `{"name": "addMember", "op": "Add", "path": "members",
    "value": [{"value": "<id>"}]}`; the extra `name` key must be ignored."""
    user = tenant.create_user("member@contoso.com")
    response = entra_patch(tenant, f"/Groups/{entra_group['id']}",
                           {"name": "addMember", "op": "Add", "path": "members",
                            "value": [{"value": user["id"]}]})
    assert response.status_code in (200, 204), response.get_data(as_text=True)
    group = tenant.group(entra_group["id"])
    assert [m["value"] for m in group["members"]] == [user["id"]]
    assert group["members"][0]["type"] == "User"
    assert [g["value"] for g in tenant.user(user["id"])["groups"]] == [entra_group["id"]]


def test_remove_member_by_value_filter(tenant, entra_group):
    """Entra removes one member with `{"op": "Remove", "path": "members[value eq \\"<id>\\"]"}`."""
    keep = tenant.create_user("keep")
    drop = tenant.create_user("drop")
    entra_patch(tenant, f"/Groups/{entra_group['id']}",
                {"op": "Add", "path": "members",
                 "value": [{"value": keep["id"]}, {"value": drop["id"]}]})
    response = entra_patch(tenant, f"/Groups/{entra_group['id']}",
                           {"op": "Remove", "path": f'members[value eq "{drop["id"]}"]'})
    assert response.status_code in (200, 204), response.get_data(as_text=True)
    assert [m["value"] for m in tenant.group(entra_group["id"])["members"]] == [keep["id"]]
    assert "groups" not in tenant.user(drop["id"])


def test_remove_members_with_a_value_list(tenant, entra_group):
    """Entra also removes members as `{"op": "Remove", "path": "members",
    "value": [{"value": "<id>"}]}`: only the listed members go, not all of them."""
    users = [tenant.create_user(f"u{i}") for i in range(3)]
    entra_patch(tenant, f"/Groups/{entra_group['id']}",
                {"op": "Add", "path": "members", "value": [{"value": u["id"]} for u in users]})
    response = entra_patch(tenant, f"/Groups/{entra_group['id']}",
                           {"name": "removeMember", "op": "Remove", "path": "members",
                            "value": [{"value": users[0]["id"]}, {"value": users[2]["id"]}]})
    assert response.status_code in (200, 204), response.get_data(as_text=True)
    assert [m["value"] for m in tenant.group(entra_group["id"])["members"]] == [users[1]["id"]]


def test_replace_group_display_name(tenant, entra_group):
    """Entra renames a group with `{"op": "Replace", "path": "displayName", "value": "…"}`."""
    response = entra_patch(tenant, f"/Groups/{entra_group['id']}",
                           {"op": "Replace", "path": "displayName", "value": "1879db59"})
    assert response.status_code in (200, 204), response.get_data(as_text=True)
    assert tenant.group(entra_group["id"])["displayName"] == "1879db59"
    assert tenant.list("/Groups", filter='displayName eq "1879db59"')["totalResults"] == 1
    assert tenant.list("/Groups", filter='displayName eq "displayName"')["totalResults"] == 0


def test_group_lookup_excluding_members(tenant, entra_group):
    """Entra reads a group with `excludedAttributes=members` to avoid large member lists."""
    user = tenant.create_user("member")
    entra_patch(tenant, f"/Groups/{entra_group['id']}",
                {"op": "Add", "path": "members", "value": [{"value": user["id"]}]})
    response = tenant.get(f"/Groups/{entra_group['id']}",
                          query_string={"excludedAttributes": "members"})
    assert response.status_code == 200
    assert "members" not in response.get_json()
    listing = tenant.list("/Groups", filter=f"displayName eq \"{entra_group['displayName']}\"",
                          excludedAttributes="members")
    assert listing["totalResults"] == 1
    assert "members" not in listing["Resources"][0]


def test_delete_user(tenant, entra_user, entra_group):
    """Entra deletes a user (after it leaves scope, when the app hard-deletes) with
    DELETE /Users/<id>: 204, then 404, and its memberships go."""
    entra_patch(tenant, f"/Groups/{entra_group['id']}",
                {"op": "Add", "path": "members", "value": [{"value": entra_user["id"]}]})
    response = tenant.delete(f"/Users/{entra_user['id']}")
    assert response.status_code == 204
    assert tenant.get(f"/Users/{entra_user['id']}").status_code == 404
    assert tenant.list(filter=f'userName eq "{entra_user["userName"]}"')["totalResults"] == 0
    assert not tenant.group(entra_group["id"]).get("members")


def test_soft_delete_by_disabling_keeps_the_user(tenant, entra_user):
    """When an app does not hard-delete, Entra sends `active` False; the user stays readable
    and matchable by userName."""
    entra_patch(tenant, f"/Users/{entra_user['id']}",
                {"op": "Replace", "path": "active", "value": "False"})
    listing = tenant.list(filter=f'userName eq "{entra_user["userName"]}"')
    assert listing["totalResults"] == 1
    assert listing["Resources"][0]["active"] is False


def test_address_and_phone_attributes_by_filtered_paths(tenant, entra_user):
    """Entra maps addresses and phone numbers to filtered paths such as
    `addresses[type eq "work"].streetAddress` and `phoneNumbers[type eq "mobile"].value`,
    one operation per sub-attribute, creating the value on first use."""
    response = entra_patch(
        tenant, f"/Users/{entra_user['id']}",
        {"op": "Add", "path": 'addresses[type eq "work"].streetAddress', "value": "1 Main St"},
        {"op": "Add", "path": 'addresses[type eq "work"].locality', "value": "Redmond"},
        {"op": "Add", "path": 'phoneNumbers[type eq "mobile"].value', "value": "+1 555 0100"},
        {"op": "Add", "path": 'phoneNumbers[type eq "work"].value', "value": "+1 555 0199"},
    )
    assert response.status_code == 200, response.get_json()
    user = tenant.user(entra_user["id"])
    assert user["addresses"] == [{"type": "work", "streetAddress": "1 Main St",
                                  "locality": "Redmond"}]
    phones = {p["type"]: p["value"] for p in user["phoneNumbers"]}
    assert phones == {"mobile": "+1 555 0100", "work": "+1 555 0199"}
    replaced = entra_patch(tenant, f"/Users/{entra_user['id']}",
                           {"op": "Replace", "path": 'phoneNumbers[type eq "mobile"].value',
                            "value": "+1 555 0111"})
    assert replaced.status_code == 200
    phones = {p["type"]: p["value"] for p in tenant.user(entra_user["id"])["phoneNumbers"]}
    assert phones == {"mobile": "+1 555 0111", "work": "+1 555 0199"}


def test_app_role_with_string_primary(tenant, entra_user):
    """Entra provisions app role assignments as `roles` with `"primary": "True"` (a string)."""
    response = entra_patch(tenant, f"/Users/{entra_user['id']}",
                           {"op": "Add", "path": "roles",
                            "value": [{"primary": "True", "value": "Admin",
                                       "type": "WindowsAzureActiveDirectoryRole"}]})
    assert response.status_code == 200, response.get_json()
    (role,) = tenant.user(entra_user["id"])["roles"]
    assert role["primary"] is True
    assert role["value"] == "Admin"


def test_pathless_replace_of_user_name_and_external_id(tenant, entra_user):
    """Entra's pathless Replace can carry several core attributes, booleans as strings too."""
    response = entra_patch(tenant, f"/Users/{entra_user['id']}",
                           {"op": "Replace", "value": {"userName": "new@contoso.com",
                                                       "externalId": "new-ext",
                                                       "active": "False"}})
    assert response.status_code == 200, response.get_json()
    user = tenant.user(entra_user["id"])
    assert (user["userName"], user["externalId"], user["active"]) == (
        "new@contoso.com", "new-ext", False)
    assert tenant.list(filter="externalId eq new-ext")["totalResults"] == 1
