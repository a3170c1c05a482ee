"""The Entra-side provisioning simulator's pages, over `sandbox.entra`.

Handlers parse the form, call the simulation (`simulations.py`, plain Python) or the engine,
and render. The simulations are kept in the app's memory (`console_context().simulations`),
each visitor's under an id in the session.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

from flask import (
    Response,
    current_app,
    flash,
    get_flashed_messages,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from sandbox.console import access
from sandbox.console.context import console_context
from sandbox.console.routing import Route
from sandbox.console.simulation_state import Mappings, Settings, mappings_for
from sandbox.console.simulations import GROUPS_RANGE, LOCALES, USERS_RANGE, Simulation
from sandbox.console.simulator_input import (
    SimulationError,
    check_tenant_url,
    check_token,
    same_origin,
    vendor_of,
)
from sandbox.entra import (
    DEFAULT_ACCESS,
    ProvisioningConfig,
    ProvisioningEngine,
    Transport,
    urllib_transport,
    wsgi_transport,
)
from sandbox.vendors import Profile

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


def vendor_for(tenant_url: str) -> tuple[Profile | None, str | None]:
    """The vendor (and sandbox tenant id) when the URL is one of this sandbox's tenants."""
    if not tenant_url or not local(tenant_url):
        return None, None
    sandbox = console_context().sandbox
    found = vendor_of(tenant_url, sandbox.profiles)
    if found is None:
        return None, None
    profile, key = found
    tenant = sandbox.tenant_for_url(profile.id, key)
    return profile, tenant.id if tenant is not None else None


def mappings_view(tenant_url: str) -> dict[str, Any]:
    profile, tenant_id = vendor_for(tenant_url)
    mappings: Mappings = mappings_for(profile)
    return {"mappings": mappings, "profile": profile, "tenant_id": tenant_id}


def simulator_page(sim: Simulation) -> dict[str, Any]:
    """What the page shows of the simulation, read under its lock in one go."""
    with sim.lock:
        settings = sim.settings
        shown_url, shown_token = settings.tenant_url, settings.token
        asked = request.args.get("tenant_url", "").strip()
        if asked and asked != settings.tenant_url:
            # A link from a vendor's setup screen carries the URL only, never a token.
            shown_url, shown_token = asked, ""
        return {
            "sim": sim, "settings": settings, "shown_url": shown_url,
            "shown_token": shown_token, "cycles": list(reversed(sim.cycles)),
            "users": list(sim.directory.users), "groups": list(sim.directory.groups),
            "spec": dict(sim.directory_spec), "pending": list(sim.pending_changes),
            "progress": sim.progress.to_dict(),
        }


def simulator() -> str:
    page = simulator_page(simulation())
    names = {u.objectId: u.displayName for u in page["users"]}
    member_names = {g.objectId: [names[m] for m in g.members if m in names]
                    for g in page["groups"]}
    return render_template(
        "console/simulator.html", **page, **mappings_view(page["shown_url"]),
        member_names=member_names, unquote=unquote,
        default_access=DEFAULT_ACCESS, users_range=USERS_RANGE, groups_range=GROUPS_RANGE,
        locales=LOCALES, messages=get_flashed_messages(with_categories=True))


def simulator_mappings() -> Response:
    html = render_template("console/simulator_mappings.html",
                           **mappings_view(request.args.get("tenant_url", "").strip()))
    return jsonify({"html": html})


def simulator_test_connection() -> tuple[Response, int]:
    data = _data()
    try:
        tenant_url = check_tenant_url(str(data.get("tenant_url", "")))
        token = check_token(str(data.get("token", "")))
    except SimulationError as error:
        return jsonify({"ok": False, "message": str(error), "input_error": True}), 400
    flags = _flags(data)
    config = ProvisioningConfig.from_tenant_url(tenant_url, token, flags=flags)
    result = ProvisioningEngine(config, transport_for(tenant_url)).test_connection()
    profile, tenant_id = vendor_for(tenant_url)
    return jsonify({**result.to_dict(), "vendor": profile.name if profile else None,
                    "tenant": tenant_id}), 200


def simulator_save() -> Response:
    try:
        simulation().save(_settings(_data()))
        flash("Saved. The provisioning settings are in effect for the next cycle.", "ok")
    except SimulationError as error:
        flash(f"Not saved: {error}", "error")
    return redirect(url_for("console.simulator"))


def simulator_start() -> Response | tuple[Response, int]:
    sim = simulation()
    try:
        if request.form or request.is_json:  # the page sends what is on screen
            sim.save(_settings(_data()))
        url = sim.settings.tenant_url
        profile, _ = vendor_for(url)
        transport = transport_for(check_tenant_url(url))
        number = sim.start_cycle(transport, profile)
    except SimulationError as error:
        if _wants_json():
            return jsonify({"started": False, "message": str(error)}), 409
        flash(str(error), "error")
        return redirect(url_for("console.simulator"))
    if _wants_json():
        return jsonify({"started": True, "cycle": number}), 202
    return redirect(url_for("console.simulator") + "#progress")


def simulator_progress() -> Response:
    sim = simulation()
    with sim.lock:
        body = sim.progress.to_dict()
        last = sim.last_cycle
        body["last_cycle"] = last.number if last else None
        body["last_error"] = last.error if last else None
    return jsonify(body)


def simulator_directory() -> Response:
    form = request.form
    try:
        simulation().new_directory(_int(form, "users"), _int(form, "groups"),
                                   _int(form, "seed"), form.get("locale", "en_US"))
        flash("The source directory was replaced. The next cycle provisions it.", "ok")
    except SimulationError as error:
        flash(str(error), "error")
    return redirect(url_for("console.simulator") + "#directory")


def simulator_changes() -> Response:
    try:
        done = simulation().simulate_changes()
        flash("Changed in the source directory: " + "; ".join(done)
              + ". The next cycle sends only these changes.", "ok")
    except SimulationError as error:
        flash(str(error), "error")
    return redirect(url_for("console.simulator") + "#directory")


def simulator_restart() -> Response:
    try:
        simulation().restart()
        flash("Provisioning restarted: the state and the logs are cleared; the next "
              "cycle is an initial cycle.", "ok")
    except SimulationError as error:
        flash(str(error), "error")
    return redirect(url_for("console.simulator"))


ROUTES = (
    Route("/console/simulator", simulator),
    Route("/console/simulator/mappings", simulator_mappings),
    Route("/console/simulator/test-connection", simulator_test_connection, ("POST",)),
    Route("/console/simulator/settings", simulator_save, ("POST",)),
    Route("/console/simulator/start", simulator_start, ("POST",)),
    Route("/console/simulator/progress", simulator_progress),
    Route("/console/simulator/directory", simulator_directory, ("POST",)),
    Route("/console/simulator/changes", simulator_changes, ("POST",)),
    Route("/console/simulator/restart", simulator_restart, ("POST",)),
)


def _data() -> Mapping[str, Any]:
    if request.is_json:
        body = request.get_json(silent=True)
        return body if isinstance(body, dict) else {}
    return request.form


def _checked(value: Any) -> bool:
    return value is True or str(value).lower() in ("on", "true", "1", "yes")


def _flags(data: Mapping[str, Any]) -> tuple[str, ...]:
    return ("aadOptscim062020",) if _checked(data.get("aadOptscim062020")) else ()


def _settings(data: Mapping[str, Any]) -> Settings:
    mode = str(data.get("provisioning_mode", "Automatic"))
    if mode != "Automatic":
        raise SimulationError("Only the Automatic provisioning mode is simulated.")
    return Settings(
        tenant_url=str(data.get("tenant_url", "")).strip(),
        token=str(data.get("token", "")).strip(),
        notification_email=str(data.get("notification_email", "")).strip(),
        compliant_flag=_checked(data.get("aadOptscim062020")),
        provisioning_on=str(data.get("provisioning_status", "off")).lower() == "on",
    )


def _int(form: Mapping[str, Any], name: str) -> int:
    try:
        return int(str(form.get(name, "")).strip())
    except ValueError:
        raise SimulationError(f"{name.capitalize()} must be a whole number.") from None


def _wants_json() -> bool:
    return request.is_json or access.wants_json()
