"""What the HTTP-level tests share: an app with test settings, a tenant as a SCIM client sees
it (through the admin API and its SCIM URL only), and the RFC 7644 error assertion."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from sandbox import create_app

ADMIN_TOKEN = "admin-secret"
ROOT = "http://localhost"
SCIM_JSON = "application/scim+json"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
VERITAS = "urn:ietf:params:scim:schemas:extension:veritas:2.0:User"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse"


def live_admin(base_url: str, method: str, path: str, body: Any = None) -> Any:
    """One admin API call to a sandbox served on a loopback port (no proxy), its JSON
    answer read."""
    request = urllib.request.Request(
        base_url + path, method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {ADMIN_TOKEN}", "Content-Type": "application/json"})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=10) as answer:
        return json.loads(answer.read())


def admin_headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {ADMIN_TOKEN}"}


@dataclass
class Tenant:
    """A tenant as a SCIM client sees it: its base path, token and request headers."""

    client: FlaskClient
    id: str
    vendor: str
    token: str
    url: str  # absolute, as the admin API returns it
    base: str  # the same below the server root, for the test client
    admin: dict[str, Any]  # the admin API's answer when the tenant was made

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", "Content-Type": SCIM_JSON}

    # Requests with the tenant's headers; `body` is sent as JSON text.
    def get(self, path: str, **kwargs: Any) -> Any:
        return self.client.get(self.base + path, headers=self._headers(kwargs), **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Any:
        return self.client.delete(self.base + path, headers=self._headers(kwargs), **kwargs)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return self._send("post", path, body, kwargs)

    def put(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return self._send("put", path, body, kwargs)

    def patch(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return self._send("patch", path, body, kwargs)

    def _send(self, method: str, path: str, body: Any, kwargs: dict[str, Any]) -> Any:
        if body is not None and "data" not in kwargs:
            kwargs["data"] = json.dumps(body)
        return getattr(self.client, method)(self.base + path, headers=self._headers(kwargs),
                                            **kwargs)

    def _headers(self, kwargs: dict[str, Any]) -> dict[str, str]:
        return {**self.headers, **kwargs.pop("headers", {})}

    # Shortcuts ---------------------------------------------------------------------------

    def create_user(self, user_name: str, **extra: Any) -> dict[str, Any]:
        return create_user(self, user_name, **extra)

    def create_group(self, display_name: str, members: Sequence[str] = (),
                     **extra: Any) -> dict[str, Any]:
        return create_group(self, display_name, members, **extra)

    def create(self, body: dict[str, Any], path: str = "/Users") -> dict[str, Any]:
        """POST a resource (201 expected) and return what the vendor answered."""
        response = self.post(path, body)
        assert response.status_code == 201, response.get_data(as_text=True)
        return response.get_json()

    def user(self, uid: str) -> dict[str, Any]:
        response = self.get(f"/Users/{uid}")
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_json()

    def group(self, gid: str) -> dict[str, Any]:
        response = self.get(f"/Groups/{gid}")
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_json()

    def list(self, path: str = "/Users", **params: Any) -> dict[str, Any]:
        response = self.get(path, query_string=params)
        assert response.status_code == 200, response.get_data(as_text=True)
        body = response.get_json()
        assert body["schemas"] == [LIST_RESPONSE], body
        return body

    def search(self, filter_text: str, path: str = "/Users") -> list[dict[str, Any]]:
        """The resources a `filter` query finds (200 expected)."""
        return self.list(path, filter=filter_text).get("Resources", [])

    def patch_ops(self, path: str, *operations: dict[str, Any], **kwargs: Any) -> Any:
        return self.patch(path, {"schemas": [PATCH_OP], "Operations": list(operations)},
                          **kwargs)


def new_tenant(client: FlaskClient, vendor: str = "generic", **fields: Any) -> Tenant:
    response = client.post("/_sandbox/tenants", json={"vendor": vendor, **fields},
                           headers=admin_headers())
    assert response.status_code == 201, response.get_data(as_text=True)
    data = response.get_json()
    assert data["vendor"] == vendor, data
    return Tenant(client, data["id"], vendor, data["token"], data["tenant_url"],
                  data["tenant_url"].removeprefix(ROOT), data)


def make_app(**overrides: Any) -> Flask:
    config: dict[str, Any] = {"admin_token": ADMIN_TOKEN, "demo_tenants": False}
    config.update(overrides)
    return create_app(config)


def create_user(tenant: Tenant, user_name: str, **extra: Any) -> dict[str, Any]:
    """POST a user (201 expected) and return the created resource."""
    body = {"schemas": [USER_SCHEMA], "userName": user_name, **extra}
    if any(key.startswith(ENTERPRISE) for key in extra) and ENTERPRISE not in body["schemas"]:
        body["schemas"] = [USER_SCHEMA, ENTERPRISE]
    response = tenant.post("/Users", body)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def create_group(tenant: Tenant, display_name: str, members: Sequence[str] = (),
                 **extra: Any) -> dict[str, Any]:
    """POST a group with the given member ids (201 expected) and return it."""
    body: dict[str, Any] = {"schemas": [GROUP_SCHEMA], "displayName": display_name, **extra}
    if members:
        body["members"] = [{"value": m} for m in members]
    response = tenant.post("/Groups", body)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def assert_scim_error(response: Any, status: int, scim_type: str | None = None) -> dict:
    """An RFC 7644 §3.12 error: schema, string status, a detail, the SCIM media type."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == SCIM_JSON, response.headers
    body = response.get_json(force=True)
    assert body["schemas"] == [ERROR_SCHEMA], body
    assert body["status"] == str(status), body
    assert isinstance(body.get("detail"), str) and body["detail"].strip(), body
    if scim_type is not None:
        assert body.get("scimType") == scim_type, body
    return body


def valid_user(vendor: str, user_name: str, **overrides: Any) -> dict[str, Any]:
    """A user body carrying every attribute the vendor's doc table requires (and no more for
    the vendors whose table has no Required column). `overrides` replace top-level keys."""
    local = user_name.split("@")[0]
    body: dict[str, Any]
    if vendor == "vaultplatform":
        body = {
            "schemas": [USER_SCHEMA, ENTERPRISE],
            "userName": user_name,
            "externalId": f"ext-{local}",
            "active": True,
            "title": "Engineer",
            "emails": [{"type": "work", "value": user_name, "primary": True}],
            "name": {"givenName": "Ada", "familyName": "Lovelace"},
            "addresses": [{"type": "work", "locality": "London", "country": "GB"}],
            ENTERPRISE: {"employeeNumber": "1815", "department": "Research"},
        }
    elif vendor == "veritas":
        body = {
            "schemas": [USER_SCHEMA, VERITAS],
            "userName": user_name,
            "emails": [{"type": "work", "value": user_name, "primary": True}],
            "active": True,
            "displayName": "Bob Archive",
            "name": {"givenName": "Bob", "familyName": "Archive"},
            VERITAS: {"emailAliases": [f"alias.{local}@example.test"]},
        }
    else:
        body = {"schemas": [USER_SCHEMA], "userName": user_name}
    body.update(overrides)
    return body
