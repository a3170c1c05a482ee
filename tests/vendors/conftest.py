"""Fixtures for the vendor emulation tests: tenants of any vendor, valid user bodies.

Everything goes through Flask's test client and the public HTTP interface: the admin API makes
tenants, and each test speaks SCIM to the tenant's URL as Microsoft Entra would. The source of
truth for what a vendor does is its tutorial in ../shared/vendor-docs/.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from scim_client import USER_SCHEMA, Tenant, new_tenant

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
VERITAS = "urn:ietf:params:scim:schemas:extension:veritas:2.0:User"


def user_body(vendor: str, user_name: str, **overrides: Any) -> dict[str, Any]:
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


@pytest.fixture
def make_tenant(client: FlaskClient) -> Callable[..., Tenant]:
    """`make_tenant("olfeo")` or `make_tenant("vaultplatform", slug="acme-corp")`."""
    return lambda vendor, **fields: new_tenant(client, vendor, **fields)


@pytest.fixture
def valid_user() -> Callable[..., dict[str, Any]]:
    """`valid_user("veritas", "bob@example.test", displayName=None)`: a body to POST."""
    return user_body
