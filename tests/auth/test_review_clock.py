"""POST /_sandbox/clock with a well-formed but extreme time: a 400 with the clock unchanged,
and every later request still served."""

from __future__ import annotations

import pytest
from auth_support import client_credentials_token, make_tenant, move_clock
from scim_client import admin_headers, assert_scim_error


@pytest.mark.parametrize("body", [
    {"frozen_at": "9999-12-31T23:00:00+00:00"},
    {"frozen_at": "0001-01-01T00:30:00+05:00"},
    {"frozen_at": "8999-12-31T23:00:00Z", "advance_seconds": 7200},
    {"frozen_at": "8900-01-01T00:00:00Z", "advance_seconds": 1e10},
])
def test_an_extreme_clock_move_is_refused_and_changes_nothing(client, body):
    before = move_clock(client, frozen_at="2031-02-03T04:05:06Z")
    response = client.post("/_sandbox/clock", json=body, headers=admin_headers())
    assert_scim_error(response, 400, "invalidValue")
    after = client.get("/_sandbox/clock", headers=admin_headers()).get_json()
    assert after == before
    tenant = make_tenant(client, "authclient")  # the sandbox still works
    assert client_credentials_token(client, tenant)
