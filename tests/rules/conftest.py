"""Fixtures for the rule kinds' tests: an app that loads one test profile per rule kind
(`profiles/<kind>.toml`, tenant URLs under /rules/), tenants of them, and a clock a test
moves by hand.

Every behaviour is exercised through the public HTTP interface, as a provisioning client
meets it: the admin API makes the tenant, SCIM requests go to its Tenant URL.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from scim_client import ADMIN_TOKEN, Tenant, make_app, new_tenant

from sandbox.http import install_http
from sandbox.service import TenantRegistry
from sandbox.service.limits import Limits
from sandbox.vendors import bundled_vendors_dir, load_profiles

PROFILES = Path(__file__).resolve().parent / "profiles"


def vendor_of(kind: str) -> str:
    """The id of the test profile for a rule kind: `max_length` → `rule-max-length`."""
    return "rule-" + kind.replace("_", "-")


class ManualClock:
    """A clock that stands still until a test moves it."""

    def __init__(self) -> None:
        self.now = datetime(2030, 1, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def app() -> Flask:
    return make_app(vendors_dirs=[PROFILES])


@pytest.fixture
def rule_tenant(client: FlaskClient) -> Callable[..., Tenant]:
    """`rule_tenant("max_length")`: a fresh tenant of that rule kind's test profile."""
    return lambda kind, **fields: new_tenant(client, vendor_of(kind), **fields)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def clocked_client(clock: ManualClock) -> FlaskClient:
    """A test client of an app whose tenants read time from `clock`."""
    registry = TenantRegistry(load_profiles(bundled_vendors_dir(), PROFILES), clock=clock)
    app = Flask("rules-clocked")
    install_http(app, registry, admin_token=ADMIN_TOKEN, public_url=None,
                 max_body_bytes=1 << 20, limits=Limits())
    return app.test_client()


@pytest.fixture
def make_tenant_of(client: FlaskClient) -> Callable[[str], Tenant]:
    """A tenant of any loaded profile by its id, e.g. the bundled `generic` (no rules)."""
    return lambda vendor: new_tenant(client, vendor)
