"""Browser tests of the training console: Playwright for Python driving Debian's Chromium.

The console is served by a real app on a loopback port (waitress in a thread), so the page's
fetches, forms and redirects are exactly a browser's. Screenshots go to
`test-artifacts/console/` at the repository root.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from console_support import ADMIN_TOKEN, ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS

from sandbox.app import create_app
from sandbox.testing.server import LiveServer


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the session; skipped (failed under CI) when it is missing."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        message = f"no Chromium at {CHROMIUM} (apt-get install -y chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                              headless=True)
        yield launched
        launched.close()


@pytest.fixture()
def console_app() -> Any:
    """A fresh sandbox app (demo tenants included) for one test."""
    return create_app({"admin_token": ADMIN_TOKEN})


@pytest.fixture()
def signed_in(console_app: Any) -> tuple[Any, Any, str]:
    """(the TenantRegistry service, a Flask test client signed in to the console, its form token),
    for console tests that need no browser."""
    client = console_app.test_client()
    client.post("/console/login", data={"admin_token": ADMIN_TOKEN})
    with client.session_transaction() as session:
        csrf = session["console_csrf"]
    return console_app.extensions["scim_sandbox"], client, csrf


@pytest.fixture()
def simulator_for(signed_in: tuple[Any, Any, str]) -> Any:
    """`simulator_for("velpic", users=5)`: (a fresh tenant of that vendor, the signed-in
    client, its form token), with the simulator's settings saved for the tenant and a
    directory of that many users."""
    from simulator_client import new_directory, save

    sandbox, client, csrf = signed_in

    def make(vendor: str, users: int) -> tuple[Any, Any, str]:
        tenant = sandbox.create_tenant(vendor)
        save(client, csrf, tenant)
        new_directory(client, csrf, users=users)
        return tenant, client, csrf

    return make


@pytest.fixture()
def console_server(console_app: Any) -> Iterator[LiveServer]:
    server = LiveServer(console_app)
    yield server
    server.stop()


@pytest.fixture()
def page(browser: Any, console_server: LiveServer) -> Iterator[Any]:
    """A browser tab on the console, already signed in with the admin token."""
    context = browser.new_context(base_url=console_server.url,
                                  viewport={"width": 1366, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    tab.goto("/console/login")
    tab.get_by_label("Admin token").fill(ADMIN_TOKEN)
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_url(re.compile(r".*/$"))
    yield tab
    context.close()


@pytest.fixture()
def anonymous_page(browser: Any, console_server: LiveServer) -> Iterator[Any]:
    """A browser tab that has not signed in."""
    context = browser.new_context(base_url=console_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


@pytest.fixture()
def screenshot(request: pytest.FixtureRequest) -> Callable[[Any, str], Path]:
    """`screenshot(page, "velpic-setup")` saves a full-page PNG under test-artifacts/console."""

    def take(tab: Any, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        tab.screenshot(path=str(path), full_page=True)
        return path

    return take
