"""Tenant isolation and the admin API's guard.

One tenant of every vendor (plus a second `generic` and a second `visitly`, so that tenants of
one vendor face each other too), each holding a user. For every ordered pair (A, B), A's token
on B's URLs never reads, creates, changes or deletes anything of B's: the answer is 401 or 404,
never 2xx, and never shows B's ids or userNames. Visitly's URL has no tenant part (the token
alone finds the tenant), so between two Visitly tenants "B's URL" is A's own: the answer may be
2xx, but it shows and touches A's data only. A's token on its own URL naming B's ids is a 404 as
well, and B's users cannot be made members of A's groups.

The admin API refuses every endpoint under /_sandbox (from the app's url_map; health aside)
without the admin token, with a wrong one, or with a tenant's token: 401, a SCIM error, and
nothing changes.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hardening_support import VENDORS, check_scim_error, parse_json, vendor_user
from scim_client import ADMIN_TOKEN, GROUP_SCHEMA, PATCH_OP, Tenant, make_app, new_tenant

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
TOKEN_ONLY = {"visitly"}  # vendors whose Tenant URL has no tenant part


@dataclass
class Victim:
    """A tenant with a user (and a group where the vendor has groups), as seen from outside."""

    tenant: Tenant
    user_id: str
    user_name: str
    group_id: str | None

    @property
    def secrets_of_data(self) -> list[str]:
        """Strings that only B's data contains: its ids and userName."""
        found = [self.user_id, self.user_name]
        return found + ([self.group_id] if self.group_id else [])


def _snapshot(client: FlaskClient, tenant: Tenant) -> dict[str, Any]:
    response = client.get(f"/_sandbox/tenants/{tenant.id}/snapshot", headers=ADMIN)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


@pytest.fixture(scope="module")
def world() -> tuple[Flask, FlaskClient, list[Victim]]:
    app = make_app()
    client = app.test_client()
    victims = []
    for index, vendor in enumerate([*VENDORS, "generic", "visitly"]):
        tenant = new_tenant(client, vendor)
        user_name = f"{vendor}-user-{index}@example.test"
        user = tenant.create(vendor_user(vendor, user_name))
        group_id = None
        if vendor in ("generic", "olfeo"):
            group_id = tenant.create_group(f"{vendor}-group-{index}", [user["id"]])["id"]
        victims.append(Victim(tenant, user["id"], user_name, group_id))
    return app, client, victims


def _attacks(attacker: Victim, victim: Victim) -> list[tuple[str, str, Any]]:
    """(method, path below the victim's base URL, JSON body) of every request tried."""
    vendor = victim.tenant.vendor
    uid = victim.user_id
    patch = {"schemas": [PATCH_OP],
             "Operations": [{"op": "replace", "path": "active", "value": False}]}
    attacks: list[tuple[str, str, Any]] = [
        ("GET", "/Users", None),
        ("GET", f"/Users?filter=userName%20eq%20%22{victim.user_name}%22", None),
        ("GET", f"/Users/{uid}", None),
        ("POST", "/Users", vendor_user(vendor, f"intruder-{attacker.tenant.id}@example.test")),
        ("PUT", f"/Users/{uid}", vendor_user(vendor, "renamed@example.test")),
        ("PATCH", f"/Users/{uid}", patch),
        ("DELETE", f"/Users/{uid}", None),
        ("POST", "/.search", {"filter": f'userName eq "{victim.user_name}"'}),
        ("POST", "/Users/.search", {}),
        ("GET", "/ServiceProviderConfig", None),
        ("GET", "/Schemas", None),
    ]
    if victim.group_id:
        gid = victim.group_id
        attacks += [
            ("GET", "/Groups", None),
            ("GET", f"/Groups/{gid}", None),
            ("POST", "/Groups", {"schemas": [GROUP_SCHEMA], "displayName": "intruders"}),
            ("PATCH", f"/Groups/{gid}", {"schemas": [PATCH_OP], "Operations": [
                {"op": "remove", "path": f'members[value eq "{uid}"]'}]}),
            ("DELETE", f"/Groups/{gid}", None),
        ]
    return attacks


def _same_url(attacker: Victim, victim: Victim) -> bool:
    return (attacker.tenant.vendor == victim.tenant.vendor
            and attacker.tenant.vendor in TOKEN_ONLY)


def test_every_tenants_token_on_every_other_tenants_urls_is_refused(
        world: tuple[Flask, FlaskClient, list[Victim]]) -> None:
    _, client, victims = world
    tried = 0
    for attacker, victim in itertools.permutations(victims, 2):
        # Taken per pair: between Visitly tenants the attacker's requests reach its own tenant.
        before = _snapshot(client, victim.tenant)
        headers = {"Authorization": f"Bearer {attacker.tenant.token}",
                   "Content-Type": "application/scim+json"}
        for method, path, body in _attacks(attacker, victim):
            tried += 1
            response = client.open(victim.tenant.base + path, method=method, headers=headers,
                                   data=None if body is None else json.dumps(body))
            raw = response.get_data(as_text=True)
            where = f"{attacker.tenant.id} -> {victim.tenant.id}: {method} {path}"
            sent = path + json.dumps(body)
            for secret in victim.secrets_of_data:
                # A 404 may repeat the id the request named; it must show nothing else of B's.
                if secret not in sent:
                    assert secret not in raw, f"{where} showed {secret!r}: {raw[:500]}"
            if _same_url(attacker, victim):
                # One URL for every Visitly tenant: the token picks the attacker's own tenant,
                # where B's ids name nothing and B's userName matches no one.
                assert response.status_code < 500, f"{where}: {raw[:500]}"
                if victim.user_id in path:
                    assert response.status_code == 404, f"{where}: {raw[:500]}"
                if response.status_code == 200 and "totalResults" in raw:
                    assert victim.user_name not in raw, f"{where}: {raw[:500]}"
                continue
            assert response.status_code in (401, 404), f"{where}: {response.status_code} {raw}"
            check_scim_error(response.status_code, parse_json(raw),
                             content_type=response.content_type, raw=raw)
        # Whatever the attacker's requests did, the victim's state is exactly as it was.
        assert _snapshot(client, victim.tenant) == before, (
            f"{attacker.tenant.id} changed {victim.tenant.id}")
    assert tried > 8 * 7 * 10


def test_a_tenants_own_url_never_reaches_another_tenants_resources(
        world: tuple[Flask, FlaskClient, list[Victim]]) -> None:
    """The ids of B's resources mean nothing under A's URL, in paths, filters or members."""
    _, client, victims = world
    before = {v.tenant.id: _snapshot(client, v.tenant) for v in victims}
    for attacker, victim in itertools.permutations(victims, 2):
        a = attacker.tenant
        where = f"{a.id} naming {victim.tenant.id}'s resources"
        uid = victim.user_id
        for method, path, body in [
            ("GET", f"/Users/{uid}", None),
            ("PUT", f"/Users/{uid}", vendor_user(a.vendor, "someone@example.test")),
            ("PATCH", f"/Users/{uid}", {"schemas": [PATCH_OP], "Operations": [
                {"op": "replace", "path": "active", "value": False}]}),
            ("DELETE", f"/Users/{uid}", None),
        ]:
            response = getattr(a, method.lower())(f"/Users/{uid}", body) if body is not None \
                else getattr(a, method.lower())(path)
            raw = response.get_data(as_text=True)
            assert response.status_code == 404, f"{where}: {method} {path}: {raw}"
            check_scim_error(404, parse_json(raw), content_type=response.content_type, raw=raw)
            assert victim.user_name not in raw, raw
        for text in (f'id eq "{uid}"', f'userName eq "{victim.user_name}"'):
            listed = a.get("/Users", query_string={"filter": text})
            if listed.status_code == 200:
                assert listed.get_json()["totalResults"] == 0, (where, text, listed.get_json())
            else:  # a vendor that does not filter on `id`
                check_scim_error(listed.status_code, listed.get_json())
        if attacker.group_id:
            if victim.group_id:
                response = a.get(f"/Groups/{victim.group_id}")
                assert response.status_code == 404, (where, response.get_data(as_text=True))
            add = a.patch_ops(f"/Groups/{attacker.group_id}",
                              {"op": "add", "path": "members", "value": [{"value": uid}]})
            assert add.status_code == 400, (where, add.get_data(as_text=True))
            made = a.post("/Groups", {"schemas": [GROUP_SCHEMA], "displayName": "mixed",
                                      "members": [{"value": uid}]})
            assert made.status_code == 400, (where, made.get_data(as_text=True))
    for victim in victims:
        assert _snapshot(client, victim.tenant) == before[victim.tenant.id], victim.tenant.id


# -- the admin API ---------------------------------------------------------------------------


PUBLIC_ADMIN_URLS = ("/_sandbox/health", "/_sandbox/openapi.json")


def admin_routes(app: Flask) -> list[tuple[str, str]]:
    """(method, URL) of every admin endpoint, from the app's URL map; health and the
    OpenAPI description are public (neither holds a secret)."""
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/_sandbox") or rule.rule in PUBLIC_ADMIN_URLS:
            continue
        url = re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: f"{{{m[1]}}}", rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((method, url))
    return found


WRONG_CREDENTIALS = [
    {},
    {"Authorization": ""},
    {"Authorization": "Bearer"},
    {"Authorization": "Bearer "},
    {"Authorization": "Bearer wrong-admin-token"},
    {"Authorization": f"Bearer {ADMIN_TOKEN}x"},
    {"Authorization": f"Bearer {ADMIN_TOKEN[:-1]}"},
    {"Authorization": f"Bearer {ADMIN_TOKEN.upper()}"},
    {"Authorization": f"Basic {ADMIN_TOKEN}"},
    {"Authorization": ADMIN_TOKEN},
    {"Authorization": f"Token {ADMIN_TOKEN}"},
    {"X-Admin-Token": ADMIN_TOKEN},
    {"Cookie": f"token={ADMIN_TOKEN}"},
]


def test_the_admin_api_refuses_every_endpoint_without_the_admin_token(
        world: tuple[Flask, FlaskClient, list[Victim]]) -> None:
    app, client, victims = world
    victim = victims[0].tenant
    fault = client.post(f"/_sandbox/tenants/{victim.id}/faults", headers=ADMIN,
                        json={"status": 503, "path": "^/nothing-matches-this$"})
    assert fault.status_code == 201, fault.get_data(as_text=True)
    values = {"tenant_id": victim.id, "id": victim.id, "fault_id": fault.get_json()["id"]}
    routes = admin_routes(app)
    expected = {("GET", "/_sandbox/vendors"), ("POST", "/_sandbox/tenants"),
                ("GET", "/_sandbox/tenants"), ("DELETE", "/_sandbox/tenants/{tenant_id}"),
                ("GET", "/_sandbox/tenants/{tenant_id}/journal"),
                ("PUT", "/_sandbox/tenants/{tenant_id}/snapshot"),
                ("DELETE", "/_sandbox/tenants/{tenant_id}/faults/{fault_id}")}
    assert expected <= set(routes), routes
    tenants_before = client.get("/_sandbox/tenants", headers=ADMIN).get_json()
    snapshot_before = _snapshot(client, victim)
    credentials = [*WRONG_CREDENTIALS,
                   *({"Authorization": f"Bearer {v.tenant.token}"} for v in victims)]
    body = json.dumps({"vendor": "generic", "settings": {}, "users": 1})
    # An unknown tenant id is refused the same way: the admin API says nothing before auth.
    unknown = {**values, "tenant_id": "no-such-tenant", "fault_id": "f-none"}
    for (method, template), headers, names in itertools.product(routes, credentials,
                                                                (values, unknown)):
        url = template.format(**names)
        response = client.open(url, method=method, data=body,
                               headers={**headers, "Content-Type": "application/json"})
        raw = response.get_data(as_text=True)
        assert response.status_code == 401, f"{method} {url} with {headers}: {raw}"
        check_scim_error(401, parse_json(raw), content_type=response.content_type, raw=raw)
        assert response.headers.get("WWW-Authenticate", "").startswith("Bearer"), (url, headers)
        assert victim.token not in raw and ADMIN_TOKEN not in raw, raw
    # Nothing was created, changed or deleted, and the fault is still there.
    assert client.get("/_sandbox/tenants", headers=ADMIN).get_json() == tenants_before
    assert _snapshot(client, victim) == snapshot_before
    faults = client.get(f"/_sandbox/tenants/{victim.id}/faults", headers=ADMIN).get_json()
    assert [f["id"] for f in faults["faults"]] == [values["fault_id"]]
    # The same routes with the admin token are answered by their handlers, not refused.
    for method, template in routes:
        if method == "GET":
            response = client.get(template.format(**values), headers=ADMIN)
            assert response.status_code == 200, (template, response.get_data(as_text=True))
