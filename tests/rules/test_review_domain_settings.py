"""The verified domains are checked by one rule (`rule_checks.setting_problem`) wherever they
change: the admin API's PATCH, a snapshot restore, and the console's settings form."""

from __future__ import annotations

import pytest

from sandbox.console.setting_fields import read_settings_form
from sandbox.vendors.rule_checks import DEFAULT_VERIFIED_DOMAINS, setting_problem

NOT_DOMAINS = [["https://x/"], ["@contoso.com"], ["contoso.com", "ada@contoso.com"],
               ["contoso"], ["-bad-.com"]]


def _patch(client, admin, tenant, domains):
    return client.patch(f"/_sandbox/tenants/{tenant.id}", headers=admin,
                        json={"settings": {"verified_domains": domains}})


@pytest.mark.parametrize("domains", NOT_DOMAINS)
def test_patch_refuses_what_is_not_a_domain_and_changes_nothing(rule_tenant, client, admin,
                                                               scim_error, domains):
    tenant = rule_tenant("verified_domain_required")
    body = scim_error(_patch(client, admin, tenant, domains), 400, "invalidValue")
    assert "domain names" in body["detail"]
    shown = client.get(f"/_sandbox/tenants/{tenant.id}", headers=admin).get_json()
    assert shown["settings"]["verified_domains"] == list(DEFAULT_VERIFIED_DOMAINS)


@pytest.mark.parametrize("domains", [*NOT_DOMAINS, []])
def test_a_snapshot_restore_refuses_them_too(rule_tenant, client, admin, scim_error, domains):
    tenant = rule_tenant("verified_domain_required")
    path = f"/_sandbox/tenants/{tenant.id}/snapshot"
    snapshot = client.get(path, headers=admin).get_json()
    snapshot["tenant"]["settings"]["verified_domains"] = domains
    scim_error(client.put(path, headers=admin, json=snapshot), 400, "invalidValue")
    again = client.get(path, headers=admin).get_json()
    assert again["tenant"]["settings"]["verified_domains"] == list(DEFAULT_VERIFIED_DOMAINS)


def test_domain_names_in_any_case_or_with_a_final_dot_are_taken(rule_tenant, client, admin):
    tenant = rule_tenant("verified_domain_required")
    assert _patch(client, admin, tenant, ["Acme.TEST", "xn--bcher-kva.example."]
                  ).status_code == 200


@pytest.mark.parametrize("text", ["https://x/", "@contoso.com", ""])
def test_console_and_api_refuse_the_same_values(rule_tenant, client, text):
    tenant = rule_tenant("verified_domain_required")
    profile = client.application.extensions["scim_sandbox"].profiles[tenant.vendor]
    form = read_settings_form(profile, {"verified_domains": text})
    assert "verified_domains" in form.errors
    as_sent = [text] if text else []
    assert setting_problem(list(DEFAULT_VERIFIED_DOMAINS), as_sent, "verified_domains")
