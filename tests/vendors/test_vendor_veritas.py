"""Veritas Enterprise Vault.cloud SSO-SCIM, as its Microsoft Entra provisioning tutorial
describes it.

Source: ../shared/vendor-docs/004_05b497e823acf2de.txt ("Veritas tutorial" below) and the
vendor-docs README row for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

ROOT = "http://localhost"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
VERITAS = "urn:ietf:params:scim:schemas:extension:veritas:2.0:User"
EMAIL_ALIASES = f"{VERITAS}:emailAliases"
WORK_EMAIL = 'emails[type eq "work"].value'


@pytest.fixture
def tenant(make_tenant):
    return make_tenant("veritas")


@pytest.fixture
def bob(tenant, valid_user) -> dict[str, Any]:
    """A complete Veritas user with a work and a home email, created."""
    return tenant.create(valid_user(
        "veritas", "bob@vault.test",
        emails=[{"type": "work", "value": "bob@vault.test", "primary": True},
                {"type": "home", "value": "bob.home@example.test"}]))


def attribute_tree(schema: dict[str, Any]) -> dict[str, set[str]]:
    return {a["name"]: {s["name"] for s in a.get("subAttributes", [])}
            for a in schema["attributes"]}


def schemas_by_id(tenant) -> dict[str, dict[str, Any]]:
    return {s["id"]: s for s in tenant.list("/Schemas")["Resources"]}


# Tenant URL ---------------------------------------------------------------------------------


def test_tenant_url_is_absolute_and_names_the_tenant(tenant, valid_user):
    """Veritas tutorial, Step 5: the admin gives Entra the tenant's Tenant URL and Secret
    Token (which Veritas support provides); DESIGN: `tenant_url` "is absolute and
    is exactly the SCIM base URL that `/Users` hangs off"."""
    assert tenant.url == f"{ROOT}/veritas/{tenant.id}/scim/v2"
    created = tenant.create(valid_user("veritas", "url@vault.test"))
    assert created["meta"]["location"] == f"{tenant.url}/Users/{created['id']}"


def test_another_tenants_token_is_refused(make_tenant, tenant, bob, scim_error):
    """Veritas tutorial, Step 5: the Tenant URL goes with its own Secret Token; DESIGN: "A
    token of one tenant never reads another tenant's data"."""
    other = make_tenant("veritas")
    response = tenant.get(f"/Users/{bob['id']}",
                          headers={"Authorization": f"Bearer {other.token}"})
    assert "userName" not in scim_error(response, 401)


# Resource types and schemas -----------------------------------------------------------------


def test_groups_are_not_offered(tenant, scim_error):
    """Veritas tutorial, Supported capabilities: Entra creates, updates and removes users, and
    nothing else; DESIGN: "a resource type the vendor lacks is a 404
    SCIM error"."""
    scim_error(tenant.get("/Groups"), 404)


def test_resource_types_list_only_user_with_the_veritas_extension(tenant):
    """Veritas tutorial, Step 5 table: the extension's emailAliases attribute (a string) is
    marked required, so the extension is required."""
    resources = tenant.list("/ResourceTypes")["Resources"]
    assert [r["id"] for r in resources] == ["User"]
    assert resources[0]["endpoint"] == "/Users"
    assert resources[0]["schema"] == USER_SCHEMA
    assert resources[0]["schemaExtensions"] == [{"schema": VERITAS, "required": True}]


def test_schemas_show_exactly_the_attribute_table(tenant):
    """Veritas tutorial, Step 5 table: userName, emails[type eq "work"].value, active,
    displayName, name.givenName, name.familyName and the custom extension attribute
    `urn:ietf:params:scim:schemas:extension:veritas:2.0:User:emailAliases`."""
    schemas = schemas_by_id(tenant)
    assert set(schemas) == {USER_SCHEMA, VERITAS}
    core = attribute_tree(schemas[USER_SCHEMA])
    assert set(core) == {"userName", "emails", "active", "displayName", "name"}
    assert core["name"] == {"givenName", "familyName"}
    assert {"value", "type"} <= core["emails"] <= {"value", "type", "primary"}
    extension = {a["name"]: a for a in schemas[VERITAS]["attributes"]}
    assert set(extension) == {"emailAliases"}
    assert extension["emailAliases"]["type"] == "string"  # the table's Type column: String


def test_schemas_mark_every_attribute_required(tenant):
    """Veritas tutorial, Step 5 table: every row is marked required."""
    schemas = schemas_by_id(tenant)
    core = {a["name"]: a for a in schemas[USER_SCHEMA]["attributes"]}
    assert all(a["required"] for a in core.values()), core
    assert {s["name"] for s in core["name"]["subAttributes"] if s["required"]} == {
        "givenName", "familyName"}
    assert all(a["required"] for a in schemas[VERITAS]["attributes"])


def test_attributes_outside_the_table_are_accepted_and_ignored(tenant, valid_user):
    """Veritas tutorial, Step 5 table lists the seven attributes Veritas keeps; title,
    phoneNumbers, preferredLanguage, externalId and name.formatted are not among them, so they
    are accepted and not stored."""
    body = valid_user("veritas", "carol@vault.test", title="Archivist", externalId="ext-carol",
                      preferredLanguage="en-US",
                      phoneNumbers=[{"type": "work", "value": "+1 555 0100"}],
                      name={"givenName": "Carol", "familyName": "Keeper",
                            "formatted": "Carol Keeper"})
    response = tenant.post("/Users", body)
    assert response.status_code == 201, response.get_data(as_text=True)
    created = response.get_json()
    for shown in (created, tenant.user(created["id"])):
        for dropped in ("title", "externalId", "preferredLanguage", "phoneNumbers"):
            assert dropped not in shown, dropped
        assert shown["name"] == {"givenName": "Carol", "familyName": "Keeper"}
        assert shown[VERITAS]["emailAliases"] == ["alias.carol@example.test"]


def test_email_aliases_as_entra_sends_a_string_attribute(tenant, valid_user):
    """Veritas tutorial, Step 5 table: emailAliases has Type `String`; Entra sends a String
    attribute as a plain JSON string."""
    body = valid_user("veritas", "dave@vault.test", **{VERITAS: {"emailAliases": "d@vault.test"}})
    response = tenant.post("/Users", body)
    assert response.status_code == 201, response.get_data(as_text=True)
    stored = tenant.user(response.get_json()["id"])[VERITAS]["emailAliases"]
    assert stored in ("d@vault.test", ["d@vault.test"])


# Required attributes ------------------------------------------------------------------------

Mutation = Callable[[dict[str, Any]], None]


def _drop(key: str) -> Mutation:
    return lambda body: body.pop(key)


def _drop_sub(key: str, sub: str) -> Mutation:
    return lambda body: body[key].pop(sub)


MISSING: list[tuple[str, Mutation]] = [
    ("userName", _drop("userName")),
    (WORK_EMAIL, _drop("emails")),
    ("active", _drop("active")),
    ("displayName", _drop("displayName")),
    ("name.givenName", _drop_sub("name", "givenName")),
    ("name.familyName", _drop_sub("name", "familyName")),
    (EMAIL_ALIASES, _drop(VERITAS)),
    (EMAIL_ALIASES, lambda body: body.update({VERITAS: {"emailAliases": []}})),
]
MISSING_IDS = [w for w, _ in MISSING[:-1]] + ["emailAliases-empty"]


@pytest.mark.parametrize(("written", "mutate"), MISSING, ids=MISSING_IDS)
def test_post_without_a_required_attribute_is_refused(tenant, valid_user, scim_error, written,
                                                      mutate):
    """Veritas tutorial, Step 5 table: the attribute is marked required; DESIGN: "a missing
    required attribute is a 400 invalidValue naming the attribute"."""
    body = valid_user("veritas", "missing@vault.test")
    mutate(body)
    error = scim_error(tenant.post("/Users", body), 400, "invalidValue")
    assert written in error["detail"]
    assert tenant.list("/Users")["totalResults"] == 0


@pytest.mark.parametrize(("written", "mutate"), MISSING, ids=MISSING_IDS)
def test_put_without_a_required_attribute_is_refused(tenant, bob, valid_user, scim_error,
                                                     written, mutate):
    """Veritas tutorial, Step 5 table, required attributes: a replacement without one is
    refused and the user stays as it was."""
    before = tenant.user(bob["id"])
    body = valid_user("veritas", "bob@vault.test")
    mutate(body)
    error = scim_error(tenant.put(f"/Users/{bob['id']}", body), 400, "invalidValue")
    assert written in error["detail"]
    assert tenant.user(bob["id"]) == before


REMOVALS = [
    ("userName", "userName"),
    (WORK_EMAIL, 'emails[type eq "work"]'),
    (WORK_EMAIL, WORK_EMAIL),
    ("active", "active"),
    ("displayName", "displayName"),
    ("name.givenName", "name.givenName"),
    ("name.familyName", "name.familyName"),
    (EMAIL_ALIASES, EMAIL_ALIASES),
]


@pytest.mark.parametrize(("written", "path"), REMOVALS, ids=[p for _, p in REMOVALS])
def test_patch_removing_a_required_attribute_is_refused(tenant, bob, scim_error, written, path):
    """Veritas tutorial, Step 5 table, required attributes: a PATCH that would leave the user
    without one is a 400 naming it as the table writes it; nothing changes."""
    before = tenant.user(bob["id"])
    response = tenant.patch_ops(f"/Users/{bob['id']}", {"op": "remove", "path": path})
    assert written in scim_error(response, 400, "invalidValue")["detail"]
    assert tenant.user(bob["id"]) == before


def test_a_home_email_alone_is_not_the_work_email(tenant, bob, valid_user, scim_error):
    """Veritas tutorial, Step 5 table: the work email (`emails[type eq "work"].value`) is
    required, so only a work email satisfies it, on creation and on update."""
    body = valid_user("veritas", "home@vault.test",
                      emails=[{"type": "home", "value": "home@example.test"}])
    assert WORK_EMAIL in scim_error(tenant.post("/Users", body), 400, "invalidValue")["detail"]
    before = tenant.user(bob["id"])
    response = tenant.patch_ops(f"/Users/{bob['id']}", {
        "op": "Replace", "path": "emails", "value": [{"type": "home", "value": "h@x.test"}]})
    assert WORK_EMAIL in scim_error(response, 400, "invalidValue")["detail"]
    assert tenant.user(bob["id"]) == before


def test_null_display_name_counts_as_missing(tenant, valid_user, scim_error):
    """Veritas tutorial, Step 5 table: displayName is required; Entra sends `null` when
    the source has no value (DESIGN: "nulls for unmapped attributes")."""
    body = valid_user("veritas", "null@vault.test", displayName=None)
    error = scim_error(tenant.post("/Users", body), 400, "invalidValue")
    assert "displayName" in error["detail"]


# Filters ------------------------------------------------------------------------------------


@pytest.mark.parametrize("filter_text", [
    'userName eq "bob@vault.test"',
    "userName eq bob@vault.test",
    'emails[type eq "work"].value eq "bob@vault.test"',
    'emails[type eq "work"].value eq "BOB@vault.test"',
    'emails[type eq "work" and value eq "bob@vault.test"]',
])
def test_filters_on_username_and_work_email(tenant, bob, filter_text):
    """Veritas tutorial, Step 5 table: userName and the work email (`emails[type eq
    "work"].value`) are marked filterable (Entra writes the second as `emails[type eq
    "work"].value eq "x"`)."""
    assert [u["id"] for u in tenant.search(filter_text)] == [bob["id"]]


def test_work_email_filter_does_not_match_a_home_email(tenant, bob):
    """Veritas tutorial, Step 5 table: the filterable attribute is `emails[type eq "work"]
    .value`, so the home address of the same user does not match it."""
    assert tenant.search('emails[type eq "work"].value eq "bob.home@example.test"') == []


@pytest.mark.parametrize(("filter_text", "named"), [
    ('externalId eq "ext-bob"', "externalId"),
    ('emails.value eq "bob@vault.test"', "emails.value"),
    ('emails[value eq "bob@vault.test"]', "emails.value"),
    ('emails[type eq "home"].value eq "bob.home@example.test"', 'emails[type eq "home"].value'),
    ('displayName eq "Bob Archive"', "displayName"),
    (f'{EMAIL_ALIASES} eq "alias.bob@example.test"', "emailAliases"),
    ('userName eq "bob@vault.test" or name.familyName eq "Archive"', "name.familyName"),
])
def test_other_filters_are_invalid(tenant, bob, scim_error, filter_text, named):
    """Veritas tutorial, Step 5: a different matching attribute needs Veritas to filter on
    it, and the table marks only userName and emails[type eq "work"].value filterable.
    DESIGN: 400 invalidFilter."""
    error = scim_error(tenant.get("/Users", query_string={"filter": filter_text}), 400,
                       "invalidFilter")
    assert named in error["detail"]


# Updates and deletes ------------------------------------------------------------------------


def test_user_patch_answers_200_with_the_resource(tenant, bob):
    """Veritas tutorial, Supported capabilities: Entra keeps the users' attributes up to date
    in Veritas (PATCH → 200 and the user)."""
    response = tenant.patch_ops(f"/Users/{bob['id']}",
                                {"op": "Replace", "path": WORK_EMAIL, "value": "new@vault.test"},
                                {"op": "Add", "path": EMAIL_ALIASES, "value": "b2@vault.test"})
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    work = [e["value"] for e in body["emails"] if e.get("type") == "work"]
    assert work == ["new@vault.test"]
    assert "b2@vault.test" in body[VERITAS]["emailAliases"]
    assert tenant.search('emails[type eq "work"].value eq "new@vault.test"')[0]["id"] == bob["id"]


def test_delete_removes_the_user(tenant, bob, scim_error):
    """Veritas tutorial, Supported capabilities: users who no longer need access are taken
    out of Veritas (a hard delete)."""
    assert tenant.delete(f"/Users/{bob['id']}").status_code == 204
    scim_error(tenant.get(f"/Users/{bob['id']}"), 404)
    assert tenant.search('userName eq "bob@vault.test"') == []
