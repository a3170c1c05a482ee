"""Secrets of every auth kind stay secret: no password, client secret, code, access or
refresh token in a journal, a log, a snapshot or an error answer; and the modules that
check them compare digests in constant time, never secrets with `==`."""

from __future__ import annotations

import ast
import inspect
import logging
from urllib.parse import parse_qs, urlsplit

from auth_support import (
    CALLBACK,
    approve,
    base_path,
    basic,
    bearer,
    make_tenant,
    new_user,
    scim_post,
    token_request,
)
from scim_client import admin_headers

import sandbox.http.auth
import sandbox.http.oauth_routes
import sandbox.service.credentials
import sandbox.service.oauth_grants
import sandbox.service.registry
import sandbox.service.tenant_keys


def test_no_secret_of_any_kind_reaches_a_journal_a_log_or_a_snapshot(client, caplog):
    caplog.set_level(logging.DEBUG)
    basic_tenant = make_tenant(client, "authbasic")
    cc = make_tenant(client, "authclient")
    code_tenant = make_tenant(client, "authcode")
    secrets = [basic_tenant["password"], cc["client_secret"], code_tenant["client_secret"]]

    scim_post(client, basic_tenant, "/Users", new_user("ann@example.com"),
              basic(basic_tenant["username"], basic_tenant["password"]))
    client.get(base_path(basic_tenant) + "/Users", headers=basic("x", basic_tenant["password"]))
    issued = token_request(client, cc, {"grant_type": "client_credentials"},
                           basic(cc["client_id"], cc["client_secret"])).get_json()
    secrets.append(issued["access_token"])
    scim_post(client, cc, "/Users", new_user("bob@example.com"), bearer(issued["access_token"]))
    client.get(base_path(cc) + "/Users", headers=bearer(cc["client_secret"]))
    token_request(client, cc, {"grant_type": "client_credentials", "client_id": cc["client_id"],
                               "client_secret": cc["client_secret"] + "x"})
    location = approve(client, code_tenant).headers["Location"]
    code = parse_qs(urlsplit(location).query)["code"][0]
    tokens = token_request(client, code_tenant, {
        "grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK},
        basic(code_tenant["client_id"], code_tenant["client_secret"])).get_json()
    secrets += [code, tokens["access_token"], tokens["refresh_token"]]
    client.get(base_path(code_tenant) + "/Users", headers=bearer(tokens["access_token"]))

    for tenant in (basic_tenant, cc, code_tenant):
        journal = client.get(f"/_sandbox/tenants/{tenant['id']}/journal",
                             headers=admin_headers())
        entries = journal.get_json()["entries"]
        assert entries and all("/oauth/" not in e["path"] for e in entries), entries
        snapshot = client.get(f"/_sandbox/tenants/{tenant['id']}/snapshot",
                              headers=admin_headers())
        for secret in secrets:
            assert secret not in journal.get_data(as_text=True), tenant["id"]
            assert secret not in snapshot.get_data(as_text=True), tenant["id"]
    for secret in secrets:
        assert secret not in caplog.text


def _secret_equality_comparisons(module) -> list[str]:
    """`==` / `!=` comparisons whose operands name a token, digest, secret, code or password."""
    found = []
    for node in ast.walk(ast.parse(inspect.getsource(module))):
        if not isinstance(node, ast.Compare) or not any(
                isinstance(op, ast.Eq | ast.NotEq) for op in node.ops):
            continue
        operands = [node.left, *node.comparators]
        names = {getattr(sub, "id", getattr(sub, "attr", ""))
                 for operand in operands for sub in ast.walk(operand)}
        # A constant's name (AUTHORIZATION_CODE) names a fixed value, not a secret.
        names = {name.lower() for name in names if not name.isupper()}
        if any(word in name for name in names
               for word in ("token", "digest", "secret", "password", "code")):
            found.append(f"{module.__name__}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_no_module_that_checks_secrets_compares_them_with_equality():
    modules = [sandbox.http.auth, sandbox.http.oauth_routes, sandbox.service.credentials,
               sandbox.service.oauth_grants, sandbox.service.registry,
               sandbox.service.tenant_keys]
    found = [line for module in modules for line in _secret_equality_comparisons(module)]
    assert not found, found
