"""The tenant page's settings form: a switch sends true or false, a list setting (the verified
domains a verified_domain_required rule reads) is a text field of domains, and a value that
is no domain is a message on the page, with nothing saved."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pytest
from console_support import ADMIN_TOKEN
from flask.testing import FlaskClient

from sandbox.app import create_app

RULE_PROFILES = Path(__file__).resolve().parents[1] / "rules" / "profiles"
PLAIN = "rule-verified-domain-required"  # no [setup]: the plain flow's tenant page
HELPDESK = """
id = "domaindesk"
name = "DomainDesk"
tenant_url = "/domaindesk/{tenant}/scim/v2"

[auth]
token_label = "API Key"

[setup]
menu = ["Settings", "Provisioning"]

[settings.provisioning_enabled]
default = true
label = "Provisioning enabled"

[features]
filter = true
patch = true

[resource_types.User]
endpoint = "/Users"
schema = "urn:ietf:params:scim:schemas:core:2.0:User"

[[rules]]
kind = "verified_domain_required"
"""


@pytest.fixture
def console(tmp_path: Path) -> tuple[Any, FlaskClient, str]:
    """(the registry, a signed-in console client, its form token) of an app that loads the
    rule profiles and a console-flow profile with a switch and the verified domains."""
    (tmp_path / "domaindesk.toml").write_text(HELPDESK, encoding="utf-8")
    app = create_app({"admin_token": ADMIN_TOKEN, "demo_tenants": False,
                      "vendors_dirs": [RULE_PROFILES, tmp_path]})
    client = app.test_client()
    client.post("/console/login", data={"admin_token": ADMIN_TOKEN})
    with client.session_transaction() as session:
        csrf = session["console_csrf"]
    return app.extensions["scim_sandbox"], client, csrf


def save(client: FlaskClient, csrf: str, tenant: Any, **fields: str) -> Any:
    return client.post(f"/console/setup/{tenant.profile.id}/{tenant.id}/settings",
                       data={"csrf_token": csrf, **fields})


def scim_create(client: FlaskClient, tenant: Any, user_name: str) -> int:
    return client.post(f"/{tenant.path.strip('/')}/Users", headers={
        "Authorization": f"Bearer {tenant.token}", "Content-Type": "application/scim+json"},
        json={"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
              "userName": user_name}).status_code


def test_the_page_shows_the_domains_as_text(console):
    sandbox, client, _ = console
    tenant = sandbox.create_tenant(PLAIN)
    page = client.get(f"/console/setup/{PLAIN}/{tenant.id}").get_data(as_text=True)
    assert '<textarea id="setting-verified_domains" name="verified_domains"' in page
    assert "contoso.com\nexample.com</textarea>" in page
    assert 'type="checkbox"' not in page  # a list is no switch


def test_saving_domains_puts_them_in_force(console):
    sandbox, client, csrf = console
    tenant = sandbox.create_tenant(PLAIN)
    answer = save(client, csrf, tenant, verified_domains="acme.test, Example.ORG\nfoo.test.")
    assert answer.status_code == 302 and answer.location.endswith("?saved=settings")
    assert tenant.settings["verified_domains"] == ["acme.test", "example.org", "foo.test"]
    assert scim_create(client, tenant, "ada@acme.test") == 201
    assert scim_create(client, tenant, "bob@contoso.com") == 400
    page = client.get(answer.location).get_data(as_text=True)
    assert "Saved." in page and "acme.test\nexample.org\nfoo.test</textarea>" in page


@pytest.mark.parametrize("typed", ["acme", "ada@acme.test", "https://acme.test", "acme..test",
                                   "", " , \n", "x" * 100_000, "é\u0000\u202e",
                                   "<script>alert(1)</script>", ",".join(["a.test"] * 60)
                                   + "," + ",".join(f"d{n}.test" for n in range(60))])
def test_a_bad_value_is_a_message_and_nothing_is_saved(console, typed):
    sandbox, client, csrf = console
    tenant = sandbox.create_tenant(PLAIN)
    sandbox.update_settings(tenant.id, {"verified_domains": ["kept.test"]})
    answer = save(client, csrf, tenant, verified_domains=typed)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422, page[:500]
    assert "The settings were not saved." in page and 'aria-invalid="true"' in page
    assert "Verified domains:" in page  # the message names the field by its label
    assert "<script>alert(1)" not in page
    assert tenant.settings["verified_domains"] == ["kept.test"]


def test_the_message_names_the_wrong_entry_and_keeps_what_was_typed(console):
    sandbox, client, csrf = console
    tenant = sandbox.create_tenant(PLAIN)
    page = save(client, csrf, tenant, verified_domains="acme.test\nada@acme.test"
                ).get_data(as_text=True)
    assert "&#39;ada@acme.test&#39; is not a domain name" in page
    assert ">acme.test\nada@acme.test</textarea>" in page


def test_a_switch_and_a_list_are_saved_together_on_a_console_flow(console):
    """Before list settings had a field, this form sent every setting as a checkbox, and
    the service refused true/false for the verified domains."""
    sandbox, client, csrf = console
    tenant = sandbox.create_tenant("domaindesk")
    page = client.get(f"/console/setup/domaindesk/{tenant.id}").get_data(as_text=True)
    assert 'role="switch" name="provisioning_enabled" checked' in page
    assert 'name="verified_domains"' in page
    answer = save(client, csrf, tenant, verified_domains="acme.test")  # box left unchecked
    assert answer.status_code == 302, html.unescape(answer.get_data(as_text=True))[:500]
    assert tenant.settings == {"provisioning_enabled": False,
                               "verified_domains": ["acme.test"]}
    assert save(client, csrf, tenant, provisioning_enabled="on",
                verified_domains="acme.test").status_code == 302
    assert tenant.settings["provisioning_enabled"] is True


def test_a_refused_post_keeps_the_switch_as_it_was_posted(console):
    sandbox, client, csrf = console
    tenant = sandbox.create_tenant("domaindesk")
    page = save(client, csrf, tenant, verified_domains="nope").get_data(as_text=True)
    assert 'name="provisioning_enabled" checked' not in page
    assert tenant.settings["provisioning_enabled"] is True


def test_vault_platforms_switch_still_sends_a_boolean(console):
    sandbox, client, csrf = console
    tenant = sandbox.create_tenant("vaultplatform", slug="settings-org")
    assert save(client, csrf, tenant).status_code == 302
    assert tenant.settings == {"active_scim_provider": False}
    assert save(client, csrf, tenant, active_scim_provider="on").status_code == 302
    assert tenant.settings == {"active_scim_provider": True}
