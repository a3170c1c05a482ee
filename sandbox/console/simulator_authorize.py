"""**Authorize** on the simulated Provisioning page, for a vendor an admin authorizes (OAuth
2.0 authorization code grant), as Entra's button does for gallery apps such as Slack.

1. `simulator_authorize` (the button, a form post) saves what is on the page, checks that the
   Tenant URL is one of this sandbox's tenants of such a vendor, and sends the admin to that
   tenant's consent page with a fresh `state` and a redirect URI back to the console. The
   OAuth client is the tenant's, which stands for the one Entra's gallery app registered.
2. `simulator_authorized` (the redirect URI) takes the consent page's answer: the `state`
   must be the one sent, else nothing happens (RFC 6749 §10.12); the code is exchanged at the
   tenant's token URL, and the tokens stay in the simulation's memory, never shown, never
   logged. The page then says "Authorized".
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from flask import Response, flash, redirect, request, url_for

from sandbox.console.context import console_context
from sandbox.console.routing import Route
from sandbox.console.simulation_state import Authorization, PendingAuthorization
from sandbox.console.simulator_context import (
    request_data,
    simulation,
    transport_for,
    vendor_for,
)
from sandbox.console.simulator_input import SimulationError, check_tenant_url
from sandbox.console.simulator_settings import AUTHORIZATION_CODE, settings_from
from sandbox.entra.authorization import AuthorizationError, consent_url, exchange_code

_BACK = "console.simulator"


def simulator_authorize() -> Response:
    sim = simulation()
    try:
        settings = settings_from(request_data())
        sim.save(settings)
        pending, authorize_url = _authorize(check_tenant_url(settings.tenant_url))
    except SimulationError as error:
        flash(f"Not authorized: {error}", "error")
        return redirect(url_for(_BACK) + "#provisioning")
    sim.begin_authorization(pending)
    return redirect(consent_url(authorize_url, pending.client_id, pending.redirect_uri,
                                pending.state))


def _authorize(tenant_url: str) -> tuple[PendingAuthorization, str]:
    """A new Authorize for this Tenant URL, and the consent page's address; SimulationError
    when the URL is not a tenant of this sandbox whose vendor an admin authorizes."""
    profile, tenant = vendor_for(tenant_url)
    if profile is None or profile.auth.kind != AUTHORIZATION_CODE:
        raise SimulationError("Authorize works for this sandbox's tenants of a vendor that an "
                              "admin authorizes (OAuth 2.0 authorization code grant); "
                              + (f"{profile.name} uses {profile.auth.kind} credentials."
                                 if profile else "this Tenant URL is not one of them."))
    if tenant is None:
        raise SimulationError(f"The Tenant URL names no {profile.name} tenant of this "
                              "sandbox. Copy it from the vendor's setup screen.")
    root = console_context().root_url()
    given = tenant.credentials(root)
    pending = PendingAuthorization(
        secrets.token_urlsafe(24), tenant_url, tenant.id,
        root + url_for("console.simulator_authorized"), given["token_url"],
        given["client_id"], given["client_secret"])
    return pending, given["authorize_url"]


def simulator_authorized() -> Response:
    """The consent page's answer: `code` and `state`, or `error` and `state`."""
    sim = simulation()
    pending = sim.finish_authorization(request.args.get("state", ""))
    if pending is None:
        flash("Not authorized: this answer does not belong to the Authorize you started "
              "(its state is not the one sent). Nothing was stored; select Authorize again.",
              "error")
        return redirect(url_for(_BACK) + "#provisioning")
    if request.args.get("error"):
        flash("Not authorized: the consent page answered "
              f"{request.args.get('error', '')[:80]!r}. Select Authorize to try again.",
              "error")
        return redirect(url_for(_BACK) + "#provisioning")
    try:
        tokens = exchange_code(transport_for(pending.tenant_url), pending.token_url,
                               pending.client_id, pending.client_secret,
                               request.args.get("code", ""), pending.redirect_uri)
    except AuthorizationError as error:
        flash(f"Not authorized: {error}", "error")
        return redirect(url_for(_BACK) + "#provisioning")
    sim.keep_authorization(Authorization(
        pending.tenant_url, pending.tenant_id, pending.token_url, pending.client_id,
        pending.client_secret, tokens.access_token, tokens.refresh_token,
        datetime.now(UTC).isoformat(timespec="seconds"), tokens.expires_at))
    flash(f"Authorized: the application granted access to tenant {pending.tenant_id}. "
          "Test Connection and Start provisioning use it.", "ok")
    return redirect(url_for(_BACK) + "#provisioning")


ROUTES = (
    Route("/console/simulator/authorize", simulator_authorize, ("POST",)),
    Route("/console/simulator/authorized", simulator_authorized),
)
