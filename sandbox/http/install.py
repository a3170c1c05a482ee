"""Putting the HTTP edge on an app: settings, SCIM routes, the admin API, the tenants' OAuth
endpoints, error handlers."""

from __future__ import annotations

import logging

from flask import Flask, Response
from werkzeug.exceptions import HTTPException

from sandbox.http.admin_routes import admin_api
from sandbox.http.admin_snapshot_routes import sandbox_snapshot  # noqa: F401 (its views)
from sandbox.http.auth import ADMIN_TOKEN_DIGEST
from sandbox.http.oauth_routes import oauth_api
from sandbox.http.openapi_routes import openapi_api
from sandbox.http.request_costs import spare_per_request_costs
from sandbox.http.responses import INTERNAL_ERROR, LIMITS, error_response, http_error_response
from sandbox.http.scim_routes import PUBLIC_URL, register_scim_routes
from sandbox.scim.errors import ScimError
from sandbox.service import TenantRegistry
from sandbox.service.limits import Limits
from sandbox.service.tokens import token_digest

log = logging.getLogger("sandbox")


def install_http(app: Flask, registry: TenantRegistry, *, admin_token: str,
                 public_url: str | None, max_body_bytes: int, limits: Limits) -> None:
    """Serve `registry`'s tenants and the admin API on `app`; call before any other rule."""
    spare_per_request_costs(app)  # before any rule is added
    # Werkzeug would answer `//Users` with an HTML redirect; a SCIM client gets SCIM answers.
    app.url_map.merge_slashes = False
    app.config["MAX_CONTENT_LENGTH"] = max_body_bytes
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions["scim_sandbox"] = registry
    app.config[ADMIN_TOKEN_DIGEST] = token_digest(admin_token)
    app.config[PUBLIC_URL] = public_url
    app.config[LIMITS] = limits
    register_scim_routes(app, registry)
    app.register_blueprint(admin_api)
    app.register_blueprint(oauth_api)  # each OAuth tenant's token endpoint and consent page
    app.register_blueprint(openapi_api)  # GET /_sandbox/openapi.json, without the admin token
    _register_error_handlers(app)


def _register_error_handlers(app: Flask) -> None:
    """Every error, wherever it is raised, answers as a SCIM error body."""
    app.register_error_handler(ScimError, error_response)
    app.register_error_handler(HTTPException, http_error_response)
    app.register_error_handler(Exception, _unexpected)


def _unexpected(error: Exception) -> Response:
    log.exception("unhandled error")
    return error_response(ScimError(500, INTERNAL_ERROR))
