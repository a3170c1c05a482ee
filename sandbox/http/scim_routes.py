"""Every tenant's SCIM endpoints: one URL rule per hand-written profile, one rule for every
gallery app (by its first path segment), one dispatcher below them.

A request goes one way: the dispatcher makes its `ScimExchange`, the journal wraps it
(`recording`), the token is checked (`auth`), a fault may answer, and the route table
(`routing`) picks the view that calls the tenant service.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, Response, current_app, request

from sandbox.http.auth import authenticate
from sandbox.http.exchange import ScimExchange
from sandbox.http.gallery_routes import gallery_target, register_gallery_routes
from sandbox.http.recording import injected_fault, recorded
from sandbox.http.routing import resolve
from sandbox.service import TenantRegistry
from sandbox.vendors import Profile
from sandbox.vendors.catalog import Catalog

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]
PUBLIC_URL = "SCIM_SANDBOX_PUBLIC_URL"  # app.config key: the absolute root, or None
_URL_ROOTS = "scim_sandbox_url_roots"  # app.extensions key: url_root per environ (below)
_MAX_URL_ROOTS = 256  # distinct Host headers remembered; a client sending more costs time


def flask_rule(profile: Profile) -> str:
    """`/visitly/{tenant}/scim` → `/visitly/<tenant_key>/scim`."""
    return re.sub(r"\{(tenant|slug)\}", "<tenant_key>", profile.tenant_url)


def register_scim_routes(app: Flask, registry: TenantRegistry) -> None:
    """Two rules per hand-written profile: its tenant URL, and everything below it; a
    catalog's gallery apps share two rules, so no gallery profile is built at start."""
    app.extensions[_URL_ROOTS] = {}
    profiles = registry.profiles
    if isinstance(profiles, Catalog):
        register_gallery_routes(app, profiles, dispatch_gallery, METHODS)
        profiles = profiles.hand_written()
    for profile in profiles.values():
        rule = flask_rule(profile)
        defaults: dict[str, Any] = {"vendor": profile.id}
        if "<tenant_key>" not in rule:
            defaults["tenant_key"] = None
        # No automatic OPTIONS: it would answer without auth and outside the SCIM error format.
        app.add_url_rule(rule, f"scim_root_{profile.id}", dispatch, methods=METHODS,
                         defaults={**defaults, "scim_path": ""},
                         provide_automatic_options=False)
        app.add_url_rule(rule + "/<path:scim_path>", f"scim_{profile.id}", dispatch,
                         methods=METHODS, defaults=defaults, provide_automatic_options=False)


def dispatch(vendor: str, tenant_key: str | None = None, scim_path: str = "") -> Response:
    registry: TenantRegistry = current_app.extensions["scim_sandbox"]
    # HEAD is GET without a body (RFC 9110 §9.3.2); Werkzeug drops the body for us.
    method = "GET" if request.method == "HEAD" else request.method
    exchange = ScimExchange(vendor, tenant_key, [s for s in scim_path.split("/") if s], method)
    return recorded(exchange, lambda: _serve(registry, exchange))


def dispatch_gallery(app_id: str, rest: str = "") -> Response:
    """A request below a gallery app's `/<id>`: its Tenant URL read, then as `dispatch`."""
    registry: TenantRegistry = current_app.extensions["scim_sandbox"]
    vendor, tenant_key, scim_path = gallery_target(registry.profiles, app_id, rest)
    return dispatch(vendor, tenant_key, scim_path)


def _serve(registry: TenantRegistry, exchange: ScimExchange) -> Response:
    tenant = exchange.tenant = authenticate(registry, exchange)
    tenant.check_access()
    faulted = injected_fault(exchange)
    if faulted is not None:
        return faulted
    root = current_app.config[PUBLIC_URL] or _url_root()
    exchange.base_url = root.rstrip("/") + tenant.path
    view, found = resolve(exchange)
    return view(exchange, found)


def _url_root() -> str:
    """`request.url_root`, remembered per scheme, host and script root: Werkzeug rebuilds it
    from the environ (IRI decoding and all) each time, and nearly every SCIM answer needs it
    for `location`s."""
    known: dict[tuple[Any, ...], str] = current_app.extensions[_URL_ROOTS]
    environ = request.environ
    key = (environ.get("wsgi.url_scheme"), environ.get("HTTP_HOST"),
           environ.get("SERVER_NAME"), environ.get("SERVER_PORT"),
           environ.get("SCRIPT_NAME"), environ.get("HTTP_X_FORWARDED_HOST"))
    root = known.get(key)
    if root is None:
        if len(known) >= _MAX_URL_ROOTS:
            known.clear()
        root = known[key] = request.url_root
    return root
