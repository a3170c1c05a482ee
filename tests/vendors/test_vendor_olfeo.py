"""Olfeo SAAS, as its Microsoft Entra provisioning tutorial describes it.

Source: ../shared/vendor-docs/003_b0c2c8a1b6b2c16f.txt ("Olfeo tutorial" below) and the
vendor-docs README row for it.
"""

from __future__ import annotations

from typing import Any

import pytest

ROOT = "http://localhost"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


@pytest.fixture
def tenant(make_tenant):
    return make_tenant("olfeo")


@pytest.fixture
def claire(tenant) -> dict[str, Any]:
    """A user carrying every attribute of the Olfeo user table."""
    return tenant.create({
        "schemas": [USER_SCHEMA],
        "userName": "claire@olfeo.test",
        "displayName": "Claire Dupont",
        "active": True,
        "emails": [{"type": "work", "value": "claire@olfeo.test", "primary": True}],
        "preferredLanguage": "fr-FR",
        "name": {"givenName": "Claire", "familyName": "Dupont", "formatted": "Claire Dupont"},
        "externalId": "ext-claire",
    })


@pytest.fixture
def team(tenant) -> dict[str, Any]:
    return tenant.create({"schemas": [GROUP_SCHEMA], "displayName": "Équipe Réseau",
                          "externalId": "ext-team"}, "/Groups")


def attribute_tree(schema: dict[str, Any]) -> dict[str, set[str]]:
    return {a["name"]: {s["name"] for s in a.get("subAttributes", [])}
            for a in schema["attributes"]}


def schemas_by_id(tenant) -> dict[str, dict[str, Any]]:
    return {s["id"]: s for s in tenant.list("/Schemas")["Resources"]}


def member_ids(group: dict[str, Any]) -> list[str]:
    return sorted(m["value"] for m in group.get("members", []))


# Tenant URL ---------------------------------------------------------------------------------


def test_tenant_url_is_absolute_and_names_the_directory(tenant, claire):
    """Olfeo tutorial, Step 2: each directory's **Synchronisation** tab gives its own Tenant
    URL and secret (the **Jeton secret**); DESIGN: `tenant_url` "is absolute and is exactly the
    SCIM base URL that `/Users` hangs off"."""
    assert tenant.url == f"{ROOT}/olfeo/{tenant.id}/scim/v2"
    assert claire["meta"]["location"] == f"{tenant.url}/Users/{claire['id']}"


def test_each_directory_has_its_own_secret(make_tenant, tenant, claire, scim_error):
    """Olfeo tutorial, Step 2: the admin creates and names a directory, and its
    **Synchronisation** tab holds that directory's own **Jeton secret**; another directory's
    secret reads nothing here."""
    other = make_tenant("olfeo")
    response = tenant.get("/Users", headers={"Authorization": f"Bearer {other.token}"})
    assert "Resources" not in scim_error(response, 401)
    assert other.list("/Users")["totalResults"] == 0


# Resource types and schemas -----------------------------------------------------------------


def test_resource_types_are_user_and_group(tenant):
    """Olfeo tutorial, Capabilities Supported: Olfeo takes groups and their memberships as
    well as users."""
    resources = {r["id"]: r for r in tenant.list("/ResourceTypes")["Resources"]}
    assert set(resources) == {"User", "Group"}
    assert resources["User"]["endpoint"] == "/Users"
    assert resources["User"]["schema"] == USER_SCHEMA
    assert resources["Group"]["endpoint"] == "/Groups"
    assert resources["Group"]["schema"] == GROUP_SCHEMA
    assert not resources["User"].get("schemaExtensions")
    assert tenant.list("/Groups")["totalResults"] == 0


def test_user_schema_shows_the_user_table_and_read_only_groups(tenant):
    """Olfeo tutorial, Step 5, user table: userName, displayName, active, emails[type eq
    "work"].value, preferredLanguage, name.givenName, name.familyName, name.formatted,
    externalId (a common attribute, RFC 7643 §3.1, so not part of the schema); plus the
    read-only `groups` a server derives from the group memberships it provisions."""
    schema = schemas_by_id(tenant)[USER_SCHEMA]
    user = attribute_tree(schema)
    assert set(user) == {"userName", "displayName", "active", "emails", "preferredLanguage",
                         "name", "groups"}
    assert user["name"] == {"givenName", "familyName", "formatted"}
    assert {"value", "type"} <= user["emails"] <= {"value", "type", "primary"}
    groups = next(a for a in schema["attributes"] if a["name"] == "groups")
    assert groups["mutability"] == "readOnly"


def test_group_schema_shows_exactly_the_group_table(tenant):
    """Olfeo tutorial, Step 5, group table: displayName (a filterable string), externalId (a
    string; a common attribute) and members (a reference)."""
    schemas = schemas_by_id(tenant)
    assert set(schemas) == {USER_SCHEMA, GROUP_SCHEMA}
    group = {a["name"]: a for a in schemas[GROUP_SCHEMA]["attributes"]}
    assert set(group) == {"displayName", "members"}
    assert group["members"]["multiValued"] is True
    assert "value" in {s["name"] for s in group["members"]["subAttributes"]}


def test_the_user_table_has_no_required_column(tenant):
    """Olfeo tutorial, Step 5 user table: it gives each attribute's type and whether it can be
    filtered on, but marks none as required, so a user with just a userName is accepted."""
    created = tenant.create({"schemas": [USER_SCHEMA], "userName": "minimal@olfeo.test"})
    assert created["userName"] == "minimal@olfeo.test"


def test_user_table_attributes_are_kept(tenant, claire):
    """Olfeo tutorial, Step 5 user table: every listed attribute, externalId included, is
    synchronised and read back."""
    shown = tenant.user(claire["id"])
    assert shown["externalId"] == "ext-claire"
    assert shown["preferredLanguage"] == "fr-FR"
    assert shown["name"] == {"givenName": "Claire", "familyName": "Dupont",
                             "formatted": "Claire Dupont"}
    assert shown["emails"][0]["value"] == "claire@olfeo.test"
    assert shown["displayName"] == "Claire Dupont" and shown["active"] is True


def test_attributes_outside_the_table_are_accepted_and_ignored(tenant):
    """Olfeo tutorial, Step 5 user table: title, phoneNumbers, addresses and the enterprise
    extension are not Olfeo attributes; they are accepted and not stored."""
    response = tenant.post("/Users", {
        "schemas": [USER_SCHEMA, ENTERPRISE], "userName": "extra@olfeo.test",
        "title": "Responsable", "phoneNumbers": [{"type": "work", "value": "+33 1 00 00 00 00"}],
        "addresses": [{"type": "work", "locality": "Paris", "country": "FR"}],
        ENTERPRISE: {"department": "IT"}, "nickName": None,
    })
    assert response.status_code == 201, response.get_data(as_text=True)
    created = response.get_json()
    for shown in (created, tenant.user(created["id"])):
        for dropped in ("title", "phoneNumbers", "addresses", ENTERPRISE, "nickName"):
            assert dropped not in shown, dropped
        assert shown["schemas"] == [USER_SCHEMA]


# Filters ------------------------------------------------------------------------------------


@pytest.mark.parametrize("filter_text", [
    'userName eq "claire@olfeo.test"', "userName eq claire@olfeo.test",
    'USERNAME eq "Claire@Olfeo.test"',
])
def test_users_filter_on_username(tenant, claire, filter_text):
    """Olfeo tutorial, Step 5 user table: the table marks userName filterable."""
    assert [u["id"] for u in tenant.search(filter_text)] == [claire["id"]]


@pytest.mark.parametrize(("filter_text", "named"), [
    ('externalId eq "ext-claire"', "externalId"),
    ('displayName eq "Claire Dupont"', "displayName"),
    ('emails[type eq "work"].value eq "claire@olfeo.test"', "emails"),
    ('userName eq "claire@olfeo.test" and externalId eq "ext-claire"', "externalId"),
])
def test_other_user_filters_are_invalid(tenant, claire, scim_error, filter_text, named):
    """Olfeo tutorial, Step 5: an admin who picks another matching attribute must first make
    sure Olfeo can filter on it, and the table marks only userName filterable. DESIGN: 400
    invalidFilter."""
    error = scim_error(tenant.get("/Users", query_string={"filter": filter_text}), 400,
                       "invalidFilter")
    assert named in error["detail"]


@pytest.mark.parametrize("filter_text", [
    'displayName eq "Équipe Réseau"', 'displayName eq "équipe réseau"',
])
def test_groups_filter_on_display_name(tenant, team, filter_text):
    """Olfeo tutorial, Step 5 group table: the table marks displayName filterable."""
    found = tenant.search(filter_text, "/Groups")
    assert [g["id"] for g in found] == [team["id"]]


@pytest.mark.parametrize(("filter_text", "named"), [
    ('externalId eq "ext-team"', "externalId"),
    ('members.value eq "x"', "members"),
])
def test_other_group_filters_are_invalid(tenant, team, scim_error, filter_text, named):
    """Olfeo tutorial, Step 5 group table: only displayName is marked filterable; externalId
    and members are not."""
    error = scim_error(tenant.get("/Groups", query_string={"filter": filter_text}), 400,
                       "invalidFilter")
    assert named in error["detail"]


# Users: updates and deletes -----------------------------------------------------------------


def test_user_patch_answers_200_with_the_resource(tenant, claire):
    """Olfeo tutorial, Capabilities Supported: Entra keeps the users' attributes up to date in
    Olfeo (user PATCH → 200 and the user)."""
    response = tenant.patch_ops(f"/Users/{claire['id']}",
                                {"op": "Replace", "path": "preferredLanguage", "value": "en-GB"})
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["id"] == claire["id"] and body["preferredLanguage"] == "en-GB"


def test_delete_removes_the_user(tenant, claire, scim_error):
    """Olfeo tutorial, Capabilities Supported: users who no longer need access are taken out
    of Olfeo (a hard delete)."""
    assert tenant.delete(f"/Users/{claire['id']}").status_code == 204
    scim_error(tenant.get(f"/Users/{claire['id']}"), 404)
    assert tenant.search('userName eq "claire@olfeo.test"') == []


def test_deleting_a_user_removes_its_memberships(tenant, claire, team):
    """Olfeo tutorial, Capabilities Supported: Olfeo both removes users and keeps group
    memberships, so a removed user is no member of any group."""
    add = {"op": "Add", "path": "members", "value": [{"value": claire["id"]}]}
    assert tenant.patch_ops(f"/Groups/{team['id']}", add).status_code == 204
    assert tenant.delete(f"/Users/{claire['id']}").status_code == 204
    assert member_ids(tenant.group(team["id"])) == []


# Groups and memberships ---------------------------------------------------------------------


def test_group_created_with_members(tenant, claire):
    """Olfeo tutorial, Capabilities Supported: groups arrive with their memberships; the group
    table types members as a reference."""
    created = tenant.create({"schemas": [GROUP_SCHEMA], "displayName": "Direction",
                             "externalId": "ext-dir", "members": [{"value": claire["id"]}]},
                            "/Groups")
    shown = tenant.group(created["id"])
    assert shown["displayName"] == "Direction" and shown["externalId"] == "ext-dir"
    assert member_ids(shown) == [claire["id"]]


def test_group_patch_answers_204_no_content(tenant, claire, team):
    """Olfeo tutorial, Capabilities Supported: group memberships are provisioned; the profile
    answers a group PATCH as Entra's SCIM guidance does: 204 No Content."""
    response = tenant.patch_ops(f"/Groups/{team['id']}",
                                {"op": "Add", "path": "members",
                                 "value": [{"value": claire["id"]}]})
    assert response.status_code == 204
    assert response.get_data() == b""
    assert member_ids(tenant.group(team["id"])) == [claire["id"]]


def test_memberships_added_and_removed_in_entras_dialects(tenant, claire, team):
    """Olfeo tutorial: group memberships are provisioned to Olfeo; DESIGN lists
    Entra's shapes: "`members[value eq "…"]` removal, Remove-members with a `value` list"."""
    other = tenant.create({"schemas": [USER_SCHEMA], "userName": "marc@olfeo.test"})
    path = f"/Groups/{team['id']}"
    add = {"op": "Add", "path": "members",
           "value": [{"value": claire["id"]}, {"value": other["id"]}]}
    assert tenant.patch_ops(path, add).status_code == 204
    assert member_ids(tenant.group(team["id"])) == sorted([claire["id"], other["id"]])
    by_filter = {"op": "Remove", "path": f'members[value eq "{claire["id"]}"]'}
    assert tenant.patch_ops(path, by_filter).status_code == 204
    assert member_ids(tenant.group(team["id"])) == [other["id"]]
    by_list = {"op": "Remove", "path": "members", "value": [{"value": other["id"]}]}
    assert tenant.patch_ops(path, by_list).status_code == 204
    assert member_ids(tenant.group(team["id"])) == []


def test_group_rename_and_delete(tenant, team, scim_error):
    """Olfeo tutorial, Step 5 group table: displayName is synchronised; groups leave Olfeo
    when they are no longer in scope."""
    rename = {"op": "Replace", "path": "displayName", "value": "Équipe Sécurité"}
    assert tenant.patch_ops(f"/Groups/{team['id']}", rename).status_code == 204
    assert tenant.group(team["id"])["displayName"] == "Équipe Sécurité"
    assert tenant.search('displayName eq "Équipe Sécurité"', "/Groups")[0]["id"] == team["id"]
    assert tenant.delete(f"/Groups/{team['id']}").status_code == 204
    scim_error(tenant.get(f"/Groups/{team['id']}"), 404)
