"""Secrets: no token in the journal, the logs, snapshots or error messages; constant-time checks.

A tenant of every vendor, each with its own random token, and the admin token. Requests of
every kind are made (right token, another tenant's token, no token, malformed Authorization
headers, requests that fail in every way the SCIM and admin APIs can fail, an injected fault,
a forced internal error, one of them while the token is being checked); then every place a
token could leak is read back and searched for every token.

Constant time is checked by what the code does, not by timing: during authentication the
token is compared with `hmac.compare_digest` on fixed-length SHA-256 digests, and neither
module that checks tokens compares one with `==`.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import hmac
import inspect
import json
import logging
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hardening_support import VENDORS, check_scim_error, parse_json, vendor_user
from scim_client import ADMIN_TOKEN, GROUP_SCHEMA, PATCH_OP, Tenant, make_app, new_tenant

import sandbox.console.access
import sandbox.http.auth
import sandbox.service.registry
import sandbox.service.tokens
from sandbox.service.tenant import TenantService

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


@pytest.fixture
def sandbox_app() -> Flask:
    return make_app()


@pytest.fixture
def tenants(sandbox_app: Flask) -> dict[str, Tenant]:
    client = sandbox_app.test_client()
    made = {}
    for vendor in VENDORS:
        tenant = new_tenant(client, vendor)
        tenant.create(vendor_user(vendor, f"{vendor}.ann@example.test"))
        made[vendor] = tenant
    return made


def all_secrets(tenants: dict[str, Tenant]) -> list[str]:
    tokens = [t.token for t in tenants.values()]
    # The forms a careless redaction or message could leave behind.
    encoded = [base64.b64encode(f"user:{t}".encode()).decode() for t in tokens]
    return [ADMIN_TOKEN, *tokens, *encoded]


def assert_no_secret(text: str, secrets: list[str], where: str) -> None:
    for secret in secrets:
        assert secret not in text, f"a token appears in {where}: ...{_around(text, secret)}..."


def _around(text: str, secret: str) -> str:
    at = text.find(secret)
    return text[max(0, at - 120): at + len(secret) + 40]


def _force_internal_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every list of users fails inside the service, and so does authentication of the
    Velpic tenant (where the token is in hand): both must give a 500 that names no token."""
    def broken_list(self: TenantService, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("forced failure while listing")

    real_authenticate = sandbox.service.registry.TenantRegistry.authenticate

    def broken_authenticate(self: Any, vendor: str, key: str | None, token: str) -> Any:
        if vendor == "velpic":
            raise RuntimeError("forced failure while authenticating")
        return real_authenticate(self, vendor, key, token)

    monkeypatch.setattr(TenantService, "list", broken_list)
    monkeypatch.setattr(sandbox.service.registry.TenantRegistry, "authenticate",
                        broken_authenticate)


def make_every_kind_of_request(client: FlaskClient, tenants: dict[str, Tenant],
                               monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Requests of every kind against every tenant; returns the responses."""
    responses = []

    def send(tenant: Tenant, method: str, path: str, body: Any = None,
             headers: dict[str, str] | None = None, raw: bytes | None = None,
             **kwargs: Any) -> None:
        data = raw if raw is not None else None if body is None else json.dumps(body)
        merged = {**tenant.headers, **(headers or {})}
        responses.append(client.open(tenant.base + path, method=method, data=data,
                                     headers={k: v for k, v in merged.items() if v is not None},
                                     **kwargs))

    others = list(tenants.values())
    for index, (vendor, tenant) in enumerate(tenants.items()):
        other = others[(index + 1) % len(others)]
        client.post(f"/_sandbox/tenants/{tenant.id}/faults", headers=ADMIN,
                    json={"method": "DELETE", "status": 503, "times": 1})
        client.post(f"/_sandbox/tenants/{tenant.id}/faults", headers=ADMIN,
                    json={"operation": "disable user", "status": 429, "retry_after": 3,
                          "detail": "slow down"})
        user = vendor_user(vendor, f"{vendor}.bob@example.test")
        send(tenant, "POST", "/Users", user)                                   # 201
        send(tenant, "POST", "/Users", user)                                   # 409
        send(tenant, "GET", "/Users", query_string={"filter": 'userName eq "x"'})
        send(tenant, "GET", "/Users", query_string={"filter": "userName eq ("})  # 400 filter
        send(tenant, "GET", "/Users", query_string={"filter": "title eq x"})    # unfilterable
        send(tenant, "GET", "/Users/nope")                                     # 404
        send(tenant, "GET", "/Groups")                                         # 404 or 200
        send(tenant, "GET", "/Nothing")                                        # 404
        send(tenant, "PUT", "/Users", user)                                    # 405
        send(tenant, "POST", "/Users", raw=b"{not json")                       # 400 syntax
        send(tenant, "POST", "/Users", raw=b"[" * 40 + b"]" * 40)              # 400 depth
        send(tenant, "POST", "/Users", {"schemas": ["urn:x"]})                 # 400 value
        send(tenant, "POST", "/Users", user, headers={"Content-Type": "text/plain"})  # 415
        send(tenant, "POST", "/Users", raw=b"x" * 1_100_000)                   # 413
        uid = client.get(tenant.base + "/Users", headers=tenant.headers,
                         query_string={"filter": f'userName eq "{vendor}.bob@example.test"'})
        found = (uid.get_json() or {}).get("Resources") or [{"id": "nope"}]
        rid = found[0]["id"]
        send(tenant, "PATCH", f"/Users/{rid}", {"schemas": [PATCH_OP], "Operations": [
            {"op": "replace", "path": "emails[type eq", "value": "x"}]})       # 400 path
        send(tenant, "PATCH", f"/Users/{rid}", {"schemas": [PATCH_OP], "Operations": [
            {"op": "remove"}]})                                                # 400 noTarget
        send(tenant, "PATCH", f"/Users/{rid}", {"schemas": [PATCH_OP], "Operations": [
            {"op": "add", "path": "groups", "value": [{"value": "g"}]}]})      # 400 mutability
        send(tenant, "PATCH", f"/Users/{rid}", {"schemas": [PATCH_OP], "Operations": [
            {"op": "replace", "path": "active", "value": "False"}]})           # 429 fault
        send(tenant, "PUT", f"/Users/{rid}", user, headers={"If-Match": 'W/"99"'})  # 412
        send(tenant, "DELETE", f"/Users/{rid}")                                # 503 fault
        send(tenant, "DELETE", f"/Users/{rid}")                                # 204
        send(tenant, "POST", "/Groups", {"schemas": [GROUP_SCHEMA], "displayName": "G",
                                         "members": [{"value": "nope"}]})     # 400 or 404
        # Authentication failures, the token sent in every shape.
        send(tenant, "GET", "/Users", headers={"Authorization": None})
        send(tenant, "GET", "/Users", headers={"Authorization": f"Bearer {other.token}"})
        send(tenant, "GET", "/Users", headers={"Authorization": f"Bearer {tenant.token}x"})
        send(tenant, "GET", "/Users", headers={"Authorization": tenant.token})
        send(tenant, "GET", "/Users", headers={"Authorization": f"bearer  {tenant.token}"})
        send(tenant, "GET", "/Users", headers={"Authorization": "Basic " + base64.b64encode(
            f"user:{tenant.token}".encode()).decode()})
        send(tenant, "GET", "/Users", headers={"Authorization": f"Token {tenant.token}"})
        send(tenant, "GET", "/Users", headers={"Cookie": f"token={tenant.token}",
                                               "Proxy-Authorization": f"Bearer {tenant.token}"})
        responses.append(client.get(tenant.base + "/Users", headers=[
            ("Authorization", f"Bearer {other.token}"),
            ("Authorization", f"Bearer {tenant.token}")]))
    # Vault Platform while it is not the active SCIM provider: a 401 that says why.
    vault = tenants["vaultplatform"]
    client.patch(f"/_sandbox/tenants/{vault.id}", headers=ADMIN,
                 json={"settings": {"active_scim_provider": False}})
    send(vault, "GET", "/ServiceProviderConfig")
    client.patch(f"/_sandbox/tenants/{vault.id}", headers=ADMIN,
                 json={"settings": {"active_scim_provider": True}})
    # A tenant URL that names no tenant, and internal errors (one while checking a token).
    for tenant in tenants.values():
        responses.append(client.get(tenant.base.replace(tenant.id, "no-such-tenant") + "/Users",
                                    headers=tenant.headers))
    _force_internal_errors(monkeypatch)
    for tenant in tenants.values():
        send(tenant, "GET", "/Users")
    monkeypatch.undo()
    return responses


def make_admin_errors(client: FlaskClient, tenants: dict[str, Tenant]) -> list[Any]:
    """Refused admin requests, several of which carry a token in their body."""
    visitly = tenants["visitly"]
    generic = tenants["generic"]
    requests: list[tuple[str, str, Any, dict[str, str]]] = [
        ("POST", "/_sandbox/tenants", {"vendor": "visitly", "token": visitly.token}, ADMIN),
        ("POST", "/_sandbox/tenants", {"vendor": "generic", "id": generic.id,
                                       "token": generic.token}, ADMIN),
        ("POST", "/_sandbox/tenants", {"vendor": "nope", "token": generic.token}, ADMIN),
        ("POST", "/_sandbox/tenants", {"vendor": "generic", "token": "has space " +
                                       generic.token}, ADMIN),
        ("POST", "/_sandbox/tenants", {"vendor": "generic", "tok": generic.token}, ADMIN),
        ("GET", "/_sandbox/tenants/nope", None, ADMIN),
        ("POST", f"/_sandbox/tenants/{generic.id}/faults", {"status": 999}, ADMIN),
        ("PUT", f"/_sandbox/tenants/{generic.id}/snapshot", {"resources": []}, ADMIN),
        ("GET", "/_sandbox/tenants", None, {"Authorization": f"Bearer {generic.token}"}),
        ("GET", "/_sandbox/tenants", None, {"Authorization": f"Bearer {ADMIN_TOKEN}x"}),
        ("GET", "/_sandbox/tenants", None, {}),
    ]
    return [client.open(url, method=method, headers=headers,
                        data=None if body is None else json.dumps(body),
                        content_type="application/json")
            for method, url, body, headers in requests]


# -- the journal, the logs, the error messages ------------------------------------------------


def test_no_token_in_error_messages_the_journal_or_the_logs(
        sandbox_app: Flask, tenants: dict[str, Tenant], monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    client = sandbox_app.test_client()
    secrets = all_secrets(tenants)
    caplog.set_level(logging.DEBUG)
    responses = make_every_kind_of_request(client, tenants, monkeypatch)
    admin_errors = make_admin_errors(client, tenants)

    statuses = {r.status_code for r in responses}
    expected = {200, 201, 400, 401, 404, 405, 409, 412, 413, 415, 429, 500, 503}
    assert expected <= statuses, sorted(statuses)
    assert {400, 401, 404, 409} <= {r.status_code for r in admin_errors}
    for response in [*responses, *admin_errors]:
        raw = response.get_data(as_text=True)
        assert_no_secret(raw, secrets, f"a {response.status_code} answer")
        assert_no_secret(str(response.headers), secrets, "response headers")
        if response.status_code >= 400:
            check_scim_error(response.status_code, parse_json(raw),
                             content_type=response.content_type, raw=raw, server_error=True)

    # The journal of every tenant (whatever its requests' fate) names no token.
    for tenant in tenants.values():
        journal = client.get(f"/_sandbox/tenants/{tenant.id}/journal", headers=ADMIN)
        assert journal.status_code == 200, journal.get_data(as_text=True)
        entries = journal.get_json()["entries"]
        assert len(entries) > 20, (tenant.vendor, len(entries))
        # A refused token is journaled by the tenant its URL names; Visitly's URL names none.
        refused = set() if tenant.vendor == "visitly" else {401}
        assert {e["status"] for e in entries} >= {201, 400, 404} | refused, tenant.vendor
        assert_no_secret(journal.get_data(as_text=True), secrets, f"{tenant.vendor}'s journal")
        authorizations = [value for e in entries for name, value in e["request"]["headers"]
                          .items() if name.lower() == "authorization"]
        assert "Bearer [redacted]" in authorizations, authorizations

    # The logs, the forced internal errors' tracebacks included.
    assert any(record.exc_info for record in caplog.records), "no internal error was logged"
    for record in caplog.records:
        text = record.getMessage() + (record.exc_text or "")
        if record.exc_info:
            text += logging.Formatter().formatException(record.exc_info)
        assert_no_secret(text, secrets, f"the log record {record.name}: {record.msg}")
    assert_no_secret(caplog.text, secrets, "the captured log")


def test_no_token_in_snapshots(sandbox_app: Flask, tenants: dict[str, Tenant]) -> None:
    client = sandbox_app.test_client()
    secrets = all_secrets(tenants)
    for tenant in tenants.values():
        got = client.get(f"/_sandbox/tenants/{tenant.id}/snapshot", headers=ADMIN)
        assert got.status_code == 200, got.get_data(as_text=True)
        assert_no_secret(got.get_data(as_text=True), secrets, f"{tenant.vendor}'s snapshot")
        snapshot = got.get_json()
        assert "token" not in snapshot["tenant"], snapshot["tenant"]
        assert snapshot["resources"]["User"], snapshot  # it is a real snapshot
        put = client.put(f"/_sandbox/tenants/{tenant.id}/snapshot", headers=ADMIN,
                         json=snapshot)
        assert put.status_code == 200, put.get_data(as_text=True)
        assert_no_secret(put.get_data(as_text=True), secrets, "a restored snapshot")
        # A snapshot names no token, so restoring one leaves the tenant's token as it was.
        assert tenant.get("/Users").status_code == 200


# -- constant-time comparison -----------------------------------------------------------------


@pytest.fixture
def compare_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, Any]]:
    """Every call of `hmac.compare_digest` (still doing its job) while the test runs."""
    calls: list[tuple[Any, Any]] = []
    real: Callable[[Any, Any], bool] = hmac.compare_digest

    def counting(a: Any, b: Any) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", counting)
    return calls


def test_tenant_tokens_are_compared_with_compare_digest_on_digests(
        tenants: dict[str, Tenant], compare_calls: list[tuple[Any, Any]]) -> None:
    """Every way a tenant is found (by id, by slug, by token alone) ends in compare_digest
    on two SHA-256 digests, for a right token and for a wrong one alike."""
    for vendor, tenant in tenants.items():
        for token, status in ((tenant.token, 200), (tenant.token[:-1] + "#", 401)):
            compare_calls.clear()
            response = tenant.get("/Users", headers={"Authorization": f"Bearer {token}"})
            assert response.status_code == status, (vendor, response.get_data(as_text=True))
            if vendor == "visitly" and status == 401:
                # Found by token alone: a wrong token matches no digest, so there is nothing to
                # compare, and no secret was compared byte by byte either.
                continue
            assert compare_calls, f"{vendor}: the token was not checked with compare_digest"
            for given, expected in compare_calls:
                assert isinstance(given, bytes) and isinstance(expected, bytes), vendor
                assert len(given) == len(expected) == hashlib.sha256().digest_size, vendor
            digests = {hashlib.sha256(token.encode()).digest(),
                       hashlib.sha256(tenant.token.encode()).digest()}
            assert digests <= {d for call in compare_calls for d in call}, vendor


def test_the_admin_token_is_compared_with_compare_digest_on_digests(
        sandbox_app: Flask, compare_calls: list[tuple[Any, Any]]) -> None:
    client = sandbox_app.test_client()
    for token, status in ((ADMIN_TOKEN, 200), ("wrong", 401), (ADMIN_TOKEN + "x", 401)):
        compare_calls.clear()
        response = client.get("/_sandbox/vendors", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == status, response.get_data(as_text=True)
        assert len(compare_calls) == 1, compare_calls
        given, expected = compare_calls[0]
        assert given == hashlib.sha256(token.encode()).digest()
        assert expected == hashlib.sha256(ADMIN_TOKEN.encode()).digest()


def _token_equality_comparisons(module: Any) -> list[str]:
    """`==` / `!=` comparisons whose operands mention a token or a digest."""
    found = []
    for node in ast.walk(ast.parse(inspect.getsource(module))):
        if not isinstance(node, ast.Compare):
            continue
        if not any(isinstance(op, ast.Eq | ast.NotEq) for op in node.ops):
            continue
        operands = [node.left, *node.comparators]
        if any(isinstance(o, ast.Constant) and o.value in (None, "") for o in operands):
            continue  # `token == ""` says whether there is one, not what it is
        names = {sub.id.lower() for operand in operands for sub in ast.walk(operand)
                 if isinstance(sub, ast.Name)}
        names |= {sub.attr.lower() for operand in operands for sub in ast.walk(operand)
                  if isinstance(sub, ast.Attribute)}
        if any("token" in name or "digest" in name or "secret" in name for name in names):
            found.append(f"{module.__name__}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_no_module_that_checks_tokens_compares_them_with_equality() -> None:
    # One module compares secrets; the others that handle tokens go through it.
    assert "compare_digest" in inspect.getsource(sandbox.service.tokens)
    modules = [sandbox.service.tokens, sandbox.http.auth, sandbox.service.registry,
               sandbox.console.access]
    found = [line for module in modules for line in _token_equality_comparisons(module)]
    assert not found, found
