"""Fixtures every test folder may use; the helpers behind them are in `scim_client.py`."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from scim_client import admin_headers, assert_scim_error, make_app

import sandbox.vendors.catalog as catalog_module
import sandbox.vendors.gallery_profile as gallery_profile


@pytest.fixture
def app() -> Flask:
    return make_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def admin() -> dict[str, str]:
    return admin_headers()


@pytest.fixture
def scim_error() -> Callable[..., dict]:
    """`scim_error(response, status, scim_type=None)` asserts a SCIM error and returns it."""
    return assert_scim_error


@pytest.fixture
def app_factory() -> Callable[..., Flask]:
    """`app_factory(max_body_bytes=2000)`: an app with settings on top of the test defaults."""
    return make_app


@pytest.fixture
def built_gallery_profiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the gallery profiles built from now on, in order (the catalog's cache of
    built profiles is emptied first, so a profile built earlier counts again)."""
    built: list[str] = []
    real = gallery_profile.profile_from_record
    monkeypatch.setattr(gallery_profile, "profile_from_record",
                        lambda record, source: built.append(record["id"]) or real(record,
                                                                                  source))
    catalog_module._built.cache_clear()
    return built
