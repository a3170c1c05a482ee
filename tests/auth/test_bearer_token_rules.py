"""Bearer secrets over time: the `token_expires` rule (401 "token expired" `days` after the
token was issued), rotation with `POST /_sandbox/tenants/<id>/token` and its grace period, and
the `token_regeneration_invalidates_old` rule (the old token ends at once, whatever grace is
asked). Time moves with the sandbox clock (`/_sandbox/clock`), never by waiting."""

from __future__ import annotations

from datetime import datetime, timedelta

from auth_support import base_path, bearer, make_tenant, move_clock
from scim_client import admin_headers, assert_scim_error

DAY = 24 * 3600


def _get_users(client, tenant, token):
    return client.get(base_path(tenant) + "/Users", headers=bearer(token))


def _rotate(client, tenant, **body):
    response = client.post(f"/_sandbox/tenants/{tenant['id']}/token", json=body or None,
                           headers=admin_headers())
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_the_clock_can_be_frozen_moved_on_and_given_back(client):
    frozen = move_clock(client, frozen_at="2030-01-01T00:00:00Z")
    assert frozen["now"] == "2030-01-01T00:00:00.000Z" and frozen["frozen"] is True
    moved = move_clock(client, advance_seconds=90)
    assert moved["now"] == "2030-01-01T00:01:30.000Z"
    real = client.delete("/_sandbox/clock", headers=admin_headers()).get_json()
    now = datetime.fromisoformat(real["now"])
    assert real["frozen"] is False and abs(now - datetime.now(now.tzinfo)) < timedelta(hours=1)


def test_a_bad_clock_request_is_a_400(client):
    for body in ({"frozen_at": "tomorrow"}, {"frozen_at": "2030-01-01T00:00:00"},
                 {"advance_seconds": -5}, {"advance_seconds": "1"}, {"rewind": 3}, {}):
        response = client.post("/_sandbox/clock", json=body, headers=admin_headers())
        assert_scim_error(response, 400)


def test_a_token_works_until_its_lifetime_is_over_then_says_it_expired(client):
    """token_expires (days = 30): the tutorial kind "tokens valid N days"."""
    move_clock(client, frozen_at="2030-01-01T00:00:00Z")
    tenant = make_tenant(client, "authexpiring")
    move_clock(client, advance_seconds=30 * DAY - 1)
    assert _get_users(client, tenant, tenant["token"]).status_code == 200
    move_clock(client, advance_seconds=1)
    response = _get_users(client, tenant, tenant["token"])
    body = assert_scim_error(response, 401)
    assert "token expired" in body["detail"] and "2030-01-31T00:00:00.000Z" in body["detail"]
    assert "30 days" in body["detail"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert tenant["token"] not in body["detail"]


def test_a_new_token_starts_a_new_lifetime(client):
    move_clock(client, frozen_at="2030-01-01T00:00:00Z")
    tenant = make_tenant(client, "authexpiring")
    move_clock(client, advance_seconds=31 * DAY)
    fresh = _rotate(client, tenant)["token"]
    assert _get_users(client, tenant, fresh).status_code == 200
    move_clock(client, advance_seconds=29 * DAY)
    assert _get_users(client, tenant, fresh).status_code == 200


def test_a_vendor_without_the_rule_keeps_its_tokens_for_ever(client):
    move_clock(client, frozen_at="2030-01-01T00:00:00Z")
    tenant = make_tenant(client, "generic")
    move_clock(client, advance_seconds=3650 * DAY)
    assert _get_users(client, tenant, tenant["token"]).status_code == 200


def test_rotation_without_grace_ends_the_old_token_now_and_says_it_was_replaced(client):
    tenant = make_tenant(client, "generic")
    rotated = _rotate(client, tenant)
    assert rotated["token"] != tenant["token"] and rotated["id"] == tenant["id"]
    assert rotated["rotation"]["grace_seconds"] == 0
    body = assert_scim_error(_get_users(client, tenant, tenant["token"]), 401)
    assert "this token was replaced" in body["detail"].lower()
    assert _get_users(client, tenant, rotated["token"]).status_code == 200


def test_rotation_with_grace_keeps_the_old_token_that_long(client):
    move_clock(client, frozen_at="2030-01-01T00:00:00Z")
    tenant = make_tenant(client, "generic")
    rotated = _rotate(client, tenant, grace_seconds=600)
    assert rotated["rotation"]["grace_seconds"] == 600
    assert rotated["rotation"]["old_secret_valid_until"] == "2030-01-01T00:10:00.000Z"
    move_clock(client, advance_seconds=599)
    assert _get_users(client, tenant, tenant["token"]).status_code == 200
    assert _get_users(client, tenant, rotated["token"]).status_code == 200
    move_clock(client, advance_seconds=1)
    assert "replaced" in assert_scim_error(_get_users(client, tenant, tenant["token"]),
                                           401)["detail"]


def test_the_rule_ends_the_old_token_at_once_whatever_grace_is_asked(client):
    """token_regeneration_invalidates_old: the tutorial kind "regenerating the token
    invalidates the previous one". The vendor's URL names no tenant: the token finds it."""
    tenant = make_tenant(client, "authregenerate")
    assert _get_users(client, tenant, tenant["token"]).status_code == 200
    rotated = _rotate(client, tenant, grace_seconds=3600)
    assert rotated["rotation"]["grace_seconds"] == 0
    assert rotated["rotation"]["grace_seconds_asked"] == 3600
    assert "token_regeneration_invalidates_old" in rotated["rotation"]["detail"]
    body = assert_scim_error(_get_users(client, tenant, tenant["token"]), 401)
    assert "this token was replaced" in body["detail"].lower()
    assert _get_users(client, tenant, rotated["token"]).status_code == 200


def test_the_new_secret_can_be_chosen_and_bad_rotations_are_refused(client):
    tenant = make_tenant(client, "generic")
    chosen = _rotate(client, tenant, token="Chosen-Secret-42")
    assert chosen["token"] == "Chosen-Secret-42"
    assert _get_users(client, tenant, "Chosen-Secret-42").status_code == 200
    url = f"/_sandbox/tenants/{tenant['id']}/token"
    for body in ({"grace_seconds": -1}, {"grace_seconds": "60"}, {"token": "short"},
                 {"lifetime": 3}):
        assert_scim_error(client.post(url, json=body, headers=admin_headers()), 400)
    assert_scim_error(client.post("/_sandbox/tenants/nope/token", headers=admin_headers()), 404)
    assert_scim_error(client.post(url), 401)  # the admin API needs the admin token


def test_rotation_survives_a_restart_of_a_durable_sandbox(tmp_path):
    from auth_support import PROFILES
    from scim_client import make_app

    data = tmp_path / "sandbox.json"
    first = make_app(vendors_dirs=(PROFILES,), data_file=data)
    tenant = make_tenant(first.test_client(), "authregenerate")
    rotated = _rotate(first.test_client(), tenant)
    first.extensions["scim_sandbox"].store.close()
    second = make_app(vendors_dirs=(PROFILES,), data_file=data).test_client()
    assert _get_users(second, tenant, rotated["token"]).status_code == 200
    body = assert_scim_error(_get_users(second, tenant, tenant["token"]), 401)
    assert "replaced" in body["detail"]
