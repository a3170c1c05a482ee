"""A snapshot carries the tenant's settings, list settings too: a restore brings back the
verified domains a verified_domain_required rule reads, checked as a settings change is
checked, and checks the snapshot's users under those domains."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from scim_client import Tenant, admin_headers, assert_scim_error, make_app, new_tenant

RULE_PROFILES = Path(__file__).resolve().parents[1] / "rules" / "profiles"
VERIFIED = "rule-verified-domain-required"


@pytest.fixture
def client() -> FlaskClient:
    return make_app(vendors_dirs=[RULE_PROFILES]).test_client()


def admin_call(client: FlaskClient, method: str, path: str, body: Any = None) -> Any:
    return getattr(client, method)(f"/_sandbox/tenants{path}", json=body,
                                   headers=admin_headers())


def settings_of(client: FlaskClient, tenant: Tenant) -> dict[str, Any]:
    return admin_call(client, "get", f"/{tenant.id}").get_json()["settings"]


def set_domains(client: FlaskClient, tenant: Tenant, domains: list[str]) -> None:
    response = admin_call(client, "patch", f"/{tenant.id}",
                          {"settings": {"verified_domains": domains}})
    assert response.status_code == 200, response.get_data(as_text=True)


def user_status(tenant: Tenant, user_name: str) -> int:
    return tenant.post("/Users", {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                                  "userName": user_name}).status_code


@pytest.fixture
def acme_snapshot(client) -> dict[str, Any]:
    """A snapshot of a tenant whose only verified domain is acme.test, with one user there."""
    source = new_tenant(client, VERIFIED)
    set_domains(client, source, ["acme.test"])
    assert user_status(source, "ada@acme.test") == 201
    return admin_call(client, "get", f"/{source.id}/snapshot").get_json()


def test_a_restore_keeps_the_verified_domains_and_they_are_in_force(client, acme_snapshot):
    assert acme_snapshot["tenant"]["settings"]["verified_domains"] == ["acme.test"]
    target = new_tenant(client, VERIFIED)  # default domains: contoso.com, example.com
    restored = admin_call(client, "put", f"/{target.id}/snapshot", acme_snapshot)
    assert restored.status_code == 200, restored.get_data(as_text=True)
    assert settings_of(client, target)["verified_domains"] == ["acme.test"]
    assert [u["userName"] for u in target.list()["Resources"]] == ["ada@acme.test"]
    assert user_status(target, "bob@acme.test") == 201
    assert user_status(target, "carl@example.com") == 400


def test_a_restore_into_the_same_tenant_brings_its_domains_back(client):
    tenant = new_tenant(client, VERIFIED)
    set_domains(client, tenant, ["acme.test", "acme.example"])
    saved = admin_call(client, "get", f"/{tenant.id}/snapshot").get_json()
    set_domains(client, tenant, ["other.test"])
    assert admin_call(client, "put", f"/{tenant.id}/snapshot", saved).status_code == 200
    assert settings_of(client, tenant)["verified_domains"] == ["acme.test", "acme.example"]


@pytest.mark.parametrize("bad", ["acme.test", ["acme.test", ""], [3], {"acme.test": True}, True])
def test_a_bad_list_setting_is_refused_and_nothing_changes(client, acme_snapshot, bad):
    target = new_tenant(client, VERIFIED)
    before = admin_call(client, "get", f"/{target.id}/snapshot").get_json()
    acme_snapshot["tenant"]["settings"]["verified_domains"] = bad
    response = admin_call(client, "put", f"/{target.id}/snapshot", acme_snapshot)
    body = assert_scim_error(response, 400, "invalidValue")
    assert "verified_domains" in body["detail"]
    assert admin_call(client, "get", f"/{target.id}/snapshot").get_json() == before


def test_users_are_checked_under_the_snapshots_own_domains(client, acme_snapshot):
    """A user outside the domains the snapshot restores is refused, though the target's
    current domains would have taken it."""
    target = new_tenant(client, VERIFIED)
    acme_snapshot["resources"]["User"][0]["userName"] = "ada@example.com"
    response = admin_call(client, "put", f"/{target.id}/snapshot", acme_snapshot)
    assert "ada@example.com" in assert_scim_error(response, 400, "invalidValue")["detail"]
    assert settings_of(client, target)["verified_domains"] == ["contoso.com", "example.com"]


def test_boolean_settings_still_restore_and_undeclared_ones_are_left_aside(client):
    tenant = new_tenant(client, "vaultplatform")
    saved = admin_call(client, "get", f"/{tenant.id}/snapshot").get_json()
    saved["tenant"]["settings"] = {"active_scim_provider": False, "no_such_setting": [1]}
    assert admin_call(client, "put", f"/{tenant.id}/snapshot", saved).status_code == 200
    assert settings_of(client, tenant) == {"active_scim_provider": False}
    saved["tenant"]["settings"] = {"active_scim_provider": "yes"}
    assert_scim_error(admin_call(client, "put", f"/{tenant.id}/snapshot", saved), 400,
                      "invalidValue")
    assert settings_of(client, tenant) == {"active_scim_provider": False}
