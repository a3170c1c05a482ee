"""Vault Platform, as its Microsoft Entra provisioning tutorial describes it.

Source: ../shared/vendor-docs/002_949e3d65c888623e.txt ("Vault Platform tutorial" below) and
the vendor-docs README row for it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

ROOT = "http://localhost"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
SEARCH_REQUEST = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"
TOGGLE = "Set as active SCIM Provider"

WORK_EMAIL = 'emails[type eq "work"].value'
WORK_LOCALITY = 'addresses[type eq "work"].locality'
WORK_COUNTRY = 'addresses[type eq "work"].country'
EMPLOYEE_NUMBER = f"{ENTERPRISE}:employeeNumber"
DEPARTMENT = f"{ENTERPRISE}:department"


@pytest.fixture
def tenant(make_tenant):
    return make_tenant("vaultplatform", slug="acme-corp")


@pytest.fixture
def ada(tenant, valid_user) -> dict[str, Any]:
    """A complete Vault Platform user, created."""
    return tenant.create(valid_user("vaultplatform", "ada@acme.test"))


def attribute_tree(schema: dict[str, Any]) -> dict[str, set[str]]:
    return {a["name"]: {s["name"] for s in a.get("subAttributes", [])}
            for a in schema["attributes"]}


def schemas_by_id(tenant) -> dict[str, dict[str, Any]]:
    return {s["id"]: s for s in tenant.list("/Schemas")["Resources"]}


def set_active_provider(client, admin, tenant, on: bool) -> dict[str, Any]:
    response = client.patch(f"/_sandbox/tenants/{tenant.id}",
                            json={"settings": {"active_scim_provider": on}}, headers=admin)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


# Tenant URL and authentication ---------------------------------------------------------------


def test_tenant_url_ends_in_the_organization_slug(tenant):
    """Vault Platform tutorial, Step 5: the Tenant URL Entra is given has the form
    `https://app.vaultplatform.com/api/scim/${organization-slug}`; DESIGN: the
    admin API's `tenant_url` "is absolute and is exactly the SCIM base URL that /Users hangs
    off"."""
    assert tenant.url == f"{ROOT}/api/scim/acme-corp"
    assert tenant.admin["slug"] == "acme-corp"
    listing = tenant.list("/Users")
    assert listing["totalResults"] == 0


def test_locations_hang_off_the_absolute_tenant_url(ada, tenant):
    """DESIGN, admin API: "`tenant_url` is absolute and is exactly the SCIM base URL that
    `/Users` hangs off" (Vault Platform tutorial, Step 5: `.../api/scim/${organization-slug}`)."""
    assert ada["meta"]["location"] == f"{tenant.url}/Users/{ada['id']}"


def test_another_tenants_token_on_this_slug_is_refused(make_tenant, tenant, ada, scim_error):
    """Vault Platform tutorial, Step 5: the Tenant URL `.../api/scim/${organization-slug}` goes
    with the secret that organization set in Step 2.2; DESIGN: "A token of one tenant never
    reads another tenant's data"."""
    other = make_tenant("vaultplatform", slug="other-org")
    for path in ("/Users", f"/Users/{ada['id']}"):
        response = tenant.get(path, headers={"Authorization": f"Bearer {other.token}"})
        body = scim_error(response, 401)
        assert "Resources" not in body and "userName" not in body
    # and the other way round: this tenant's secret does not open the other organization
    scim_error(other.get("/Users", headers={"Authorization": f"Bearer {tenant.token}"}), 401)
    assert other.list("/Users")["totalResults"] == 0


def test_the_slug_names_one_organization(make_tenant, valid_user):
    """Vault Platform tutorial, Step 5: the Tenant URL ends in the organization's slug
    (`https://app.vaultplatform.com/api/scim/${organization-slug}`): two organizations, two
    URLs, two separate sets of users."""
    first = make_tenant("vaultplatform", slug="first-org")
    second = make_tenant("vaultplatform", slug="second-org")
    first.create(valid_user("vaultplatform", "only.first@acme.test"))
    assert first.url.endswith("/api/scim/first-org")
    assert second.url.endswith("/api/scim/second-org")
    assert second.list("/Users")["totalResults"] == 0
    assert first.list("/Users")["totalResults"] == 1


def test_an_organization_slug_is_taken_once(client, admin, tenant, scim_error):
    """Vault Platform tutorial, Step 5: the Tenant URL is `.../api/scim/${organization-slug}`,
    so one slug names one organization."""
    again = client.post("/_sandbox/tenants", json={"vendor": "vaultplatform",
                                                   "slug": "acme-corp"}, headers=admin)
    scim_error(again, 409, "uniqueness")


def test_an_unknown_slug_is_not_found(client, tenant, scim_error):
    """Vault Platform tutorial, Step 5: `.../api/scim/${organization-slug}`: a slug no
    organization has is a wrong URL, even with a valid secret: refused, no data."""
    response = client.get("/api/scim/no-such-org/Users",
                          headers={"Authorization": f"Bearer {tenant.token}"})
    assert response.status_code in (401, 404), response.get_data(as_text=True)
    assert "Resources" not in scim_error(response, response.status_code)


# Resource types and schemas -----------------------------------------------------------------


def test_groups_are_not_offered(tenant, scim_error):
    """Vault Platform tutorial, Supported capabilities: every item is about users (creating,
    removing, updating them), none about groups; DESIGN: "a resource type the vendor lacks is
    a 404 SCIM error"."""
    scim_error(tenant.get("/Groups"), 404)
    scim_error(tenant.post("/Groups", {"displayName": "Team"}), 404)


def test_resource_types_list_only_user_with_required_enterprise_extension(tenant):
    """Vault Platform tutorial, Supported capabilities: users only; its table requires
    `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber` and
    `...:department`, so the enterprise extension is required."""
    resources = tenant.list("/ResourceTypes")["Resources"]
    assert [r["id"] for r in resources] == ["User"]
    user = resources[0]
    assert user["endpoint"] == "/Users"
    assert user["schema"] == USER_SCHEMA
    assert user["schemaExtensions"] == [{"schema": ENTERPRISE, "required": True}]


def test_schemas_show_exactly_the_attribute_table(tenant):
    """Vault Platform tutorial, Step 5 attribute table: userName, externalId, active,
    displayName, title, emails[type eq "work"].value, name.givenName, name.familyName,
    addresses[type eq "work"].locality / .country, enterprise employeeNumber, department,
    manager. (externalId is a common attribute, RFC 7643 §3.1, not part of a schema.)"""
    schemas = schemas_by_id(tenant)
    assert set(schemas) == {USER_SCHEMA, ENTERPRISE}
    core = attribute_tree(schemas[USER_SCHEMA])
    assert set(core) == {"userName", "active", "displayName", "title", "emails", "name",
                         "addresses"}
    assert core["name"] == {"givenName", "familyName"}
    # The typed value paths need `type`; `primary` is the RFC 7643 §2.4 companion Entra sends.
    assert {"value", "type"} <= core["emails"] <= {"value", "type", "primary"}
    assert {"locality", "country", "type"} <= core["addresses"] <= {
        "locality", "country", "type", "primary"}
    enterprise = attribute_tree(schemas[ENTERPRISE])
    assert set(enterprise) == {"employeeNumber", "department", "manager"}


def test_schemas_mark_the_required_column(tenant):
    """Vault Platform tutorial, Step 5 table: its required column marks every attribute except
    displayName and manager."""
    schemas = schemas_by_id(tenant)
    core = {a["name"]: a for a in schemas[USER_SCHEMA]["attributes"]}
    required = {name for name, a in core.items() if a["required"]}
    assert required == {"userName", "active", "title", "emails", "name", "addresses"}
    assert {s["name"] for s in core["name"]["subAttributes"] if s["required"]} == {
        "givenName", "familyName"}
    enterprise = {a["name"]: a["required"] for a in schemas[ENTERPRISE]["attributes"]}
    assert enterprise == {"employeeNumber": True, "department": True, "manager": False}


def test_attributes_outside_the_table_are_accepted_and_ignored(tenant, valid_user):
    """Vault Platform tutorial, Step 5 table lists the thirteen attributes Vault Platform
    keeps; nickName, phoneNumbers, preferredLanguage and name.formatted are not among them, so
    they are accepted and not stored (profile `unknown_attributes = "ignore"`)."""
    body = valid_user("vaultplatform", "grace@acme.test", nickName="gracie",
                      phoneNumbers=[{"type": "work", "value": "+44 20 7946 0000"}],
                      preferredLanguage="en-GB",
                      name={"givenName": "Grace", "familyName": "Hopper",
                            "formatted": "Grace Hopper"})
    response = tenant.post("/Users", body)
    assert response.status_code == 201, response.get_data(as_text=True)
    created = response.get_json()
    for shown in (created, tenant.user(created["id"])):
        assert "nickName" not in shown and "phoneNumbers" not in shown
        assert "preferredLanguage" not in shown
        assert shown["name"] == {"givenName": "Grace", "familyName": "Hopper"}
        assert shown["title"] == "Engineer" and shown["externalId"] == "ext-grace"
        assert shown[ENTERPRISE] == {"employeeNumber": "1815", "department": "Research"}


def test_optional_attributes_are_kept(tenant, valid_user):
    """Vault Platform tutorial, Step 5 table: displayName and the enterprise manager are listed
    (as strings) but not marked required."""
    plain = tenant.create(valid_user("vaultplatform", "plain@acme.test"))
    assert "displayName" not in plain
    body = valid_user("vaultplatform", "full@acme.test", displayName="Full Name")
    body[ENTERPRISE] = {**body[ENTERPRISE], "manager": {"value": plain["id"]}}
    full = tenant.create(body)
    assert full["displayName"] == "Full Name"
    assert full[ENTERPRISE]["manager"]["value"] == plain["id"]


# Required attributes ------------------------------------------------------------------------

Mutation = Callable[[dict[str, Any]], None]


def _drop(key: str) -> Mutation:
    return lambda body: body.pop(key)


def _drop_sub(key: str, sub: str) -> Mutation:
    def mutate(body: dict[str, Any]) -> None:
        value = body[key]
        for item in value if isinstance(value, list) else [value]:
            item.pop(sub)
    return mutate


MISSING: list[tuple[str, Mutation]] = [
    ("userName", _drop("userName")),
    ("externalId", _drop("externalId")),
    ("active", _drop("active")),
    ("title", _drop("title")),
    (WORK_EMAIL, _drop("emails")),
    ("name.givenName", _drop_sub("name", "givenName")),
    ("name.familyName", _drop_sub("name", "familyName")),
    (WORK_LOCALITY, _drop_sub("addresses", "locality")),
    (WORK_COUNTRY, _drop_sub("addresses", "country")),
    (EMPLOYEE_NUMBER, _drop_sub(ENTERPRISE, "employeeNumber")),
    (DEPARTMENT, _drop_sub(ENTERPRISE, "department")),
]


@pytest.mark.parametrize(("written", "mutate"), MISSING, ids=[w for w, _ in MISSING])
def test_post_without_a_required_attribute_is_refused(tenant, valid_user, scim_error, written,
                                                      mutate):
    """Vault Platform tutorial, Step 5 table: the attribute is marked required; DESIGN: "a
    missing required attribute is a 400 `invalidValue` naming the attribute"."""
    body = valid_user("vaultplatform", "missing@acme.test")
    mutate(body)
    error = scim_error(tenant.post("/Users", body), 400, "invalidValue")
    assert written in error["detail"]
    assert tenant.list("/Users")["totalResults"] == 0


@pytest.mark.parametrize(("written", "mutate"), MISSING, ids=[w for w, _ in MISSING])
def test_put_without_a_required_attribute_is_refused(tenant, ada, valid_user, scim_error,
                                                     written, mutate):
    """Vault Platform tutorial, Step 5 table, required attributes: a replacement without one
    is refused like a creation, and the user stays as it was."""
    before = tenant.user(ada["id"])
    body = valid_user("vaultplatform", "ada@acme.test")
    mutate(body)
    error = scim_error(tenant.put(f"/Users/{ada['id']}", body), 400, "invalidValue")
    assert written in error["detail"]
    assert tenant.user(ada["id"]) == before


REMOVALS = [
    ("userName", "userName"),
    ("externalId", "externalId"),
    ("active", "active"),
    ("title", "title"),
    (WORK_EMAIL, 'emails[type eq "work"]'),
    (WORK_EMAIL, "emails"),
    ("name.givenName", "name.givenName"),
    ("name.familyName", "name.familyName"),
    (WORK_LOCALITY, WORK_LOCALITY),
    (WORK_COUNTRY, WORK_COUNTRY),
    (EMPLOYEE_NUMBER, EMPLOYEE_NUMBER),
    (DEPARTMENT, DEPARTMENT),
]


@pytest.mark.parametrize(("written", "path"), REMOVALS, ids=[p for _, p in REMOVALS])
def test_patch_removing_a_required_attribute_is_refused(tenant, ada, scim_error, written, path):
    """Vault Platform tutorial, Step 5 table, required attributes: a PATCH that would leave the
    user without one is a 400 naming it (as the table writes it); nothing changes."""
    before = tenant.user(ada["id"])
    response = tenant.patch_ops(f"/Users/{ada['id']}", {"op": "remove", "path": path})
    error = scim_error(response, 400, "invalidValue")
    assert written in error["detail"]
    assert tenant.user(ada["id"]) == before


def test_a_home_email_alone_is_not_the_work_email(tenant, ada, valid_user, scim_error):
    """Vault Platform tutorial, Step 5 table: the work email (`emails[type eq "work"].value`)
    is required, so only a work email counts."""
    body = valid_user("vaultplatform", "home@acme.test",
                      emails=[{"type": "home", "value": "home@example.test"}])
    error = scim_error(tenant.post("/Users", body), 400, "invalidValue")
    assert WORK_EMAIL in error["detail"]
    before = tenant.user(ada["id"])
    response = tenant.patch_ops(f"/Users/{ada['id']}", {
        "op": "replace", "path": "emails", "value": [{"type": "home", "value": "h@x.test"}]})
    assert WORK_EMAIL in scim_error(response, 400, "invalidValue")["detail"]
    assert tenant.user(ada["id"]) == before


def test_a_home_address_alone_is_not_the_work_address(tenant, valid_user, scim_error):
    """Vault Platform tutorial, Step 5 table: the work address's locality is required; a home
    address does not satisfy it."""
    body = valid_user("vaultplatform", "home@acme.test",
                      addresses=[{"type": "home", "locality": "Leeds", "country": "GB"}])
    error = scim_error(tenant.post("/Users", body), 400, "invalidValue")
    assert WORK_LOCALITY in error["detail"]


def test_null_for_a_required_attribute_counts_as_missing(tenant, valid_user, scim_error):
    """Vault Platform tutorial, Step 5 table: title is required; Entra sends `null` for
    an attribute with no source value (DESIGN: "nulls for unmapped attributes")."""
    body = valid_user("vaultplatform", "null@acme.test", title=None)
    assert "title" in scim_error(tenant.post("/Users", body), 400, "invalidValue")["detail"]


def test_inactive_users_satisfy_the_active_requirement(tenant, valid_user):
    """Vault Platform tutorial, Step 5 table: active (a boolean) is required, and `false` is a
    value, so a disabled user is complete."""
    created = tenant.create(valid_user("vaultplatform", "off@acme.test", active=False))
    assert created["active"] is False
    response = tenant.patch_ops(f"/Users/{created['id']}",
                                {"op": "Replace", "path": "active", "value": "True"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["active"] is True


# Filters ------------------------------------------------------------------------------------


@pytest.mark.parametrize("filter_text", [
    'userName eq "ada@acme.test"',
    "userName eq ada@acme.test",
    'username eq "ADA@acme.test"',
    'externalId eq "ext-ada"',
    "externalId eq ext-ada",
])
def test_filters_on_username_and_externalid(tenant, ada, filter_text):
    """Vault Platform tutorial, Step 5 table: userName and externalId are marked filterable
    (and required)."""
    found = tenant.search(filter_text)
    assert [u["id"] for u in found] == [ada["id"]]


@pytest.mark.parametrize(("filter_text", "named"), [
    ('displayName eq "x"', "displayName"),
    ('title eq "Engineer"', "title"),
    ('emails.value eq "ada@acme.test"', "emails.value"),
    ('name.givenName eq "Ada"', "name.givenName"),
    (f'{DEPARTMENT} eq "Research"', "department"),
    ('userName eq "ada@acme.test" and title eq "Engineer"', "title"),
])
def test_other_filters_are_invalid(tenant, ada, scim_error, filter_text, named):
    """Vault Platform tutorial, Step 5: a different matching attribute is only safe if Vault
    Platform can filter on it, and the table marks only userName and externalId filterable;
    DESIGN: "a filter on an attribute the vendor does not support
    is a 400 invalidFilter"."""
    error = scim_error(tenant.get("/Users", query_string={"filter": filter_text}), 400,
                       "invalidFilter")
    assert named in error["detail"]


def test_search_endpoint_applies_the_same_filter_rules(tenant, ada, scim_error):
    """Vault Platform tutorial, Step 5 table: only userName and externalId are filterable,
    whichever way the query arrives (POST /Users/.search too)."""
    bad = tenant.post("/Users/.search", {"schemas": [SEARCH_REQUEST],
                                         "filter": 'displayName eq "x"'})
    assert "displayName" in scim_error(bad, 400, "invalidFilter")["detail"]
    good = tenant.post("/Users/.search", {"schemas": [SEARCH_REQUEST],
                                          "filter": 'externalId eq "ext-ada"'})
    assert good.status_code == 200, good.get_data(as_text=True)
    assert [u["id"] for u in good.get_json()["Resources"]] == [ada["id"]]


# Updates and deletes ------------------------------------------------------------------------


def test_user_patch_answers_200_with_the_resource(tenant, ada):
    """Vault Platform tutorial, Supported capabilities: Entra keeps the users' attributes up to
    date in Vault Platform (Entra's PATCH; profile
    `patch_response = "resource"`)."""
    response = tenant.patch_ops(f"/Users/{ada['id']}",
                                {"op": "Replace", "path": "title", "value": "Director"},
                                {"op": "Replace", "path": DEPARTMENT, "value": "Board"})
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["id"] == ada["id"] and body["title"] == "Director"
    assert body[ENTERPRISE]["department"] == "Board"
    assert tenant.user(ada["id"])["title"] == "Director"


def test_patch_of_attributes_outside_the_table_is_ignored(tenant, ada):
    """Vault Platform tutorial, Step 5 table: nickName is not a Vault Platform attribute, so
    an update to it is accepted and not stored."""
    response = tenant.patch_ops(f"/Users/{ada['id']}",
                                {"op": "Add", "path": "nickName", "value": "countess"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "nickName" not in response.get_json()
    assert "nickName" not in tenant.user(ada["id"])


def test_delete_removes_the_user(tenant, ada, scim_error):
    """Vault Platform tutorial, Supported capabilities: users who no longer need access are
    taken out of Vault Platform (a hard delete)."""
    response = tenant.delete(f"/Users/{ada['id']}")
    assert response.status_code == 204
    scim_error(tenant.get(f"/Users/{ada['id']}"), 404)
    assert tenant.search('userName eq "ada@acme.test"') == []


# "Set as active SCIM Provider" ------------------------------------------------------------


def test_admin_api_shows_the_toggle_on_by_default(tenant):
    """Vault Platform tutorial, Step 2.2 item 4: the admin switches on the **Set as active SCIM
    Provider** toggle (the sandbox's tenants start set up as the tutorial ends)."""
    assert tenant.admin["settings"]["active_scim_provider"] is True


def test_inactive_provider_refuses_every_scim_request(client, admin, tenant, ada, valid_user,
                                                      scim_error):
    """Vault Platform tutorial, Step 2.2 item 4: the **Set as active SCIM Provider** toggle
    must be on; while it is off the endpoint refuses Entra with a 401 that says why."""
    before = tenant.user(ada["id"])
    assert set_active_provider(client, admin, tenant, False)["settings"][
        "active_scim_provider"] is False
    uid = ada["id"]
    attempts = [
        tenant.get("/Users"),
        tenant.get("/Users", query_string={"filter": 'userName eq "ada@acme.test"'}),
        tenant.get(f"/Users/{uid}"),
        tenant.post("/Users", valid_user("vaultplatform", "new@acme.test")),
        tenant.put(f"/Users/{uid}", valid_user("vaultplatform", "ada@acme.test",
                                               title="Changed")),
        tenant.patch_ops(f"/Users/{uid}", {"op": "Replace", "path": "title", "value": "X"}),
        tenant.delete(f"/Users/{uid}"),
        tenant.get("/ServiceProviderConfig"),
        tenant.get("/Schemas"),
    ]
    for response in attempts:
        error = scim_error(response, 401)
        assert TOGGLE in error["detail"]
        assert "Resources" not in error and "userName" not in error
    set_active_provider(client, admin, tenant, True)
    assert tenant.user(uid) == before
    assert [u["id"] for u in tenant.list("/Users")["Resources"]] == [uid]


def test_turning_the_toggle_back_on_restores_access(client, admin, tenant, valid_user):
    """Vault Platform tutorial, Step 2.2 item 4: with the **Set as active SCIM Provider**
    toggle back on, Entra's requests go through again."""
    set_active_provider(client, admin, tenant, False)
    set_active_provider(client, admin, tenant, True)
    created = tenant.create(valid_user("vaultplatform", "back@acme.test"))
    assert tenant.search('userName eq "back@acme.test"')[0]["id"] == created["id"]


def test_the_toggle_belongs_to_one_organization(client, admin, make_tenant, tenant, valid_user,
                                                scim_error):
    """Vault Platform tutorial, Step 2.2: each organization's **Administration > Data
    Integration** page has its own **Set as active SCIM Provider** toggle."""
    other = make_tenant("vaultplatform", slug="other-org")
    set_active_provider(client, admin, tenant, False)
    scim_error(tenant.get("/Users"), 401)
    other.create(valid_user("vaultplatform", "other@acme.test"))
    assert other.list("/Users")["totalResults"] == 1


def test_entra_manager_update_keeps_the_reference(tenant, ada, valid_user):
    """Vault Platform tutorial, Step 5 table: the enterprise manager is an optional string;
    Entra sends the manager's id as a plain string
    value in `{"op": "Add", "path": "...:manager", "value": "<id>"}`."""
    boss = tenant.create(valid_user("vaultplatform", "boss@acme.test"))
    response = tenant.patch_ops(f"/Users/{ada['id']}",
                                {"op": "Add", "path": f"{ENTERPRISE}:manager",
                                 "value": boss["id"]})
    assert response.status_code == 200, response.get_data(as_text=True)
    manager = tenant.user(ada["id"])[ENTERPRISE]["manager"]
    assert manager["value"] == boss["id"]


def test_a_rejected_post_does_not_disturb_existing_data(tenant, ada, valid_user, scim_error):
    """DESIGN, Behaviour that users count on: "Bad input never ... loses or corrupts stored
    data" (Vault Platform tutorial, Step 5 table, Required column)."""
    before = copy.deepcopy(tenant.user(ada["id"]))
    body = valid_user("vaultplatform", "ada@acme.test")
    body.pop("title")
    scim_error(tenant.post("/Users", body), 400, "invalidValue")
    assert tenant.user(ada["id"]) == before
