"""The Attribute Mappings on the simulated Provisioning page: the rows a Tenant URL's vendor
leads to, with the admin's edits (another matching attribute, a row removed, a direct or a
constant mapping added), Entra's warning when the target cannot filter on the matching
attribute, and the targets `/Schemas` discovered offered in the editor."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import Response, flash, redirect, request, url_for

from sandbox.console import simulation_actions
from sandbox.console.routing import Route
from sandbox.console.simulation_state import mappings_for
from sandbox.console.simulations import Simulation
from sandbox.console.simulator_context import simulation, vendor_for
from sandbox.console.simulator_input import SimulationError
from sandbox.entra.mapping_edits import (
    CONSTANT,
    DIRECT,
    MATCHING,
    REMOVE,
    SOURCE_ATTRIBUTES,
    MappingEdit,
    MappingEditError,
    apply_edits,
    matching_warning,
)


def mappings_view(sim: Simulation, tenant_url: str) -> dict[str, Any]:
    """What the Mappings section shows for a Tenant URL: the rows with the edits made for
    its vendor, the warning, and what the editor offers."""
    profile, tenant = vendor_for(tenant_url)
    mappings = mappings_for(profile)
    with sim.lock:
        edits = sim.mapping_edits.for_profile(profile)
        discovered = sim.discovered
    if discovered is not None and not discovered.serves(tenant_url):
        discovered = None
    problem = None
    if edits:
        try:
            mappings = replace(mappings, users=apply_edits(mappings.users, edits),
                               source=f"{mappings.source}, with your edits")
        except MappingEditError as error:
            problem = (f"Your edits no longer apply ({error}); the defaults are shown. Select "
                       "Restore default mappings.")
    targets = {row.target for row in mappings.users}
    if discovered is not None:
        targets |= set(discovered.schemas.users)
    return {"mappings": mappings, "profile": profile,
            "tenant_id": tenant.id if tenant is not None else None,
            "mappings_url": tenant_url, "edits": edits, "edit_problem": problem,
            "mapping_warning": matching_warning(mappings.users, profile),
            "discovered": discovered, "targets": sorted(targets),
            "source_attributes": SOURCE_ATTRIBUTES}


def edit_from(form: Any) -> MappingEdit | None:
    """The edit a button of the Mappings section asks for; None for Restore default
    mappings. SimulationError for a form that names no edit."""
    asked = str(form.get("edit", ""))
    if asked == "restore":
        return None
    if asked == "add":
        kind = str(form.get("kind", ""))
        source = {DIRECT: form.get("source_attribute", ""),
                  CONSTANT: form.get("constant_value", "")}.get(kind)
        target = str(form.get("target", "")).strip()
        if source is None:
            raise SimulationError("Choose the mapping type: Direct or Constant.")
        if not target:
            raise SimulationError("Enter the target attribute the mapping writes.")
        return MappingEdit(kind, target, str(source).strip())
    kind, _, target = asked.partition(" ")
    if kind not in (MATCHING, REMOVE) or not target:
        raise SimulationError("That is not a mapping edit.")
    return MappingEdit(kind, target)


def simulator_mapping_edit() -> Response:
    """One edit of the user Attribute Mappings, for the vendor of the Tenant URL the
    section was shown for; the next cycle uses them."""
    sim = simulation()
    profile, _ = vendor_for(str(request.form.get("tenant_url", "")).strip())
    try:
        edit = edit_from(request.form)
        if edit is None:
            simulation_actions.restore_mappings(sim)
            flash("Default mappings restored. The next cycle evaluates every user with "
                  "them.", "ok")
        else:
            warning = simulation_actions.edit_mappings(sim, profile, edit)
            flash(f"Mapping changed: {edit}. The next cycle evaluates every user with the "
                  "new mappings.", "ok")
            if warning:
                flash(f"Warning: {warning}", "warn")
    except SimulationError as error:
        flash(f"Mapping not changed: {error}", "error")
    return redirect(url_for("console.simulator") + "#mappings")


ROUTES = (
    Route("/console/simulator/mappings/edit", simulator_mapping_edit, ("POST",)),
)
