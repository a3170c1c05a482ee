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
from scim_client import Tenant, new_tenant
from scim_client import valid_user as user_body


@pytest.fixture
def make_tenant(client: FlaskClient) -> Callable[..., Tenant]:
    """`make_tenant("olfeo")` or `make_tenant("vaultplatform", slug="acme-corp")`."""
    return lambda vendor, **fields: new_tenant(client, vendor, **fields)


@pytest.fixture
def valid_user() -> Callable[..., dict[str, Any]]:
    """`valid_user("veritas", "bob@example.test", displayName=None)`: a body to POST."""
    return user_body
