"""The Entra-side provisioning simulator's pages, over `sandbox.entra`.

Handlers parse the form (`simulator_settings`), call the simulation (`simulations.py`, plain
Python) or the engine, and render. The simulations are kept in the app's memory
(`console_context().simulations`), each visitor's under an id in the session
(`simulator_context`). Authorize, for vendors an admin authorizes, is in
`simulator_authorize`; one user's changes, Provision on demand, Allow deletes and Restart
provisioning in `simulator_actions`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

from flask import (
    Response,
    flash,
    get_flashed_messages,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)

from sandbox.console import (
    simulation_actions,
    simulator_actions,
    simulator_authorize,
    simulator_mapping_editor,
)
from sandbox.console.display import plural
from sandbox.console.routing import Route
from sandbox.console.simulation_actions import actions_for
from sandbox.console.simulation_config import provisioning_config
from sandbox.console.simulations import GROUPS_RANGE, LOCALES, USERS_RANGE, Simulation
from sandbox.console.simulator_context import (
    SESSION_KEY,
    request_data,
    simulation,
    transport_for,
    vendor_for,
    wants_json,
)
from sandbox.console.simulator_input import SimulationError, check_tenant_url
from sandbox.console.simulator_mapping_editor import mappings_view
from sandbox.console.simulator_settings import AUTH_METHODS, settings_from
from sandbox.entra import DEFAULT_ACCESS, ProvisioningEngine
from sandbox.entra.quarantine import TOO_MANY_DELETES
from sandbox.entra.schema_discovery import DiscoveredSchemas
from sandbox.entra.scoping import SCOPE_LABELS

# What the blueprint and the console's other parts use: the pages, and the session's key to
# the visitor's simulation.
__all__ = ["ROUTES", "SESSION_KEY"]


def simulator_page(sim: Simulation) -> dict[str, Any]:
    """What the page shows of the simulation, read under its lock in one go."""
    with sim.lock:
        settings = shown = sim.settings
        asked = request.args.get("tenant_url", "").strip()
        if asked and asked != settings.tenant_url:
            # A link from a vendor's setup screen carries the URL only, never a credential.
            shown = settings.without_credentials(asked)
        authorization = sim.authorization
        return {
            "sim": sim, "settings": settings, "shown": shown,
            "authorized": authorization if authorization is not None
            and authorization.serves(shown.tenant_url) else None,
            "cycles": list(reversed(sim.cycles)),
            "users": list(sim.directory.users), "groups": list(sim.directory.groups),
            "spec": dict(sim.directory_spec), "pending": list(sim.pending_changes),
            "progress": sim.progress.to_dict(),
            "quarantine": sim.state.quarantine if sim.state is not None else None,
            "on_demand": sim.on_demand,
        }


def simulator() -> str:
    sim = simulation()
    page = simulator_page(sim)
    names = {u.objectId: u.displayName for u in page["users"]}
    member_names = {g.objectId: [names[m] for m in g.members if m in names]
                    for g in page["groups"]}
    mappings = mappings_view(sim, page["shown"].tenant_url)
    return render_template(
        "console/simulator.html", **page, **mappings,
        auth_method=page["shown"].method(mappings["profile"]), auth_methods=AUTH_METHODS,
        member_names=member_names, unquote=unquote,
        default_access=DEFAULT_ACCESS, users_range=USERS_RANGE, groups_range=GROUPS_RANGE,
        locales=LOCALES, user_actions=actions_for, scope_labels=SCOPE_LABELS,
        too_many_deletes=TOO_MANY_DELETES, messages=get_flashed_messages(with_categories=True))


def simulator_mappings() -> Response:
    """The Attribute Mappings for a Tenant URL, and the Authentication Method its vendor
    uses (None for a URL that is not one of this sandbox's tenants)."""
    view = mappings_view(simulation(), request.args.get("tenant_url", "").strip())
    profile = view["profile"]
    return jsonify({"html": render_template("console/simulator_mappings.html", **view),
                    "auth_method": profile.auth.kind if profile is not None else None})


def simulator_test_connection() -> tuple[Response, int]:
    """Test Connection with what is on the page: its credentials, and the vendor's
    mappings, so the query goes to the attribute the vendor matches on."""
    sim = simulation()
    try:
        settings = settings_from(request_data())
        tenant_url = check_tenant_url(settings.tenant_url)
        profile, tenant = vendor_for(tenant_url)
        config = provisioning_config(settings, profile, sim.authorization, sim.mapping_edits)
    except SimulationError as error:
        return jsonify({"ok": False, "message": str(error), "input_error": True}), 400
    result = ProvisioningEngine(config, transport_for(tenant_url)).test_connection()
    return jsonify({**result.to_dict(), "vendor": profile.name if profile else None,
                    "tenant": tenant.id if tenant is not None else None}), 200


def simulator_save() -> Response:
    sim = simulation()
    try:
        sim.save(settings_from(request_data()))
        flash("Saved. The provisioning settings are in effect for the next cycle.", "ok")
    except SimulationError as error:
        flash(f"Not saved: {error}", "error")
        return redirect(url_for("console.simulator"))
    url = sim.settings.tenant_url
    profile, _ = vendor_for(url)
    found = simulation_actions.discover_schemas(sim, transport_for(url), profile)
    if found is not None:
        flash(discovery_words(found.schemas), "ok" if found.schemas.problem is None else "warn")
    return redirect(url_for("console.simulator"))


def discovery_words(schemas: DiscoveredSchemas) -> str:
    """What saving a gallery app's settings learnt from its /Schemas."""
    if schemas.problem is not None:
        return f"Schema discovery: {schemas.problem} No target attribute was added."
    return (f"Schema discovery: GET /Schemas found {plural(schemas.count, 'target attribute')}"
            f" ({len(schemas.users)} for users, {len(schemas.groups)} for groups); the "
            "mapping editor offers them.")


def simulator_start() -> Response | tuple[Response, int]:
    sim = simulation()
    try:
        if request.form or request.is_json:  # the page sends what is on screen
            sim.save(settings_from(request_data()))
        url = sim.settings.tenant_url
        profile, _ = vendor_for(url)
        transport = transport_for(check_tenant_url(url))
        number = sim.start_cycle(transport, profile)
    except SimulationError as error:
        if wants_json():
            return jsonify({"started": False, "message": str(error)}), 409
        flash(str(error), "error")
        return redirect(url_for("console.simulator"))
    if wants_json():
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


ROUTES = (
    Route("/console/simulator", simulator),
    Route("/console/simulator/mappings", simulator_mappings),
    Route("/console/simulator/test-connection", simulator_test_connection, ("POST",)),
    Route("/console/simulator/settings", simulator_save, ("POST",)),
    Route("/console/simulator/start", simulator_start, ("POST",)),
    Route("/console/simulator/progress", simulator_progress),
    Route("/console/simulator/directory", simulator_directory, ("POST",)),
    Route("/console/simulator/changes", simulator_changes, ("POST",)),
    *simulator_actions.ROUTES,
    *simulator_mapping_editor.ROUTES,
    *simulator_authorize.ROUTES,
)


def _int(form: Mapping[str, Any], name: str) -> int:
    try:
        return int(str(form.get(name, "")).strip())
    except ValueError:
        raise SimulationError(f"{name.capitalize()} must be a whole number.") from None
