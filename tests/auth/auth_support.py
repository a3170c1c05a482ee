"""What the auth tests share: helpers that speak to the sandbox over HTTP only (the admin
API, the tenants' OAuth endpoints, SCIM)."""

from __future__ import annotations

import base64
import re
from html import unescape
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient
from scim_client import ROOT, SCIM_JSON, USER_SCHEMA, admin_headers

PROFILES = Path(__file__).parent / "profiles"
CALLBACK = "https://entra.example.test/oauth/callback?app=scim"


def make_tenant(client: FlaskClient, vendor: str, **fields: Any) -> dict[str, Any]:
    """The admin API's answer for a new tenant of `vendor` (201 expected)."""
    response = client.post("/_sandbox/tenants", json={"vendor": vendor, **fields},
                           headers=admin_headers())
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def base_path(tenant: dict[str, Any]) -> str:
    return tenant["tenant_url"].removeprefix(ROOT)


def basic(name: str, password: str) -> dict[str, str]:
    encoded = base64.b64encode(f"{name}:{password}".encode()).decode()
    return {"Authorization": f"Basic {encoded}"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def token_request(client: FlaskClient, tenant: dict[str, Any], form: dict[str, str],
                  headers: dict[str, str] | None = None) -> Any:
    """POST the form to the tenant's token endpoint (its `token_url`, below the root)."""
    return client.post(tenant["token_url"].removeprefix(ROOT), data=form, headers=headers or {})


def client_credentials_token(client: FlaskClient, tenant: dict[str, Any]) -> str:
    response = token_request(client, tenant, {"grant_type": "client_credentials"},
                             basic(tenant["client_id"], tenant["client_secret"]))
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["access_token"]


def new_user(user_name: str) -> dict[str, Any]:
    return {"schemas": [USER_SCHEMA], "userName": user_name}


def scim_post(client: FlaskClient, tenant: dict[str, Any], path: str, body: Any,
              headers: dict[str, str]) -> Any:
    return client.post(base_path(tenant) + path, json=body,
                       headers={**headers, "Content-Type": SCIM_JSON})


def move_clock(client: FlaskClient, **body: Any) -> dict[str, Any]:
    response = client.post("/_sandbox/clock", json=body, headers=admin_headers())
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def consent_form(client: FlaskClient, tenant: dict[str, Any], state: str = "xyz",
                 redirect_uri: str = CALLBACK) -> dict[str, str]:
    """The hidden fields of the tenant's consent page, as a browser would post them back
    (the page is fetched, so the client holds its cookie)."""
    page = client.get(tenant["authorize_url"].removeprefix(ROOT), query_string={
        "client_id": tenant["client_id"], "redirect_uri": redirect_uri, "state": state,
        "response_type": "code"})
    assert page.status_code == 200, page.get_data(as_text=True)
    html = page.get_data(as_text=True)
    return {name: unescape(value) for name, value in
            re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html)}


def approve(client: FlaskClient, tenant: dict[str, Any], state: str = "xyz",
            redirect_uri: str = CALLBACK, decision: str = "approve") -> Any:
    """What the admin's click on the consent page answers (a redirect, expected)."""
    form = consent_form(client, tenant, state, redirect_uri)
    return client.post(tenant["authorize_url"].removeprefix(ROOT),
                       data={**form, "decision": decision})
