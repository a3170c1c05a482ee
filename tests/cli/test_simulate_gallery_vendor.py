"""`scim-sandbox simulate` takes a gallery app's vendor from a sandbox Tenant URL (its first
path segment) and `--vendor` takes any catalog id, so a gallery tenant is provisioned with
its own attribute table; finding the vendor builds only that app's profile."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner

from sandbox import create_app
from sandbox.cli.simulate import simulate
from sandbox.testing.server import LiveServer
from sandbox.vendors.catalog import Catalog
from sandbox.vendors.vendor_search import url_candidates


@pytest.fixture(scope="module")
def live() -> Iterator[tuple[LiveServer, Any]]:
    app = create_app({"admin_token": "admin-secret", "demo_vendors": ["asana"]})
    server = LiveServer(app)
    yield server, app
    server.stop()


def test_the_vendor_is_the_gallery_app_the_url_names(live):
    live, app = live
    tenant = app.extensions["scim_sandbox"].tenant("asana-demo")
    result = CliRunner().invoke(simulate, ["--tenant-url", live.url + tenant.path, "--token",
                                           tenant.token, "--users", "3"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Vendor: asana (Asana), taken from the Tenant URL" in result.output
    assert "Test Connection: Success." in result.output and "Failure" not in result.output
    assert tenant.counts()["User"] == 3


def test_url_candidates_build_only_the_app_the_url_names(built_gallery_profiles):
    built = built_gallery_profiles
    catalog = Catalog.load()
    assert list(url_candidates(catalog, "http://h:1/miro/api/v1/scim")) == ["miro"]
    assert list(url_candidates(catalog, "http://h:1/olfeo/x/scim/v2")) == list(
        catalog.hand_written())
    assert list(url_candidates(catalog, "http://h:1/docusign/x")) == list(
        catalog.hand_written())
    assert built == ["miro"]


def test_an_unknown_vendor_names_close_ids():
    result = CliRunner().invoke(simulate, ["--tenant-url", "http://127.0.0.1:9/scim",
                                           "--token", "t", "--vendor", "asanna"])
    assert result.exit_code == 2
    assert "unknown vendor 'asanna'" in result.output and "asana" in result.output
