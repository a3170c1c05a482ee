"""A snapshot holds no secret: neither the current one nor the digests of replaced secrets
still working during a grace period."""

from __future__ import annotations

from auth_support import make_tenant
from scim_client import admin_headers


def test_a_snapshot_leaves_out_replaced_secret_digests(client):
    tenant = make_tenant(client, "authbasic")
    rotated = client.post(f"/_sandbox/tenants/{tenant['id']}/token",
                          json={"grace_seconds": 3600}, headers=admin_headers())
    assert rotated.status_code == 200, rotated.get_data(as_text=True)
    snapshot = client.get(f"/_sandbox/tenants/{tenant['id']}/snapshot",
                          headers=admin_headers()).get_json()
    assert "replaced" not in snapshot["tenant"] and "token" not in snapshot["tenant"]
    text = str(snapshot)
    assert tenant["password"] not in text and rotated.get_json()["password"] not in text
