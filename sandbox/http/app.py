"""`create_app(config)`: one self-contained sandbox per call, no module-level state."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response
from werkzeug.exceptions import HTTPException

from sandbox.config import SandboxConfig
from sandbox.console import console_blueprint
from sandbox.http.admin_routes import admin_blueprint
from sandbox.http.auth import admin_auth, tenant_auth
from sandbox.http.request_costs import spare_per_request_costs
from sandbox.http.responses import INTERNAL_ERROR, error_response, http_error_response
from sandbox.http.scim_routes import register_scim_routes
from sandbox.scim.errors import ScimError
from sandbox.service import TenantRegistry
from sandbox.service.indexes import INDEXES
from sandbox.service.limits import Limits
from sandbox.service.registry import token_problem
from sandbox.store import Store
from sandbox.vendors import bundled_vendors_dir, load_profiles

log = logging.getLogger("sandbox")


def create_app(config: SandboxConfig | Mapping[str, Any] | None = None) -> Flask:
    """A Flask app serving every vendor profile's tenants and the admin API."""
    if config is None:
        config = SandboxConfig()
    elif not isinstance(config, SandboxConfig):
        config = SandboxConfig.from_mapping(config)
    # Settings are checked before the data file is opened, so a refused one leaves it as it was.
    if config.journal_size < 1 or config.max_fault_delay_ms < 0:
        raise ValueError("journal_size must be at least 1 and max_fault_delay_ms not negative")
    if config.demo_token is not None and token_problem(config.demo_token):
        raise ValueError(f"demo_token: {token_problem(config.demo_token)}")
    profiles = load_profiles(bundled_vendors_dir(), *config.vendors_dirs)
    limits = Limits(config.max_filter_length, config.max_filter_terms,
                    config.max_patch_operations, config.max_json_depth)
    # A data file makes the store durable: its tenants and resources come back on restart.
    store = Store.open(config.data_file, indexes=INDEXES) if config.data_file else None
    try:
        sandbox = TenantRegistry(profiles, store, journal_size=config.journal_size,
                          max_fault_delay_ms=config.max_fault_delay_ms, limits=limits)
        if config.demo_tenants:
            _ensure_demo_tenants(sandbox, config.demo_token)
    except BaseException:
        if store is not None:
            store.close(compact=False)  # let go of the file's lock; nothing was served
        raise
    admin_token = config.admin_token or secrets.token_urlsafe(24)

    app = Flask("sandbox")
    spare_per_request_costs(app)  # before any rule is added
    # Werkzeug would answer `//Users` with an HTML redirect; a SCIM client gets SCIM answers.
    app.url_map.merge_slashes = False
    app.config["MAX_CONTENT_LENGTH"] = config.max_body_bytes
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions["scim_sandbox"] = sandbox
    app.config["SCIM_SANDBOX_ADMIN_TOKEN"] = admin_token
    app.config["SCIM_SANDBOX_CONFIG"] = config
    app.config["SCIM_SANDBOX_LIMITS"] = limits

    register_scim_routes(app, sandbox, tenant_auth(sandbox), config.public_url)
    app.register_blueprint(admin_blueprint(sandbox, admin_auth(admin_token), config.public_url))
    # The console's sign-in lives in a signed cookie; a new key per app signs everyone out
    # on restart, which is what a test double should do.
    app.secret_key = secrets.token_bytes(32)
    app.register_blueprint(console_blueprint(sandbox, admin_token, config.public_url))
    _register_error_handlers(app)
    return app


def _ensure_demo_tenants(sandbox: TenantRegistry, token: str | None) -> None:
    """One `<vendor>-demo` tenant per profile. Those a data file kept from a previous run keep
    their users and groups; a token given now replaces the stored one, since whoever passes
    `--token` on this start pastes that token into their client."""
    for profile in sandbox.profiles.values():
        tenant_id = f"{profile.id}-demo"
        kept = sandbox.tenant(tenant_id)
        if kept is None:
            sandbox.create_tenant(profile.id, token=token, tenant_id=tenant_id)
        elif token is not None and not sandbox.token_matches(kept, token):
            sandbox.replace_token(tenant_id, token)


def _register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ScimError)
    def scim_error(error: ScimError) -> Response:
        return error_response(error)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        return http_error_response(error)

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Response:
        log.exception("unhandled error")
        return error_response(ScimError(500, INTERNAL_ERROR))
