"""A tenant's own `rate_limit` setting through the admin API: set at creation or by PATCH,
shown in the tenant JSON, counted on the sandbox's clock, overriding a profile's rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from scim_client import make_app, new_tenant

RULE_PROFILES = Path(__file__).resolve().parents[1] / "rules" / "profiles"


def freeze(client, admin, at="2030-01-01T09:00:00+00:00"):
    response = client.post("/_sandbox/clock", json={"frozen_at": at}, headers=admin)
    assert response.status_code == 200


def advance(client, admin, seconds):
    response = client.post("/_sandbox/clock", json={"advance_seconds": seconds}, headers=admin)
    assert response.status_code == 200


def set_limit(client, admin, tenant_id, value):
    return client.patch(f"/_sandbox/tenants/{tenant_id}", json={"rate_limit": value},
                        headers=admin)


def test_creation_with_a_rate_limit_answers_429_past_it_with_an_honest_retry_after(
        client, admin, scim_error):
    freeze(client, admin)
    tenant = new_tenant(client, rate_limit={"requests": 2, "per_seconds": 10})
    assert tenant.admin["rate_limit"] == {"requests": 2, "per_seconds": 10}
    assert tenant.get("/Users").status_code == 200
    advance(client, admin, 3)
    assert tenant.get("/Users").status_code == 200
    response = tenant.get("/Users")
    body = scim_error(response, 429)
    assert response.headers["Retry-After"] == "7"  # the first request leaves the window at 10
    assert "tenant setting rate_limit" in body["detail"] and "2 in 10 seconds" in body["detail"]
    advance(client, admin, 7)
    assert tenant.get("/Users").status_code == 200  # waiting as told gets through


def test_refused_requests_do_not_count(client, admin):
    freeze(client, admin)
    tenant = new_tenant(client, rate_limit={"requests": 1, "per_seconds": 5})
    assert tenant.get("/Users").status_code == 200
    for _ in range(3):
        assert tenant.get("/Users").status_code == 429
    advance(client, admin, 5)
    assert tenant.get("/Users").status_code == 200


def test_patch_sets_shows_and_removes_the_setting(client, admin):
    freeze(client, admin)
    tenant = new_tenant(client)
    assert tenant.admin["rate_limit"] is None
    response = set_limit(client, admin, tenant.id, {"requests": 1, "per_seconds": 60})
    assert response.status_code == 200
    assert response.get_json()["rate_limit"] == {"requests": 1, "per_seconds": 60}
    shown = client.get(f"/_sandbox/tenants/{tenant.id}", headers=admin).get_json()
    assert shown["rate_limit"] == {"requests": 1, "per_seconds": 60}
    tenant.get("/Users")
    assert tenant.get("/Users").status_code == 429
    response = set_limit(client, admin, tenant.id, None)
    assert response.status_code == 200 and response.get_json()["rate_limit"] is None
    assert all(tenant.get("/Users").status_code == 200 for _ in range(5))


def test_a_changed_limit_starts_with_an_empty_window(client, admin):
    freeze(client, admin)
    tenant = new_tenant(client, rate_limit={"requests": 1, "per_seconds": 60})
    tenant.get("/Users")
    assert tenant.get("/Users").status_code == 429
    set_limit(client, admin, tenant.id, {"requests": 2, "per_seconds": 60})
    assert [tenant.get("/Users").status_code for _ in range(3)] == [200, 200, 429]


def test_each_tenant_counts_apart(client, admin):
    freeze(client, admin)
    limited = new_tenant(client, rate_limit={"requests": 1, "per_seconds": 60})
    other = new_tenant(client)
    limited.get("/Users")
    assert limited.get("/Users").status_code == 429
    assert other.get("/Users").status_code == 200


def test_entra_gallery_floor_of_25_requests_per_second(client, admin):
    """Microsoft's gallery onboarding guidance for SCIM apps asks an endpoint to take at least
    25 requests per second per tenant; the README shows it as a rate_limit example."""
    freeze(client, admin)
    tenant = new_tenant(client, rate_limit={"requests": 25, "per_seconds": 1})
    assert all(tenant.get("/Users").status_code == 200 for _ in range(25))
    response = tenant.get("/Users")
    assert response.status_code == 429 and response.headers["Retry-After"] == "1"
    advance(client, admin, 1)
    assert tenant.get("/Users").status_code == 200


@pytest.mark.parametrize(("value", "named"), [
    ({"requests": 0, "per_seconds": 1}, "rate_limit.requests"),
    ({"requests": 5, "per_seconds": -1}, "rate_limit.per_seconds"),
    ({"requests": 5, "per_seconds": 1.5}, "rate_limit.per_seconds"),
    ({"requests": True, "per_seconds": 1}, "rate_limit.requests"),
    ({"requests": "5", "per_seconds": 1}, "rate_limit.requests"),
    ({"requests": 5}, "'rate_limit'"),
    ({"requests": 5, "per_seconds": 1, "burst": 2}, "'rate_limit'"),
    ([5, 1], "'rate_limit'"),
    ("25/s", "'rate_limit'"),
])
def test_bad_values_are_400_naming_the_field_and_change_nothing(client, admin, scim_error,
                                                                value, named):
    tenant = new_tenant(client, rate_limit={"requests": 3, "per_seconds": 9})
    body = scim_error(set_limit(client, admin, tenant.id, value), 400, "invalidValue")
    assert named in body["detail"]
    shown = client.get(f"/_sandbox/tenants/{tenant.id}", headers=admin).get_json()
    assert shown["rate_limit"] == {"requests": 3, "per_seconds": 9}
    before = len(client.get("/_sandbox/tenants", headers=admin).get_json()["tenants"])
    response = client.post("/_sandbox/tenants", json={"vendor": "generic", "rate_limit": value},
                           headers=admin)
    assert named in scim_error(response, 400, "invalidValue")["detail"]
    after = len(client.get("/_sandbox/tenants", headers=admin).get_json()["tenants"])
    assert after == before  # no tenant was made


def test_a_bad_rate_limit_in_a_patch_leaves_the_settings_alone(scim_error, admin):
    client = make_app().test_client()
    tenant = new_tenant(client, "vaultplatform")
    before = tenant.admin["settings"]
    changed = {name: not value for name, value in before.items() if isinstance(value, bool)}
    response = client.patch(f"/_sandbox/tenants/{tenant.id}", headers=admin,
                            json={"settings": changed, "rate_limit": {"requests": 0}})
    scim_error(response, 400, "invalidValue")
    shown = client.get(f"/_sandbox/tenants/{tenant.id}", headers=admin).get_json()
    assert shown["settings"] == before


def test_the_tenant_setting_overrides_the_profile_rule(admin):
    """The rule-rate-limit test profile allows 3 requests in 10 seconds."""
    client = make_app(vendors_dirs=[RULE_PROFILES]).test_client()
    freeze(client, admin)
    tenant = new_tenant(client, "rule-rate-limit")
    assert [tenant.get("/Users").status_code for _ in range(4)] == [200, 200, 200, 429]
    set_limit(client, admin, tenant.id, {"requests": 6, "per_seconds": 10})
    assert all(tenant.get("/Users").status_code == 200 for _ in range(6))
    assert tenant.get("/Users").status_code == 429
    advance(client, admin, 10)
    set_limit(client, admin, tenant.id, None)  # the rule applies again
    assert [tenant.get("/Users").status_code for _ in range(4)] == [200, 200, 200, 429]


def test_a_durable_sandbox_keeps_the_setting_across_a_restart(tmp_path, admin):
    data = tmp_path / "sandbox.json"
    app = make_app(data_file=data)
    tenant = new_tenant(app.test_client(), rate_limit={"requests": 4, "per_seconds": 2})
    app.extensions["scim_sandbox"].store.close()
    again = make_app(data_file=data).test_client()
    shown = again.get(f"/_sandbox/tenants/{tenant.id}", headers=admin).get_json()
    assert shown["rate_limit"] == {"requests": 4, "per_seconds": 2}


def test_a_tenant_snapshot_keeps_the_setting(client, admin, scim_error):
    limited = new_tenant(client, rate_limit={"requests": 5, "per_seconds": 3})
    plain = new_tenant(client)
    state = client.get(f"/_sandbox/tenants/{limited.id}/snapshot", headers=admin).get_json()
    assert state["tenant"]["rate_limit"] == {"requests": 5, "per_seconds": 3}
    response = client.put(f"/_sandbox/tenants/{plain.id}/snapshot", json=state, headers=admin)
    assert response.status_code == 200
    shown = client.get(f"/_sandbox/tenants/{plain.id}", headers=admin).get_json()
    assert shown["rate_limit"] == {"requests": 5, "per_seconds": 3}
    state["tenant"]["rate_limit"] = {"requests": -1, "per_seconds": 3}
    body = scim_error(client.put(f"/_sandbox/tenants/{plain.id}/snapshot", json=state,
                                 headers=admin), 400, "invalidValue")
    assert "rate_limit.requests" in body["detail"]
    state["tenant"]["rate_limit"] = None
    client.put(f"/_sandbox/tenants/{plain.id}/snapshot", json=state, headers=admin)
    shown = client.get(f"/_sandbox/tenants/{plain.id}", headers=admin).get_json()
    assert shown["rate_limit"] is None


def test_a_clock_set_back_never_asks_for_more_than_the_window(client, admin, scim_error):
    """Requests counted at a later time than the clock now shows (it was set back) count as
    made now: Retry-After stays within `per_seconds`, not the decades the clock moved."""
    freeze(client, admin, "2030-01-01T00:00:00+00:00")
    tenant = new_tenant(client, rate_limit={"requests": 1, "per_seconds": 60})
    assert tenant.get("/Users").status_code == 200
    freeze(client, admin, "1990-01-01T00:00:00+00:00")
    response = tenant.get("/Users")
    scim_error(response, 429)
    assert response.headers["Retry-After"] == "60"
    advance(client, admin, 60)
    assert tenant.get("/Users").status_code == 200
