"""What every simulator page needs from the request: the visitor's simulation, where a
Tenant URL's requests go (into this app, or over the network), and which vendor and tenant
of this sandbox the URL names."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote, urlsplit

from flask import current_app, request, session
from werkzeug.exceptions import HTTPException

from sandbox.console import access
from sandbox.console.context import console_context
from sandbox.console.simulations import Simulation
from sandbox.console.simulator_input import same_origin
from sandbox.entra import Transport, split_flags, urllib_transport, wsgi_transport
from sandbox.entra.tenant_vendor import vendor_of_url
from sandbox.service import TenantService
from sandbox.vendors import Profile
from sandbox.vendors.vendor_search import url_candidates

SESSION_KEY = "console_simulation"
REMOTE_TIMEOUT = 10.0  # seconds per request to an endpoint elsewhere; Entra gives up too


def simulation() -> Simulation:
    """The visitor's simulation (a new one on the first visit or once it was dropped)."""
    found = console_context().simulations.get_or_create(session.get(SESSION_KEY))
    session[SESSION_KEY] = found.id
    return found


def origins() -> list[str]:
    public_url = console_context().public_url
    return [request.host_url, *([public_url] if public_url else [])]


def local(tenant_url: str) -> bool:
    return same_origin(tenant_url, origins())


def transport_for(tenant_url: str) -> Transport:
    """Requests to this very server go straight into the app (a server with one worker
    would otherwise wait on itself); anything else goes over the network."""
    if local(tenant_url):
        return wsgi_transport(current_app._get_current_object())  # type: ignore[attr-defined]
    return urllib_transport(timeout=REMOTE_TIMEOUT)


def vendor_for(tenant_url: str) -> tuple[Profile | None, TenantService | None]:
    """The vendor, and the sandbox tenant, when the URL is one of this sandbox's: the
    vendor by its Tenant URL template; the tenant by the app's own URL rules (None when the
    URL names no tenant, as a vendor that finds tenants by their token)."""
    if not tenant_url or not local(tenant_url):
        return None, None
    sandbox = console_context().sandbox
    profile = vendor_of_url(tenant_url, url_candidates(sandbox.profiles, tenant_url))
    if profile is None:
        return None, None
    path = unquote(urlsplit(split_flags(tenant_url)[0]).path).rstrip("/")
    try:
        _, found = current_app.url_map.bind("sandbox.invalid").match(path, method="GET")
    except HTTPException:
        return profile, None
    if found.get("vendor") != profile.id or not found.get("tenant_key"):
        return profile, None
    return profile, sandbox.tenant_for_url(profile.id, found["tenant_key"])


def request_data() -> Mapping[str, Any]:
    """The form, or the JSON body the page's script sends."""
    if request.is_json:
        body = request.get_json(silent=True)
        return body if isinstance(body, dict) else {}
    return request.form


def wants_json() -> bool:
    return request.is_json or access.wants_json()
