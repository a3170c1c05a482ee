"""POST /_sandbox/tenants/<id>/token takes the new secret under the name the tenant's auth
kind gives it (or "token", any kind's), as tenant creation does, and nothing else."""

from __future__ import annotations

import pytest
from auth_support import base_path, basic, make_tenant
from scim_client import admin_headers, assert_scim_error


def _rotate(client, tenant, body):
    return client.post(f"/_sandbox/tenants/{tenant['id']}/token", json=body,
                       headers=admin_headers())


@pytest.mark.parametrize(("vendor", "wrong"), [("authbasic", "client_secret"),
                                               ("authclient", "password"),
                                               ("generic", "password"),
                                               ("generic", "client_secret")])
def test_a_secret_named_for_another_auth_kind_is_refused_and_nothing_changes(client, vendor,
                                                                            wrong):
    tenant = make_tenant(client, vendor)
    refused = _rotate(client, tenant, {wrong: "Another-Secret-1"})
    body = assert_scim_error(refused, 400, "invalidValue")
    assert repr(wrong) in body["detail"]
    again = client.get(f"/_sandbox/tenants/{tenant['id']}", headers=admin_headers()).get_json()
    assert again == tenant


def test_the_secret_under_its_kinds_name_or_as_token_is_taken(client):
    tenant = make_tenant(client, "authbasic")
    assert _rotate(client, tenant, {"password": "New-Password-1"}).status_code == 200
    assert client.get(base_path(tenant) + "/Users",
                      headers=basic(tenant["username"], "New-Password-1")).status_code == 200
    assert _rotate(client, tenant, {"token": "Newer-Password-2"}).status_code == 200
    assert_scim_error(_rotate(client, tenant, {"token": "Newest-Pass-3",
                                               "password": "Newest-Pass-3"}), 400)
