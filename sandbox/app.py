"""`create_app(config)`: one self-contained sandbox per call, no module-level state.

The composition root: it reads the settings, builds the service (profiles, store, tenant
registry, demo tenants) and puts the HTTP edge and the console on one Flask app. It is the
one module that knows every layer; the layers below know only those beneath them.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from flask import Flask

from sandbox.config import SandboxConfig
from sandbox.console import console_blueprint
from sandbox.http import install_http
from sandbox.service import TenantRegistry
from sandbox.service.indexes import INDEXES
from sandbox.service.limits import Limits
from sandbox.service.registry import token_problem
from sandbox.store import Store
from sandbox.vendors.catalog import Catalog
from sandbox.vendors.vendor_search import unknown_vendor_detail


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
    # Every vendor id is known now; a gallery app's profile is built on its first use.
    profiles = Catalog.load(*config.vendors_dirs)
    if config.vendors_dirs:
        profiles.check_urls()  # the user's vendors against the gallery's (shipped ones agree)
    for vendor in config.demo_vendors:
        if vendor not in profiles:
            raise ValueError(unknown_vendor_detail(profiles, vendor))
    limits = Limits(config.max_filter_length, config.max_filter_terms,
                    config.max_patch_operations, config.max_json_depth)
    # A data file makes the store durable: its tenants and resources come back on restart.
    store = Store.open(config.data_file, indexes=INDEXES) if config.data_file else None
    try:
        registry = TenantRegistry(profiles, store, journal_size=config.journal_size,
                                  max_fault_delay_ms=config.max_fault_delay_ms, limits=limits)
        if config.demo_tenants:
            demo = [*profiles.hand_written(), *profiles.from_folders(), *config.demo_vendors]
            _ensure_demo_tenants(registry, list(dict.fromkeys(demo)), config.demo_token)
    except BaseException:
        if store is not None:
            store.close(compact=False)  # let go of the file's lock; nothing was served
        raise
    admin_token = config.admin_token or secrets.token_urlsafe(24)

    app = Flask("sandbox")
    install_http(app, registry, admin_token=admin_token, public_url=config.public_url,
                 max_body_bytes=config.max_body_bytes, limits=limits)
    app.config["SCIM_SANDBOX_ADMIN_TOKEN"] = admin_token  # for the test helpers' admin client
    app.config["SCIM_SANDBOX_CONFIG"] = config
    # The console's sign-in lives in a signed cookie; a new key per app signs everyone out
    # on restart, which is what a test double should do.
    app.secret_key = secrets.token_bytes(32)
    app.register_blueprint(console_blueprint(registry, admin_token, config.public_url))
    return app


def _ensure_demo_tenants(registry: TenantRegistry, vendors: list[str],
                         token: str | None) -> None:
    """One `<vendor>-demo` tenant per vendor given (the hand-written profiles, the user's
    folders' vendors and the demo vendors asked for; not the whole gallery). Those a data
    file kept from a previous run keep their users and groups; a token given now replaces
    the stored one, since whoever passes `--token` on this start pastes that token into
    their client."""
    for vendor in vendors:
        tenant_id = f"{vendor}-demo"
        kept = registry.tenant(tenant_id)
        if kept is None:
            registry.create_tenant(vendor, token=token, tenant_id=tenant_id)
        elif token is not None and not registry.token_matches(kept, token):
            registry.replace_token(tenant_id, token)
