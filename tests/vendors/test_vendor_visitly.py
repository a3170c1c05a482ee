"""Visitly, as its Microsoft Entra provisioning tutorial describes it.

Source: ../shared/vendor-docs/001_2cae923768e0b662.txt ("Visitly tutorial" below) and the
vendor-docs README row: one Tenant URL `https://api.visitly.io/v1/usersync/SCIM` for every
customer, the **API Key** finds the tenant, soft delete only.
"""

from __future__ import annotations

from typing import Any

import pytest

ROOT = "http://localhost"
BASE = "/v1/usersync/SCIM"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
CORE_USER = {
    "userName", "name", "displayName", "nickName", "profileUrl", "title", "userType",
    "preferredLanguage", "locale", "timezone", "active", "password", "emails", "phoneNumbers",
    "ims", "photos", "addresses", "groups", "entitlements", "roles", "x509Certificates",
}


@pytest.fixture
def tenant(make_tenant):
    return make_tenant("visitly")


@pytest.fixture
def host(tenant) -> dict[str, Any]:
    """A Visitly host (user) with a few core attributes."""
    return tenant.create({
        "schemas": [USER_SCHEMA], "userName": "host@visitly.test", "externalId": "ext-host",
        "displayName": "Front Desk", "active": True,
        "emails": [{"type": "work", "value": "host@visitly.test", "primary": True}],
        "name": {"givenName": "Harriet", "familyName": "Host"},
    })


# Tenant URL and API key ---------------------------------------------------------------------


def test_every_tenant_has_the_one_fixed_tenant_url(make_tenant, tenant):
    """Visitly tutorial, step 5: every customer pastes the same fixed Tenant URL,
    `https://api.visitly.io/v1/usersync/SCIM`, and their **API Key** as the Secret Token;
    DESIGN: the admin API's `tenant_url` is absolute."""
    other = make_tenant("visitly")
    assert tenant.url == other.url == f"{ROOT}{BASE}"
    assert tenant.token != other.token


def test_the_api_key_finds_the_tenant(make_tenant, tenant, host):
    """Visitly tutorial, Set up step 3: the **API Key** is what goes into Entra's Secret Token
    field; the URL is shared, so the key alone says whose hosts these are."""
    other = make_tenant("visitly")
    other_host = other.create({"schemas": [USER_SCHEMA], "userName": "host@visitly.test"})
    mine = tenant.list("/Users")["Resources"]
    theirs = other.list("/Users")["Resources"]
    assert [u["id"] for u in mine] == [host["id"]]
    assert [u["id"] for u in theirs] == [other_host["id"]]
    assert mine[0]["externalId"] == "ext-host" and "externalId" not in theirs[0]
    assert host["meta"]["location"] == f"{ROOT}{BASE}/Users/{host['id']}"


def test_another_tenants_key_cannot_reach_this_tenants_users(make_tenant, tenant, host,
                                                             scim_error):
    """Visitly tutorial, Set up step 3: each Visitly account has its own **API Key**; DESIGN:
    "A token of one tenant never reads another tenant's data"."""
    other = make_tenant("visitly")
    response = other.get(f"/Users/{host['id']}")
    assert "userName" not in scim_error(response, 404)
    assert other.search('userName eq "host@visitly.test"') == []
    assert other.delete(f"/Users/{host['id']}").status_code == 404
    assert tenant.user(host["id"])["active"] is True


def test_an_unknown_or_missing_api_key_is_refused(client, scim_error):
    """Visitly tutorial, step 5: **Test Connection** checks that Entra can reach Visitly,
    which fails without a valid **API Key**."""
    scim_error(client.get(f"{BASE}/Users", headers={"Authorization": "Bearer no-such-key-1"}),
               401)
    scim_error(client.get(f"{BASE}/Users"), 401)


def test_an_api_key_names_one_tenant(client, admin, make_tenant, scim_error):
    """Visitly tutorial, step 5: every customer enters the same Tenant URL and their own **API
    Key**, so two tenants cannot share a key, and a removed tenant's key opens nothing."""
    first = make_tenant("visitly", token="shared-api-key-1")
    again = client.post("/_sandbox/tenants", json={"vendor": "visitly",
                                                   "token": "shared-api-key-1"}, headers=admin)
    scim_error(again, 409, "uniqueness")
    assert client.delete(f"/_sandbox/tenants/{first.id}", headers=admin).status_code == 204
    scim_error(first.get("/Users"), 401)


def test_a_token_of_another_vendor_is_refused(make_tenant, tenant, scim_error):
    """Visitly tutorial, Set up step 3: the Secret Token is Visitly's **API Key**; a secret of
    another vendor's tenant is no Visitly key."""
    velpic = make_tenant("velpic")
    response = tenant.get("/Users", headers={"Authorization": f"Bearer {velpic.token}"})
    scim_error(response, 401)


# Resource types and schemas -----------------------------------------------------------------


def test_groups_are_not_offered(tenant, scim_error):
    """Visitly tutorial, step 8: the one mapping to pick is the one for users; DESIGN: "a
    resource type the vendor lacks is a 404 SCIM error"."""
    scim_error(tenant.get("/Groups"), 404)


def test_resource_types_list_only_user(tenant):
    """Visitly tutorial, step 8: users are the only thing mapped."""
    resources = tenant.list("/ResourceTypes")["Resources"]
    assert [r["id"] for r in resources] == ["User"]
    assert resources[0]["endpoint"] == "/Users"
    assert not resources[0].get("schemaExtensions")


def test_schemas_are_the_standard_core_user(tenant):
    """Visitly tutorial has no attribute table (vendor-docs README), so /Schemas is RFC 7643's
    core User and nothing else."""
    schemas = tenant.list("/Schemas")["Resources"]
    assert [s["id"] for s in schemas] == [USER_SCHEMA]
    assert {a["name"] for a in schemas[0]["attributes"]} == CORE_USER


def test_attributes_outside_the_core_user_are_accepted_and_ignored(tenant):
    """Visitly tutorial, step 9: the admin checks which user attributes Entra sends to
    Visitly; Entra's defaults include enterprise attributes, which the
    core User does not keep; they are accepted and dropped."""
    response = tenant.post("/Users", {
        "schemas": [USER_SCHEMA, ENTERPRISE], "userName": "e@visitly.test",
        ENTERPRISE: {"department": "Reception"}, "favouriteColour": "teal", "nickName": None,
    })
    assert response.status_code == 201, response.get_data(as_text=True)
    created = response.get_json()
    for shown in (created, tenant.user(created["id"])):
        assert ENTERPRISE not in shown and "favouriteColour" not in shown
        assert "nickName" not in shown


# Filters ------------------------------------------------------------------------------------


@pytest.mark.parametrize("filter_text", [
    'userName eq "host@visitly.test"', "userName eq host@visitly.test",
    'externalId eq "ext-host"', 'EXTERNALID eq "ext-host"',
])
def test_filters_on_username_and_externalid(tenant, host, filter_text):
    """Visitly tutorial, step 9: Entra finds the Visitly account to update through the
    attributes marked **Matching** (Entra's defaults)."""
    assert [u["id"] for u in tenant.search(filter_text)] == [host["id"]]


@pytest.mark.parametrize(("filter_text", "named"), [
    ('displayName eq "Front Desk"', "displayName"),
    ('active eq true', "active"),
    ('name.familyName eq "Host"', "name.familyName"),
])
def test_other_filters_are_invalid(tenant, host, scim_error, filter_text, named):
    """Visitly tutorial, step 9: matching uses the Matching properties; DESIGN: "a filter on
    an attribute the vendor does not support is a 400 invalidFilter"."""
    error = scim_error(tenant.get("/Users", query_string={"filter": filter_text}), 400,
                       "invalidFilter")
    assert named in error["detail"]


# Soft delete --------------------------------------------------------------------------------


def test_delete_is_a_soft_delete(tenant, host):
    """Visitly tutorial, Connector limitations: Visitly never deletes a user for good, it only
    soft-deletes. DELETE answers 204 and the user stays, inactive."""
    response = tenant.delete(f"/Users/{host['id']}")
    assert response.status_code == 204
    kept = tenant.user(host["id"])
    assert kept["active"] is False
    assert kept["userName"] == "host@visitly.test"
    assert kept["externalId"] == "ext-host"
    assert kept["emails"] == host["emails"]


def test_soft_deleted_users_are_still_found_by_filters_and_listing(tenant, host):
    """Visitly tutorial, Connector limitations: deletes are soft only; DESIGN: a
    soft-delete vendor keeps the user "inactive, still returned by GET and filters"."""
    assert tenant.delete(f"/Users/{host['id']}").status_code == 204
    for filter_text in ('userName eq "host@visitly.test"', 'externalId eq "ext-host"'):
        found = tenant.search(filter_text)
        assert [(u["id"], u["active"]) for u in found] == [(host["id"], False)]
    listing = tenant.list("/Users")
    assert listing["totalResults"] == 1 and listing["Resources"][0]["active"] is False


def test_reactivating_a_soft_deleted_user(tenant, host):
    """Visitly tutorial, Connector limitations: deletes are soft only, so a
    deleted host comes back when Entra re-enables it with PATCH `active: true`."""
    assert tenant.delete(f"/Users/{host['id']}").status_code == 204
    response = tenant.patch_ops(f"/Users/{host['id']}",
                                {"op": "replace", "path": "active", "value": True})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["active"] is True
    assert tenant.user(host["id"])["active"] is True


def test_a_soft_deleted_username_is_still_taken(tenant, host, scim_error):
    """Visitly tutorial, Connector limitations: deletes are soft only, so the host
    still exists, so its userName cannot be created again (RFC 7643 userName uniqueness
    "server")."""
    assert tenant.delete(f"/Users/{host['id']}").status_code == 204
    response = tenant.post("/Users", {"schemas": [USER_SCHEMA], "userName": "host@visitly.test"})
    scim_error(response, 409, "uniqueness")


# Updates ------------------------------------------------------------------------------------


def test_user_patch_answers_200_with_the_resource(tenant, host):
    """Visitly tutorial: Entra's provisioning service updates Visitly users as well as
    creating and disabling them (update: PATCH → 200 and the user)."""
    response = tenant.patch_ops(f"/Users/{host['id']}",
                                {"op": "Replace", "path": "displayName", "value": "Lobby"})
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["id"] == host["id"] and body["displayName"] == "Lobby"


def test_disable_as_entra_sends_it(tenant, host):
    """Visitly tutorial: Entra disables Visitly users; it does so with
    `{"op": "Replace", "path": "active", "value": "False"}`."""
    response = tenant.patch_ops(f"/Users/{host['id']}",
                                {"op": "Replace", "path": "active", "value": "False"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["active"] is False
