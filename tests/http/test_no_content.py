"""A 204 No Content answer has no body and so no Content-Type (RFC 9110 §8.3, §15.3.5): not
the text/html a web framework puts on a response by default."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from scim_client import GROUP_SCHEMA, Tenant, admin_headers, new_tenant, valid_user

from sandbox.vendors import bundled_vendors_dir, load_profiles

PROFILES = load_profiles(bundled_vendors_dir())
EVERY = sorted(PROFILES)
WITH_GROUPS = sorted(p.id for p in PROFILES.values() if "Group" in p.resource_types)


def assert_no_content(response: Any) -> None:
    assert response.status_code == 204, response.get_data(as_text=True)
    assert response.get_data() == b""
    assert "Content-Type" not in response.headers, response.headers


@pytest.mark.parametrize("vendor", EVERY)
def test_user_delete_answers_204_without_content_type(client: FlaskClient, vendor: str):
    tenant = new_tenant(client, vendor)
    user = tenant.create(valid_user(vendor, f"gone@{vendor}.test"))
    assert_no_content(tenant.delete(f"/Users/{user['id']}"))


@pytest.mark.parametrize("vendor", WITH_GROUPS)
def test_group_delete_answers_204_without_content_type(client: FlaskClient, vendor: str):
    tenant = new_tenant(client, vendor)
    group = tenant.create({"schemas": [GROUP_SCHEMA], "displayName": "Gone"}, "/Groups")
    assert_no_content(tenant.delete(f"/Groups/{group['id']}"))
    assert tenant.get(f"/Groups/{group['id']}").status_code == 404


def test_olfeo_group_patch_answers_204_without_content_type(client: FlaskClient):
    tenant: Tenant = new_tenant(client, "olfeo")
    user = tenant.create(valid_user("olfeo", "claire@olfeo.test"))
    group = tenant.create({"schemas": [GROUP_SCHEMA], "displayName": "Équipe"}, "/Groups")
    response = tenant.patch_ops(f"/Groups/{group['id']}", {
        "op": "Add", "path": "members", "value": [{"value": user["id"]}]})
    assert_no_content(response)
    assert [m["value"] for m in tenant.group(group["id"])["members"]] == [user["id"]]


def test_admin_tenant_delete_answers_204_without_content_type(client: FlaskClient,
                                                              tenant: Tenant):
    response = client.delete(f"/_sandbox/tenants/{tenant.id}", headers=admin_headers())
    assert_no_content(response)
