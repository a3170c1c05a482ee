"""The simulator's buttons that change the simulation other than by a cycle: one user's change
in the source directory, **Provision on demand**, **Allow deletes** and **Restart
provisioning**. Each is a form post that calls `simulation_actions`, flashes what was done and
goes back to the page."""

from __future__ import annotations

from flask import Response, flash, redirect, request, url_for

from sandbox.console import simulation_actions
from sandbox.console.routing import Route
from sandbox.console.simulator_context import simulation, transport_for, vendor_for
from sandbox.console.simulator_input import SimulationError, check_tenant_url

_PAGE = "console.simulator"


def simulator_user_change() -> Response:
    """Disable, Enable, Soft delete, Restore, Hard delete, Unassign or Assign one user."""
    try:
        done, effect = simulation_actions.change_user(
            simulation(), request.form.get("object_id", ""), request.form.get("action", ""))
        flash(f"Changed in the source directory: {done}. {effect}", "ok")
    except SimulationError as error:
        flash(str(error), "error")
    return redirect(url_for(_PAGE) + "#directory")


def simulator_on_demand() -> Response:
    """Provision on demand: the user typed, at once, with the saved settings."""
    sim = simulation()
    try:
        url = check_tenant_url(sim.settings.tenant_url)
        profile, _ = vendor_for(url)
        record = simulation_actions.provision_on_demand(sim, transport_for(url), profile,
                                                        request.form.get("user", ""))
        if record.result.ok:
            flash(f"Provisioned {record.who} on demand: see the steps below.", "ok")
        else:
            flash(f"Provision on demand of {record.who} failed: see the steps below.", "error")
    except SimulationError as error:
        flash(f"Not provisioned: {error}", "error")
    return redirect(url_for(_PAGE) + "#on-demand")


def simulator_allow_deletes() -> Response:
    try:
        simulation_actions.allow_deletes(simulation())
        flash("Deletes allowed: the next cycle sends the disables and deletes it staged.", "ok")
    except SimulationError as error:
        flash(str(error), "error")
    return redirect(url_for(_PAGE) + "#provisioning")


def simulator_restart() -> Response:
    try:
        simulation_actions.restart(simulation())
        flash("Provisioning restarted: escrows and quarantine are cleared, the accounts "
              "already provisioned stay linked; the next cycle evaluates every user again.",
              "ok")
    except SimulationError as error:
        flash(str(error), "error")
    return redirect(url_for(_PAGE))


ROUTES = (
    Route("/console/simulator/users/change", simulator_user_change, ("POST",)),
    Route("/console/simulator/on-demand", simulator_on_demand, ("POST",)),
    Route("/console/simulator/allow-deletes", simulator_allow_deletes, ("POST",)),
    Route("/console/simulator/restart", simulator_restart, ("POST",)),
)
