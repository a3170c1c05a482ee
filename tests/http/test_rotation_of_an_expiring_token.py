"""POST /_sandbox/tenants/<id>/token with `grace_seconds` on a secret that expires: the grace
never outlives the old secret's own expiry, so a rotation cannot bring an expired secret
back to life."""

from __future__ import annotations

from scim_client import new_tenant


def freeze(client, admin, at):
    assert client.post("/_sandbox/clock", json={"frozen_at": at},
                       headers=admin).status_code == 200


def advance(client, admin, seconds):
    assert client.post("/_sandbox/clock", json={"advance_seconds": seconds},
                       headers=admin).status_code == 200


def expire_at(client, admin, tenant, at):
    response = client.patch(f"/_sandbox/tenants/{tenant.id}", json={"token_expires_at": at},
                            headers=admin)
    assert response.status_code == 200, response.get_json()


def rotate(client, admin, tenant, grace):
    response = client.post(f"/_sandbox/tenants/{tenant.id}/token",
                           json={"grace_seconds": grace}, headers=admin)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def status_with(tenant, token):
    return tenant.client.get(tenant.base + "/Users",
                             headers={"Authorization": f"Bearer {token}"}).status_code


def test_an_expired_secret_stays_refused_during_the_grace_of_its_replacement(client, admin,
                                                                             scim_error):
    freeze(client, admin, "2030-01-01T00:00:00Z")
    tenant = new_tenant(client)
    expire_at(client, admin, tenant, "2030-01-01T00:00:10Z")
    advance(client, admin, 20)
    assert status_with(tenant, tenant.token) == 401
    answer = rotate(client, admin, tenant, 30)
    assert answer["rotation"]["grace_seconds"] == 0
    assert answer["rotation"]["grace_seconds_asked"] == 30
    assert "expire" in answer["rotation"]["detail"]
    assert status_with(tenant, tenant.token) == 401
    assert status_with(tenant, answer["token"]) == 200


def test_the_grace_ends_when_the_old_secret_would_have_expired(client, admin):
    freeze(client, admin, "2030-01-01T00:00:00Z")
    tenant = new_tenant(client)
    expire_at(client, admin, tenant, "2030-01-01T00:00:10Z")
    answer = rotate(client, admin, tenant, 60)
    assert answer["rotation"]["grace_seconds"] == 10
    assert answer["rotation"]["old_secret_valid_until"] == "2030-01-01T00:00:10.000Z"
    advance(client, admin, 9)
    assert status_with(tenant, tenant.token) == 200
    advance(client, admin, 1)
    assert status_with(tenant, tenant.token) == 401
    assert status_with(tenant, answer["token"]) == 200
