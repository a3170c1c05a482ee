"""The token lifecycle and the clock through the fixtures: `tenant.rotate_token()`,
`tenant.token_expires_at` (read and set), the `scim_clock` fixture and `scim_sandbox.clock`;
from an outside project (pytester) as a user writes them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sandbox.testing import ScimSandbox

AUTH_PROFILES = Path(__file__).parents[1] / "auth" / "profiles"


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


# rotate_token --------------------------------------------------------------------------------

def test_rotate_token_refuses_the_old_one_at_once_and_the_client_follows(scim_tenant):
    tenant = scim_tenant()
    assert tenant.client.get("/Users").status_code == 200  # the client exists before
    old = tenant.token
    new = tenant.rotate_token()
    assert new != old and tenant.token == new and tenant.credentials["token"] == new
    assert tenant.client.get("/Users").status_code == 200
    refused = tenant.client.get("/Users", headers=bearer(old))
    assert refused.status_code == 401
    assert "this token was replaced" in refused.json()["detail"].lower()


def test_rotate_token_with_grace_keeps_the_old_one_that_long(scim_tenant, scim_clock):
    scim_clock.freeze("2030-01-01T00:00:00Z")
    tenant = scim_tenant()
    old = tenant.token
    new = tenant.rotate_token(grace_seconds=60, token="Chosen-new-secret")
    assert new == "Chosen-new-secret"
    scim_clock.advance(59)
    assert tenant.client.get("/Users", headers=bearer(old)).status_code == 200
    scim_clock.advance(1)
    assert tenant.client.get("/Users", headers=bearer(old)).status_code == 401
    assert tenant.client.get("/Users").status_code == 200


def test_rotate_token_refuses_bad_values_and_keeps_the_secret(scim_tenant):
    tenant = scim_tenant()
    old = tenant.token
    with pytest.raises(ValueError, match="grace_seconds"):
        tenant.rotate_token(grace_seconds=-1)
    with pytest.raises(ValueError, match="at least 8 printable"):
        tenant.rotate_token(token="short")
    assert tenant.token == old and tenant.client.get("/Users").status_code == 200


def test_rotate_token_on_basic_and_oauth_tenants():
    with ScimSandbox.start({"vendors_dirs": [str(AUTH_PROFILES)]}) as sandbox:
        for vendor in ("authbasic", "authclient"):
            tenant = sandbox.tenant(vendor)
            assert tenant.client.get("/Users").status_code == 200
            old = tenant.credentials
            new = tenant.rotate_token()
            assert new not in old.values()
            # The client authenticates with the new secret (for OAuth: a new access token).
            assert tenant.client.get("/Users").status_code == 200, vendor


# token_expires_at ----------------------------------------------------------------------------

def test_token_expires_at_reads_sets_and_expires(scim_tenant, scim_clock):
    scim_clock.freeze("2030-01-01T00:00:00Z")
    tenant = scim_tenant()
    assert tenant.token_expires_at is None
    tenant.token_expires_at = "2030-01-01T00:10:00Z"
    assert tenant.token_expires_at == datetime(2030, 1, 1, 0, 10, tzinfo=UTC)
    assert tenant.client.get("/Users").status_code == 200
    scim_clock.advance(timedelta(minutes=10))
    refused = tenant.client.get("/Users")
    assert refused.status_code == 401
    assert "token expired at 2030-01-01T00:10:00.000Z" in refused.json()["detail"]
    tenant.token_expires_at = None  # never
    assert tenant.client.get("/Users").status_code == 200


def test_a_past_expiry_expires_the_token_now_and_rotation_clears_it(scim_tenant):
    tenant = scim_tenant()
    tenant.token_expires_at = datetime(2001, 1, 1, tzinfo=UTC)
    assert tenant.client.get("/Users").status_code == 401
    tenant.rotate_token()
    assert tenant.token_expires_at is None
    assert tenant.client.get("/Users").status_code == 200


@pytest.mark.parametrize("value", ["soon", "2030-01-01T00:00:00", datetime(2030, 1, 1), 5])
def test_a_bad_expiry_is_refused(scim_tenant, value):
    tenant = scim_tenant()
    with pytest.raises(ValueError, match="token_expires_at"):
        tenant.token_expires_at = value
    assert tenant.token_expires_at is None


# The clock -----------------------------------------------------------------------------------

def test_the_clock_sets_meta_times(scim_tenant, scim_clock):
    assert not scim_clock.frozen
    frozen = scim_clock.freeze("2030-05-06T07:08:09+02:00")
    assert frozen == datetime(2030, 5, 6, 5, 8, 9, tzinfo=UTC) == scim_clock.now
    tenant = scim_tenant()
    made = tenant.client.post("/Users", json={"userName": "ann"}).json()
    assert made["meta"]["created"] == "2030-05-06T05:08:09.000Z"
    assert scim_clock.advance(3600) == datetime(2030, 5, 6, 6, 8, 9, tzinfo=UTC)
    changed = tenant.client.put(f"/Users/{made['id']}", json={"userName": "ann",
                                                               "displayName": "Ann"}).json()
    assert changed["meta"]["created"] == "2030-05-06T05:08:09.000Z"
    assert changed["meta"]["lastModified"] == "2030-05-06T06:08:09.000Z"
    scim_clock.release()
    assert not scim_clock.frozen
    assert abs(scim_clock.now - datetime.now(UTC)) < timedelta(hours=1)


def test_scim_clock_is_the_admin_apis_clock(scim_sandbox, scim_clock):
    scim_clock.freeze("2031-01-01T00:00:00Z")
    shown = scim_sandbox.admin_client().get("/clock").json()
    assert shown["now"] == "2031-01-01T00:00:00.000Z" and shown["frozen"] is True
    scim_sandbox.admin_client().post("/clock", json={"advance_seconds": 30})
    assert scim_clock.now == datetime(2031, 1, 1, 0, 0, 30, tzinfo=UTC)


@pytest.mark.parametrize(("call", "error"), [
    (lambda clock: clock.freeze("2030-01-01"), ValueError),  # no timezone
    (lambda clock: clock.freeze(datetime(2030, 1, 1)), ValueError),
    (lambda clock: clock.freeze("next week"), ValueError),
    (lambda clock: clock.freeze(1893456000), TypeError),
    (lambda clock: clock.advance(-1), ValueError),
    (lambda clock: clock.advance("60"), TypeError),
    (lambda clock: clock.freeze("9999-01-01T00:00:00Z"), ValueError),
])
def test_bad_clock_moves_are_refused_and_change_nothing(scim_clock, call, error):
    scim_clock.freeze("2030-01-01T00:00:00Z")
    with pytest.raises(error):
        call(scim_clock)
    assert scim_clock.now == datetime(2030, 1, 1, tzinfo=UTC)


# From an outside project ---------------------------------------------------------------------

def test_token_lifecycle_and_clock_from_an_outside_project(pytester, run_inner):
    pytester.makepyfile("""
        from datetime import datetime, timezone

        def test_expired_then_rotated(scim_tenant, scim_clock):
            scim_clock.freeze("2030-01-01T00:00:00Z")
            tenant = scim_tenant("generic")
            tenant.token_expires_at = "2030-01-02T00:00:00Z"
            scim_clock.advance(24 * 3600)
            assert tenant.client.get("/Users").status_code == 401
            old = tenant.token
            tenant.rotate_token(grace_seconds=0)
            assert tenant.client.get("/Users").status_code == 200
            refused = tenant.client.get("/Users", headers={"Authorization": "Bearer " + old})
            assert "replaced" in refused.json()["detail"]

        def test_the_clock_was_released(scim_sandbox):
            assert not scim_sandbox.clock.frozen
            now = scim_sandbox.clock.now
            assert abs((now - datetime.now(timezone.utc)).total_seconds()) < 3600

        def test_a_failing_test_releases_it_too(scim_clock):
            scim_clock.freeze("2040-01-01T00:00:00Z")
            assert False, "fails on purpose"

        def test_released_after_a_failure(scim_sandbox):
            assert not scim_sandbox.clock.frozen
    """)
    run_inner("-p", "no:randomly").assert_outcomes(passed=3, failed=1)
