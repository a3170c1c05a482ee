"""A user's read-only `groups` (RFC 7643 §4.1.2) on every profile that offers Groups.

The README: "a user's `groups` attribute lists its groups". The server derives it from group
memberships; a vendor's attribute table lists only what a client writes, so a profile that
restricts its user schema to that table must still show `groups`.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from scim_client import GROUP_SCHEMA, USER_SCHEMA, Tenant, new_tenant, valid_user

from sandbox.vendors import bundled_vendors_dir, load_profiles

PROFILES = load_profiles(bundled_vendors_dir())
WITH_GROUPS = sorted(p.id for p in PROFILES.values() if "Group" in p.resource_types)


def member_of(tenant: Tenant, user: dict[str, Any], group: dict[str, Any]) -> None:
    """Add `user` to `group` as Microsoft Entra does: a PATCH Add of members."""
    response = tenant.patch_ops(f"/Groups/{group['id']}", {
        "op": "Add", "path": "members", "value": [{"value": user["id"]}]})
    assert response.status_code in (200, 204), response.get_data(as_text=True)


def expected_entry(tenant: Tenant, group: dict[str, Any]) -> dict[str, Any]:
    return {"value": group["id"], "$ref": f"{tenant.url}/Groups/{group['id']}",
            "display": group["displayName"]}


def shown_groups(resource: dict[str, Any]) -> list[dict[str, Any]]:
    """value, $ref and display of each entry (`type` is optional in RFC 7643)."""
    return sorted(({k: entry.get(k) for k in ("value", "$ref", "display")}
                   for entry in resource.get("groups", [])), key=lambda e: e["value"])


@pytest.fixture
def olfeo(client: FlaskClient) -> Tenant:
    return new_tenant(client, "olfeo")


def test_olfeo_user_lists_the_group_it_was_added_to(olfeo: Tenant):
    """Only memberships count: `groups` sent by a client is read-only and ignored (RFC 7644
    §3.5.1), so naming another group there joins nothing."""
    other = olfeo.create({"schemas": [GROUP_SCHEMA], "displayName": "Compta"}, "/Groups")
    user = olfeo.create({"schemas": [USER_SCHEMA], "userName": "claire@olfeo.test",
                         "groups": [{"value": other["id"]}]})
    team = olfeo.create({"schemas": [GROUP_SCHEMA], "displayName": "Équipe Réseau"}, "/Groups")
    member_of(olfeo, user, team)
    assert shown_groups(olfeo.user(user["id"])) == [expected_entry(olfeo, team)]
    assert olfeo.group(other["id"]).get("members", []) == []


def test_olfeo_groups_appear_in_lists_and_searches(olfeo: Tenant):
    user = olfeo.create({"schemas": [USER_SCHEMA], "userName": "marc@olfeo.test"})
    team = olfeo.create({"schemas": [GROUP_SCHEMA], "displayName": "Direction",
                         "members": [{"value": user["id"]}]}, "/Groups")
    found = olfeo.search('userName eq "marc@olfeo.test"')
    assert [shown_groups(u) for u in found] == [[expected_entry(olfeo, team)]]
    searched = olfeo.post("/Users/.search", {"filter": 'userName eq "marc@olfeo.test"'})
    assert searched.status_code == 200, searched.get_data(as_text=True)
    assert shown_groups(searched.get_json()["Resources"][0]) == [expected_entry(olfeo, team)]


def test_olfeo_groups_can_be_asked_for_and_left_out(olfeo: Tenant):
    user = olfeo.create({"schemas": [USER_SCHEMA], "userName": "lea@olfeo.test"})
    team = olfeo.create({"schemas": [GROUP_SCHEMA], "displayName": "Support",
                         "members": [{"value": user["id"]}]}, "/Groups")
    only = olfeo.get(f"/Users/{user['id']}", query_string={"attributes": "groups"}).get_json()
    assert shown_groups(only) == [expected_entry(olfeo, team)]
    assert "userName" not in only
    without = olfeo.get(f"/Users/{user['id']}",
                        query_string={"excludedAttributes": "groups"}).get_json()
    assert "groups" not in without and without["userName"] == "lea@olfeo.test"


def test_olfeo_user_schema_describes_groups_as_read_only(olfeo: Tenant):
    """What /Schemas says matches what a user shows: `groups`, read-only, with value, $ref
    and display."""
    schemas = {s["id"]: s for s in olfeo.list("/Schemas")["Resources"]}
    attributes = {a["name"]: a for a in schemas[USER_SCHEMA]["attributes"]}
    groups = attributes["groups"]
    assert groups["mutability"] == "readOnly" and groups["multiValued"] is True
    assert {"value", "$ref", "display"} <= {s["name"] for s in groups["subAttributes"]}


@pytest.mark.parametrize("vendor", WITH_GROUPS)
def test_every_profile_with_groups_shows_a_users_groups(client: FlaskClient, vendor: str):
    tenant = new_tenant(client, vendor)
    user = tenant.create(valid_user(vendor, f"ann@{vendor}.test"))
    first = tenant.create({"schemas": [GROUP_SCHEMA], "displayName": "First"}, "/Groups")
    second = tenant.create({"schemas": [GROUP_SCHEMA], "displayName": "Second"}, "/Groups")
    assert "groups" not in tenant.user(user["id"])
    member_of(tenant, user, first)
    member_of(tenant, user, second)
    expected = sorted([expected_entry(tenant, first), expected_entry(tenant, second)],
                      key=lambda e: e["value"])
    assert shown_groups(tenant.user(user["id"])) == expected
    # Leaving a group and deleting one both show at once.
    removed = tenant.patch_ops(f"/Groups/{first['id']}", {
        "op": "Remove", "path": f'members[value eq "{user["id"]}"]'})
    assert removed.status_code in (200, 204), removed.get_data(as_text=True)
    assert shown_groups(tenant.user(user["id"])) == [expected_entry(tenant, second)]
    assert tenant.delete(f"/Groups/{second['id']}").status_code == 204
    assert "groups" not in tenant.user(user["id"])


@pytest.mark.parametrize("vendor", WITH_GROUPS)
def test_every_profile_with_groups_publishes_groups_in_its_user_schema(
        client: FlaskClient, vendor: str):
    tenant = new_tenant(client, vendor)
    schemas = {s["id"]: s for s in tenant.list("/Schemas")["Resources"]}
    user_schema = PROFILES[vendor].resource_types["User"].schema.core.id
    names = {a["name"] for a in schemas[user_schema]["attributes"]}
    assert "groups" in names
