"""Velpic, as its Microsoft Entra provisioning tutorial describes it.

Source: ../shared/vendor-docs/000_b26008139e5c4a80.txt ("Velpic tutorial" below) and the
vendor-docs README row: "Users only (create, update, disable) ... No attribute table: standard
core User."
"""

from __future__ import annotations

from typing import Any

import pytest

ROOT = "http://localhost"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"

# RFC 7643 §4.1 and §8.7.1: the core User schema's attributes.
CORE_USER = {
    "userName", "name", "displayName", "nickName", "profileUrl", "title", "userType",
    "preferredLanguage", "locale", "timezone", "active", "password", "emails", "phoneNumbers",
    "ims", "photos", "addresses", "groups", "entitlements", "roles", "x509Certificates",
}
CORE_NAME = {"formatted", "familyName", "givenName", "middleName", "honorificPrefix",
             "honorificSuffix"}


@pytest.fixture
def tenant(make_tenant):
    return make_tenant("velpic")


@pytest.fixture
def eve(tenant) -> dict[str, Any]:
    return tenant.create({
        "schemas": [USER_SCHEMA], "userName": "eve@velpic.test", "externalId": "ext-eve",
        "displayName": "Eve Trainer", "title": "Trainer", "active": True,
        "emails": [{"type": "work", "value": "eve@velpic.test", "primary": True}],
        "name": {"givenName": "Eve", "familyName": "Trainer"},
    })


# Tenant URL ---------------------------------------------------------------------------------


def test_tenant_url_is_absolute_and_names_the_tenant(tenant, eve):
    """Velpic tutorial, step 5: the Tenant URL and Secret Token both come from the Velpic
    account's **Manage > Integration > Plugin > SCIM** page; DESIGN: `tenant_url` "is
    absolute and is exactly the SCIM base URL that `/Users` hangs off"."""
    assert tenant.url == f"{ROOT}/velpic/{tenant.id}/scim/v2"
    assert eve["meta"]["location"] == f"{tenant.url}/Users/{eve['id']}"


def test_another_tenants_token_is_refused(make_tenant, tenant, eve, scim_error):
    """Velpic tutorial, step 5: each account's **Manage > Integration > Plugin > SCIM** page
    gives its own Secret Token; DESIGN: "A token of one tenant never reads another tenant's
    data"."""
    other = make_tenant("velpic")
    response = tenant.get(f"/Users/{eve['id']}",
                          headers={"Authorization": f"Bearer {other.token}"})
    assert "userName" not in scim_error(response, 401)
    scim_error(tenant.get("/Users", headers={"Authorization": "Bearer not-the-token"}), 401)


# Resource types and schemas -----------------------------------------------------------------


def test_groups_are_not_offered(tenant, scim_error):
    """Velpic tutorial: the provisioning service creates, updates and disables the user
    accounts assigned to Velpic (users only); DESIGN: "a resource type the vendor lacks
    is a 404 SCIM error"."""
    scim_error(tenant.get("/Groups"), 404)
    scim_error(tenant.post("/Groups", {"displayName": "Team"}), 404)


def test_resource_types_list_only_user(tenant):
    """Velpic tutorial: only assigned user accounts are created, updated and disabled."""
    resources = tenant.list("/ResourceTypes")["Resources"]
    assert [r["id"] for r in resources] == ["User"]
    assert resources[0]["endpoint"] == "/Users"
    assert resources[0]["schema"] == USER_SCHEMA
    assert not resources[0].get("schemaExtensions")


def test_schemas_are_the_standard_core_user(tenant):
    """Velpic tutorial has no attribute table (vendor-docs README: "No attribute table:
    standard core User"), so /Schemas is RFC 7643's core User and nothing else."""
    schemas = tenant.list("/Schemas")["Resources"]
    assert [s["id"] for s in schemas] == [USER_SCHEMA]
    attributes = {a["name"]: a for a in schemas[0]["attributes"]}
    assert set(attributes) == CORE_USER
    assert {s["name"] for s in attributes["name"]["subAttributes"]} == CORE_NAME
    assert {n for n, a in attributes.items() if a.get("required")} == {"userName"}


def test_only_username_is_required(tenant, scim_error):
    """Velpic tutorial: no attribute table, so only the core User's own requirement
    (RFC 7643 §4.1.1: userName "REQUIRED") applies."""
    created = tenant.create({"schemas": [USER_SCHEMA], "userName": "min@velpic.test"})
    assert created["userName"] == "min@velpic.test"
    error = scim_error(tenant.post("/Users", {"schemas": [USER_SCHEMA], "displayName": "No"}),
                       400, "invalidValue")
    assert "userName" in error["detail"]


def test_core_user_attributes_are_kept(tenant):
    """Velpic tutorial: the attribute mappings are Entra's defaults onto the standard core
    User, so every core attribute Entra sends is stored."""
    body = {
        "schemas": [USER_SCHEMA], "userName": "kept@velpic.test", "externalId": "ext-kept",
        "displayName": "Kept", "title": "Lead", "preferredLanguage": "en-AU", "active": True,
        "emails": [{"type": "work", "value": "kept@velpic.test", "primary": True}],
        "name": {"givenName": "Kay", "familyName": "Kept", "formatted": "Kay Kept"},
        "addresses": [{"type": "work", "locality": "Perth", "country": "AU"}],
        "phoneNumbers": [{"type": "work", "value": "+61 8 0000 0000"}],
    }
    created = tenant.create(body)
    shown = tenant.user(created["id"])
    for key in body:
        if key != "schemas":
            assert shown[key] == body[key], key


def test_attributes_outside_the_core_user_are_accepted_and_ignored(tenant):
    """Velpic tutorial: no attribute table, the standard core User: enterprise extension data
    and unknown attributes are accepted and not stored."""
    response = tenant.post("/Users", {
        "schemas": [USER_SCHEMA], "userName": "ext@velpic.test", "favouriteColour": "teal",
        ENTERPRISE: {"department": "Sales", "employeeNumber": "7"},
    })
    assert response.status_code == 201, response.get_data(as_text=True)
    created = response.get_json()
    for shown in (created, tenant.user(created["id"])):
        assert ENTERPRISE not in shown and "favouriteColour" not in shown
        assert shown["schemas"] == [USER_SCHEMA]


def test_entra_naming_the_enterprise_schema_is_accepted(tenant):
    """Velpic tutorial, step 10: the admin checks which user attributes Entra sends to Velpic;
    Entra's default mapping includes enterprise department and
    employeeNumber, and then names the extension in `schemas`; Velpic keeps the core User and
    ignores the rest (DESIGN: "Every vendor answers the requests that Microsoft Entra's
    provisioning service sends, in the shapes it sends them")."""
    response = tenant.post("/Users", {
        "schemas": [USER_SCHEMA, ENTERPRISE], "userName": "entra@velpic.test",
        ENTERPRISE: {"department": "Sales", "employeeNumber": "7"},
    })
    assert response.status_code == 201, response.get_data(as_text=True)
    assert ENTERPRISE not in response.get_json()


# Filters ------------------------------------------------------------------------------------


@pytest.mark.parametrize("filter_text", [
    'userName eq "eve@velpic.test"', "userName eq eve@velpic.test",
    'UserName eq "EVE@velpic.test"', 'externalId eq "ext-eve"', "externalId eq ext-eve",
])
def test_filters_on_username_and_externalid(tenant, eve, filter_text):
    """Velpic tutorial, step 10: Entra finds the Velpic account to update through the
    attributes marked **Matching** (Entra's defaults: userName, then externalId)."""
    assert [u["id"] for u in tenant.search(filter_text)] == [eve["id"]]


@pytest.mark.parametrize(("filter_text", "named"), [
    ('displayName eq "Eve Trainer"', "displayName"),
    ('title eq "Trainer"', "title"),
    ('emails.value eq "eve@velpic.test"', "emails.value"),
])
def test_other_filters_are_invalid(tenant, eve, scim_error, filter_text, named):
    """Velpic tutorial, step 10: matching uses the Matching properties (userName,
    externalId); DESIGN: "a filter on an attribute the vendor does not support is a 400
    invalidFilter"."""
    error = scim_error(tenant.get("/Users", query_string={"filter": filter_text}), 400,
                       "invalidFilter")
    assert named in error["detail"]


# Updates, disable and delete ----------------------------------------------------------------


def test_user_patch_answers_200_with_the_resource(tenant, eve):
    """Velpic tutorial: assigned accounts are updated as well as created and disabled
    (update: PATCH → 200 and the user)."""
    response = tenant.patch_ops(f"/Users/{eve['id']}",
                                {"op": "Replace", "path": "title", "value": "Head Trainer"})
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["id"] == eve["id"] and body["title"] == "Head Trainer"


def test_disable_as_entra_sends_it(tenant, eve):
    """Velpic tutorial: assigned accounts get disabled as well; Entra disables
    with `{"op": "Replace", "path": "active", "value": "False"}` (a string)."""
    response = tenant.patch_ops(f"/Users/{eve['id']}",
                                {"op": "Replace", "path": "active", "value": "False"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["active"] is False
    assert tenant.user(eve["id"])["active"] is False


def test_delete_removes_the_user(tenant, eve, scim_error):
    """Velpic tutorial: Entra both provisions and de-provisions Velpic accounts; Velpic has
    no soft-delete note (unlike Visitly), so DELETE removes the user."""
    assert tenant.delete(f"/Users/{eve['id']}").status_code == 204
    scim_error(tenant.get(f"/Users/{eve['id']}"), 404)
    assert tenant.search('userName eq "eve@velpic.test"') == []


def test_no_etags_where_the_service_provider_config_says_none(make_tenant):
    """Velpic's ServiceProviderConfig says etag unsupported: no ETag header, no 304."""
    tenant = make_tenant("velpic")
    assert tenant.get("/ServiceProviderConfig").get_json()["etag"]["supported"] is False
    created = tenant.post("/Users", {"userName": "ann@example.com"})
    assert created.status_code == 201 and "ETag" not in created.headers
    uid = created.get_json()["id"]
    version = created.get_json()["meta"]["version"]
    again = tenant.get(f"/Users/{uid}", headers={"If-None-Match": version})
    assert again.status_code == 200 and "ETag" not in again.headers
