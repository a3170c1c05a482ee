"""A tenant's `token_expires_at` through the admin API: shown in the tenant's JSON, set with
`PATCH /_sandbox/tenants/<id>` (an ISO time, or null for never), a past time expiring the
secret at once with a 401 that says so, bad values refused with nothing changed, and a new
secret clearing the time set. Time moves with the sandbox clock, never by waiting."""

from __future__ import annotations

import pytest
from auth_support import base_path, basic, bearer, make_tenant, move_clock
from scim_client import admin_headers, assert_scim_error

DAY = 24 * 3600


def _get_users(client, tenant, headers):
    return client.get(base_path(tenant) + "/Users", headers=headers)


def _patch(client, tenant, **body):
    return client.patch(f"/_sandbox/tenants/{tenant['id']}", json=body, headers=admin_headers())


def _set_expiry(client, tenant, value):
    response = _patch(client, tenant, token_expires_at=value)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_the_tenant_json_shows_when_the_token_expires(client):
    move_clock(client, frozen_at="2030-01-01T00:00:00Z")
    assert make_tenant(client, "generic")["token_expires_at"] is None  # no rule: never
    expiring = make_tenant(client, "authexpiring")  # token_expires, days = 30
    assert expiring["token_expires_at"] == "2030-01-31T00:00:00.000Z"
    shown = client.get(f"/_sandbox/tenants/{expiring['id']}", headers=admin_headers())
    assert shown.get_json()["token_expires_at"] == "2030-01-31T00:00:00.000Z"


def test_a_time_set_is_kept_until_it_passes_then_the_401_says_expired(client):
    move_clock(client, frozen_at="2030-01-01T00:00:00Z")
    tenant = make_tenant(client, "generic")
    updated = _set_expiry(client, tenant, "2030-01-01T01:00:00+01:00")  # a later 00:00Z
    assert updated["token_expires_at"] == "2030-01-01T00:00:00.000Z"
    body = assert_scim_error(_get_users(client, tenant, bearer(tenant["token"])), 401)
    assert "token expired at 2030-01-01T00:00:00.000Z" in body["detail"]
    assert "token_expires_at" in body["detail"] and tenant["token"] not in body["detail"]
    _set_expiry(client, tenant, "2030-01-01T00:00:01Z")
    assert _get_users(client, tenant, bearer(tenant["token"])).status_code == 200
    move_clock(client, advance_seconds=1)
    assert_scim_error(_get_users(client, tenant, bearer(tenant["token"])), 401)


def test_a_past_time_expires_the_token_at_once_on_real_time(client):
    tenant = make_tenant(client, "generic")
    assert _get_users(client, tenant, bearer(tenant["token"])).status_code == 200
    _set_expiry(client, tenant, "2020-01-01T00:00:00Z")
    body = assert_scim_error(_get_users(client, tenant, bearer(tenant["token"])), 401)
    assert "expired" in body["detail"]


def test_null_means_never_even_under_the_vendors_rule(client):
    """token_expires (days = 30) gives way to an admin's null: the token never expires."""
    move_clock(client, frozen_at="2030-01-01T00:00:00Z")
    tenant = make_tenant(client, "authexpiring")
    assert _set_expiry(client, tenant, None)["token_expires_at"] is None
    move_clock(client, advance_seconds=365 * DAY)
    assert _get_users(client, tenant, bearer(tenant["token"])).status_code == 200


def test_a_new_secret_clears_the_time_set(client):
    move_clock(client, frozen_at="2030-01-01T00:00:00Z")
    tenant = make_tenant(client, "authexpiring")
    _set_expiry(client, tenant, "2029-01-01T00:00:00Z")  # expired
    rotated = client.post(f"/_sandbox/tenants/{tenant['id']}/token",
                          headers=admin_headers()).get_json()
    assert rotated["token_expires_at"] == "2030-01-31T00:00:00.000Z"  # the rule's again
    assert _get_users(client, tenant, bearer(rotated["token"])).status_code == 200
    body = assert_scim_error(_get_users(client, tenant, bearer(tenant["token"])), 401)
    assert "replaced" in body["detail"]  # the old token: replaced, not expired


def test_basic_credentials_expire_too(client):
    tenant = make_tenant(client, "authbasic")
    headers = basic(tenant["username"], tenant["password"])
    assert _get_users(client, tenant, headers).status_code == 200
    _set_expiry(client, tenant, "2000-01-01T00:00:00Z")
    response = _get_users(client, tenant, headers)
    assert "expired" in assert_scim_error(response, 401)["detail"]
    assert response.headers["WWW-Authenticate"].startswith("Basic")


@pytest.mark.parametrize("value", ["tomorrow", "2030-01-01T00:00:00", 1893456000, True,
                                   {"at": "2030-01-01T00:00:00Z"}, "9999-01-01T00:00:00Z", ""])
def test_a_bad_value_is_a_400_and_changes_nothing(client, value):
    tenant = make_tenant(client, "generic")
    response = _patch(client, tenant, token_expires_at=value)
    body = assert_scim_error(response, 400, "invalidValue")
    assert "token_expires_at" in body["detail"]
    shown = client.get(f"/_sandbox/tenants/{tenant['id']}", headers=admin_headers()).get_json()
    assert shown["token_expires_at"] is None
    assert _get_users(client, tenant, bearer(tenant["token"])).status_code == 200


def test_a_refused_setting_leaves_the_expiry_unset(client):
    tenant = make_tenant(client, "generic")
    response = _patch(client, tenant, token_expires_at="2000-01-01T00:00:00Z",
                      settings={"no_such_setting": 1})
    assert_scim_error(response, 400)
    assert _get_users(client, tenant, bearer(tenant["token"])).status_code == 200


def test_setting_the_expiry_needs_the_admin_token_and_a_tenant(client):
    tenant = make_tenant(client, "generic")
    url = f"/_sandbox/tenants/{tenant['id']}"
    assert_scim_error(client.patch(url, json={"token_expires_at": None}), 401)
    assert_scim_error(client.patch("/_sandbox/tenants/nope", json={"token_expires_at": None},
                                   headers=admin_headers()), 404)


def test_the_time_set_survives_a_restart_of_a_durable_sandbox(tmp_path):
    from auth_support import PROFILES
    from scim_client import make_app

    data = tmp_path / "sandbox.json"
    first = make_app(vendors_dirs=(PROFILES,), data_file=data)
    tenant = make_tenant(first.test_client(), "generic")
    _set_expiry(first.test_client(), tenant, "2001-02-03T04:05:06Z")
    first.extensions["scim_sandbox"].store.close()
    second = make_app(vendors_dirs=(PROFILES,), data_file=data).test_client()
    shown = second.get(f"/_sandbox/tenants/{tenant['id']}", headers=admin_headers()).get_json()
    assert shown["token_expires_at"] == "2001-02-03T04:05:06.000Z"
    assert "expired" in assert_scim_error(_get_users(second, tenant, bearer(tenant["token"])),
                                          401)["detail"]
