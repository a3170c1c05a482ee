"""Fixtures for the auth kinds: an app with one test profile per auth kind and token rule
(`profiles/`); the helpers that speak to it over HTTP are in `auth_support.py`."""

from __future__ import annotations

import pytest
from auth_support import PROFILES
from flask import Flask
from flask.testing import FlaskClient
from scim_client import make_app


@pytest.fixture
def app() -> Flask:
    return make_app(vendors_dirs=(PROFILES,))


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()

