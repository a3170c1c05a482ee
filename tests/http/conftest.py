"""Fixtures for black-box HTTP tests: fresh `generic` tenants of one app.

Everything goes through Flask's test client and the public HTTP interface (the admin API to
make tenants, the SCIM endpoints under each tenant's URL); nothing reaches into the service or
the store.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from scim_client import Tenant, new_tenant


@pytest.fixture
def tenant(client: FlaskClient) -> Tenant:
    return new_tenant(client)


@pytest.fixture
def make_tenant(client: FlaskClient) -> Callable[..., Tenant]:
    """Another tenant of the same app: `make_tenant()` or `make_tenant(id="x", token="y")`."""
    return lambda **fields: new_tenant(client, **fields)


@pytest.fixture
def tenant_in() -> Callable[..., Tenant]:
    """`tenant_in(client, **fields)`: a new tenant in another app's client."""
    return new_tenant
