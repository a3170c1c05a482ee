"""pytest fixtures for testing SCIM clients against the sandbox (entry point `pytest11`).

    def test_disables_leavers(scim_tenant):
        tenant = scim_tenant("olfeo", seed_users=5)
        my_sync(tenant.url, tenant.token)            # or tenant.client.patch(...)
        tenant.assert_received("disable user", userName="ann")

- `scim_sandbox` (session): one app per session (per xdist worker), a `ScimSandbox`.
- `scim_tenant` (function): a factory of fresh tenants (`SandboxTenant`), deleted at teardown.
  In process by default (the client is a WSGI call); `live=True`, or `--scim-sandbox-live` for
  every tenant, serves it on a free 127.0.0.1 port for clients that need a real URL.
- `scim_clock` (function): the sandbox's clock (`ScimClock`: `freeze(at)`, `advance(seconds)`,
  `release()`, `now`); real time comes back when the test ends.
- `scim_sandbox_config` (session): override it to pass `create_app` settings.
- `scim_sandbox_container` (session): the Docker image running on a loopback port (skips
  with the reason when there is no daemon or no image).

pytest imports this module in every run of every project that has us installed, so it
imports only pytest: Flask and the app load inside the fixtures, when a test asks for them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from sandbox.testing import ScimClock, ScimSandbox, TenantFactory
    from sandbox.testing.containers import SandboxContainer

LIVE_OPTION = "--scim-sandbox-live"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("scim-sandbox").addoption(
        LIVE_OPTION, action="store_true", default=False,
        help="serve every scim_tenant on a free 127.0.0.1 port (a real URL) instead of in "
             "process",
    )


@pytest.fixture(scope="session")
def scim_sandbox_config() -> dict[str, Any]:
    """`create_app` settings for the session's sandbox; override to add some, e.g.
    `{"vendors_dirs": ["tests/vendor_profiles"]}`."""
    return {}


@pytest.fixture(scope="session")
def scim_sandbox(scim_sandbox_config: dict[str, Any]) -> Iterator[ScimSandbox]:
    """The session's sandbox: `.app`, `.registry`, `.tenant(vendor, ...)`, `.live_url`."""
    from sandbox.testing import ScimSandbox

    sandbox = ScimSandbox.start(scim_sandbox_config)
    try:
        yield sandbox
    finally:
        sandbox.close()


@pytest.fixture
def scim_tenant(scim_sandbox: ScimSandbox, request: pytest.FixtureRequest,
                ) -> Iterator[TenantFactory]:
    """`scim_tenant(vendor="generic", *, seed_users=0, seed_groups=0, seed=0, live=None,
    token=None, slug=None, **credentials)` → a fresh `SandboxTenant`; all are deleted after
    the test. Its `client` authenticates as the vendor's auth kind asks (bearer, Basic, or
    an OAuth access token it fetches); `tenant.credentials` are what Entra would be given."""
    from sandbox.testing import TenantFactory

    factory = TenantFactory(scim_sandbox, live=request.config.getoption(LIVE_OPTION))
    try:
        yield factory
    finally:
        factory.close()


@pytest.fixture
def scim_clock(scim_sandbox: ScimSandbox) -> Iterator[ScimClock]:
    """The sandbox's clock, which every tenant reads (meta times, token expiry and grace,
    OAuth token lifetimes, rate-limit windows): `scim_clock.freeze("2030-01-01T00:00:00Z")`,
    `scim_clock.advance(3600)`, `scim_clock.release()`, `scim_clock.now`. Released (real
    time again) when the test ends, pass or fail."""
    clock = scim_sandbox.clock
    try:
        yield clock
    finally:
        clock.release()


@pytest.fixture(scope="session")
def scim_sandbox_container() -> Iterator[SandboxContainer]:
    """A running scim-sandbox container (image: $SCIM_SANDBOX_IMAGE, else
    scim-sandbox:latest) for the session; skips, saying why, when no Docker daemon or image
    is there. Needs the `docker` extra."""
    from sandbox.testing.containers import sandbox_container_fixture

    yield from sandbox_container_fixture()
