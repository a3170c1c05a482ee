"""Fixtures for the Entra-side simulator: sandbox tenants reached through the admin API, and
engines that talk to them in process (`wsgi_transport`, no socket).

Everything the tests check about the endpoint side goes through the admin API (the tenant's
journal of received requests, its faults) or SCIM, never the service or the store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from entra_support import Sleeps, profile
from flask import Flask
from flask.testing import FlaskClient
from scim_client import Tenant, admin_headers, make_app, new_tenant

from sandbox.entra import (
    ProvisioningConfig,
    ProvisioningEngine,
    default_group_mappings,
    default_mappings,
    wsgi_transport,
)
from sandbox.testing.server import LiveServer


@pytest.fixture(scope="module")
def live() -> Iterator[LiveServer]:
    """A sandbox served on a loopback port (waitress in a thread), for `simulate` run as a
    developer would run it, through the network transport."""
    server = LiveServer(make_app())
    yield server
    server.stop()


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def tenant_of(client: FlaskClient) -> Callable[..., Tenant]:
    """`tenant_of("olfeo")`: a fresh tenant of the test app."""
    return lambda vendor="generic", **fields: new_tenant(client, vendor, **fields)


@pytest.fixture
def engine_for(app: Flask, sleeps: Sleeps) -> Callable[..., ProvisioningEngine]:
    """`engine_for(tenant, flags=(...), token=..., **config)`: an engine whose mappings are
    pre-filled from the tenant's vendor profile, as Entra's gallery app would be."""

    def make(tenant: Tenant, *, flags: tuple[str, ...] = (), token: str | None = None,
             **options: Any) -> ProvisioningEngine:
        vendor = profile(tenant.vendor)
        options.setdefault("user_mappings", default_mappings(vendor))
        options.setdefault("group_mappings", default_group_mappings(vendor))
        config = ProvisioningConfig.from_tenant_url(
            tenant.url, tenant.token if token is None else token, flags=flags,
            sleep=sleeps, **options)
        return ProvisioningEngine(config, wsgi_transport(app))

    return make


@pytest.fixture
def journal(client: FlaskClient) -> Callable[[Tenant], list[dict[str, Any]]]:
    """`journal(tenant)`: every request the tenant received, oldest first."""

    def read(tenant: Tenant) -> list[dict[str, Any]]:
        response = client.get(f"/_sandbox/tenants/{tenant.id}/journal", headers=admin_headers())
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_json()["entries"]

    return read


@pytest.fixture
def clear_journal(client: FlaskClient) -> Callable[[Tenant], None]:
    def clear(tenant: Tenant) -> None:
        response = client.delete(f"/_sandbox/tenants/{tenant.id}/journal",
                                 headers=admin_headers())
        assert response.status_code in (200, 204), response.get_data(as_text=True)

    return clear


@pytest.fixture
def add_fault(client: FlaskClient) -> Callable[..., dict[str, Any]]:
    """`add_fault(tenant, operation="create user", status=500, times=1)`."""

    def add(tenant: Tenant, **spec: Any) -> dict[str, Any]:
        response = client.post(f"/_sandbox/tenants/{tenant.id}/faults", json=spec,
                               headers=admin_headers())
        assert response.status_code == 201, response.get_data(as_text=True)
        return response.get_json()

    return add
