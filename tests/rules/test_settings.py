"""Tenant settings that rules read: list-valued settings in profiles, the default
`verified_domains`, and changes through `PATCH /_sandbox/tenants/<id>`."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox.vendors import ProfileError, load_profile

PROFILES = Path(__file__).resolve().parent / "profiles"
_BASE = (PROFILES / "verified_domain_required.toml").read_text(encoding="utf-8")


def _load(tmp_path: Path, extra: str):
    path = tmp_path / "custom.toml"
    path.write_text(_BASE + extra, encoding="utf-8")
    return load_profile(path)


def test_a_verified_domain_rule_brings_the_default_setting():
    profile = load_profile(PROFILES / "verified_domain_required.toml")
    assert profile.settings["verified_domains"]["default"] == ["contoso.com", "example.com"]
    assert load_profile(PROFILES / "max_length.toml").settings == {}


def test_a_profile_may_declare_its_own_verified_domains(tmp_path):
    profile = _load(tmp_path, '\n[settings.verified_domains]\ndefault = ["acme.test"]\n')
    assert profile.settings["verified_domains"]["default"] == ["acme.test"]


@pytest.mark.parametrize("default", ['"acme.test"', "[1, 2]", "3"])
def test_a_setting_default_of_another_type_is_refused(tmp_path, default):
    with pytest.raises(ProfileError, match=r"key 'settings.verified_domains' must"):
        _load(tmp_path, f"\n[settings.verified_domains]\ndefault = {default}\n")


def _patch_settings(client, admin, tenant, settings):
    return client.patch(f"/_sandbox/tenants/{tenant.id}", headers=admin,
                        json={"settings": settings})


@pytest.mark.parametrize("value", [True, "contoso.com", ["contoso.com", 3], [""]])
def test_a_list_setting_refuses_another_type(rule_tenant, client, admin, scim_error, value):
    tenant = rule_tenant("verified_domain_required")
    body = scim_error(_patch_settings(client, admin, tenant, {"verified_domains": value}), 400,
                      "invalidValue")
    assert "verified_domains" in body["detail"] and "list" in body["detail"]
    shown = client.get(f"/_sandbox/tenants/{tenant.id}", headers=admin).get_json()
    assert shown["settings"]["verified_domains"] == ["contoso.com", "example.com"]


def test_a_boolean_setting_still_refuses_a_list(make_tenant_of, client, admin, scim_error):
    tenant = make_tenant_of("vaultplatform")
    body = scim_error(_patch_settings(client, admin, tenant, {"active_scim_provider": ["x"]}),
                      400, "invalidValue")
    assert "true or false" in body["detail"]


def test_an_empty_list_is_refused_since_it_would_verify_no_domain(rule_tenant, client, admin,
                                                                 scim_error):
    tenant = rule_tenant("verified_domain_required")
    body = scim_error(_patch_settings(client, admin, tenant, {"verified_domains": []}), 400,
                      "invalidValue")
    assert "at least one domain" in body["detail"]
    shown = client.get(f"/_sandbox/tenants/{tenant.id}", headers=admin).get_json()
    assert shown["settings"]["verified_domains"] == ["contoso.com", "example.com"]
