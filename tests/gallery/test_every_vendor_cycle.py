"""Every vendor of the catalog works with Microsoft Entra: a tenant of each, provisioned by the
simulator as Entra's service would (Test Connection, an initial cycle of five users and two
groups where the app has groups, then a cycle after a disable, a rename and a removal), ends
with zero failures. One app in process for the whole module, so the run stays fast."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from sandbox import create_app
from sandbox.entra import (
    ProvisioningConfig,
    ProvisioningEngine,
    SourceDirectory,
    sample_changes,
    wsgi_transport,
)
from sandbox.entra.authorization import exchange_code
from sandbox.entra.credentials import AdminCredentials
from sandbox.entra.mappings import profile_settings
from sandbox.vendors.catalog import Catalog

ADMIN_TOKEN = "gallery-admin-token"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
ROOT = "http://localhost"
CALLBACK = "https://portal.example.test/authorized"
VENDORS = sorted(Catalog.load())


@pytest.fixture(scope="module")
def app() -> Flask:
    return create_app({"admin_token": ADMIN_TOKEN, "demo_tenants": False})


@pytest.fixture(scope="module")
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def _authorized(client: FlaskClient, tenant: dict[str, Any]) -> dict[str, str]:
    """The admin clicks Authorize and approves on the vendor's consent page; Entra trades
    the code for tokens at the tenant's token endpoint."""
    authorize = tenant["authorize_url"].removeprefix(ROOT)
    page = client.get(authorize, query_string={
        "client_id": tenant["client_id"], "redirect_uri": CALLBACK, "state": "s1",
        "response_type": "code"})
    assert page.status_code == 200, page.get_data(as_text=True)
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">',
                             page.get_data(as_text=True)))
    answer = client.post(authorize, data={**hidden, "decision": "approve"})
    assert answer.status_code in (302, 303), answer.get_data(as_text=True)
    code = parse_qs(urlsplit(answer.headers["Location"]).query)["code"][0]
    granted = exchange_code(wsgi_transport(client.application), tenant["token_url"],
                            tenant["client_id"], tenant["client_secret"], code, CALLBACK)
    return {"refresh_token": granted.refresh_token, "access_token": granted.access_token}


def _credentials(client: FlaskClient, tenant: dict[str, Any]) -> AdminCredentials | None:
    """What the admin pastes into Entra's Admin Credentials for this tenant's auth kind."""
    if "username" in tenant:
        return AdminCredentials(username=tenant["username"], password=tenant["password"])
    if "client_id" not in tenant:
        return None  # a Secret Token, carried by the config itself
    extra = _authorized(client, tenant) if "authorize_url" in tenant else {}
    return AdminCredentials(client_id=tenant["client_id"],
                            client_secret=tenant["client_secret"],
                            token_url=tenant["token_url"], **extra)


@pytest.mark.parametrize("vendor", VENDORS)
def test_entra_provisions_every_vendor_with_zero_failures(vendor, app, client):
    made = client.post("/_sandbox/tenants", json={"vendor": vendor}, headers=ADMIN)
    assert made.status_code == 201, made.get_data(as_text=True)
    tenant = made.get_json()
    profile = app.extensions["scim_sandbox"].profiles[vendor]

    def sleep(seconds: float) -> None:  # a rate limit's Retry-After moves the clock instead
        client.post("/_sandbox/clock", json={"advance_seconds": seconds}, headers=ADMIN)

    config = ProvisioningConfig.from_tenant_url(
        tenant["tenant_url"], tenant.get("token", ""),
        credentials=_credentials(client, tenant),
        **profile_settings(profile), sleep=sleep)
    engine = ProvisioningEngine(config, wsgi_transport(app))
    connection = engine.test_connection()
    assert connection.ok, connection
    has_groups = "Group" in profile.resource_types
    directory = SourceDirectory.fake(users=5, groups=2 if has_groups else 0, seed=7)
    first = engine.run_cycle(directory)
    assert first.failures == [], first.failures
    # Five users, one of them assigned with Default Access (skipped, as Entra does).
    assert _count(client, tenant, "User") == 4
    assert sample_changes(directory)
    second = engine.run_cycle(directory, first.state)
    assert second.failures == [], second.failures
    # The second cycle unassigns, disables, renames and deletes for good one user each: the
    # first two are kept inactive (deleted where the app keeps no disabled accounts), the
    # last is deleted (kept inactive where the app deletes softly).
    left = _count(client, tenant, "User")
    if profile.delete_mode == "soft":
        assert left == 4
    else:
        assert left == (1 if profile.has_rule("hard_delete_only") else 3)
    # Entra disables where the app keeps `active`, and deletes instead where it keeps no
    # disabled accounts.
    keeps_active = (profile.resource_types["User"].schema.top_level("active") is not None
                    and not profile.has_rule("hard_delete_only"))
    _assert_entra_requests_accepted(client, tenant, keeps_active)


def _assert_entra_requests_accepted(client: FlaskClient, tenant: dict[str, Any],
                                    keeps_active: bool) -> None:
    """The requests every vendor must accept, each answered with success: Test Connection
    (a GET filtering on the matching attribute), the match queries, a create with the app's
    required attributes, the disable where the app keeps `active` (a PATCH `"Replace"` with
    the string `"False"`, Entra's default shape; without `active` Entra has nothing to send)
    and the delete (or the soft delete the app does instead)."""
    journal = client.get(f"/_sandbox/tenants/{tenant['id']}/journal", headers=ADMIN)
    entries = [e for e in journal.get_json()["entries"]
               if e["status"] != 429]  # a rate limit's refusal, retried after Retry-After
    first = entries[0]
    assert (first["method"], first["status"]) == ("GET", 200) and "filter=" in first["query"]
    answered: dict[str, set[int]] = {}
    for entry in entries:
        answered.setdefault(entry["operation"], set()).add(entry["status"])
    expected = ["match query", "create user", "delete user"]
    expected += ["disable user"] if keeps_active else []
    for operation in expected:
        assert operation in answered, (operation, sorted(answered))
    assert all(200 <= status < 300 for statuses in answered.values() for status in statuses), \
        answered
    if keeps_active:
        disable = next(e for e in entries if e["operation"] == "disable user")
        operation = disable["request"]["body"]["Operations"][0]
        assert operation["op"] == "Replace" and "False" in str(operation["value"])


def _count(client: FlaskClient, tenant: dict[str, Any], resource_type: str) -> int:
    answer = client.get(f"/_sandbox/tenants/{tenant['id']}", headers=ADMIN)
    return answer.get_json()["resources"][resource_type]
