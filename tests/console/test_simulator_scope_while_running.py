"""A new Scope or scoping filter restarts provisioning (Microsoft's scoping filters page: the
next cycle evaluates every user again). While a cycle runs, the cycle's end replaces the
job's state and clears the changes listed since the last cycle, so a scope saved meanwhile
would lose its restart and its line in the list: the page refuses that save, as it refuses
the other changes while a cycle runs. Other settings (a fixed token) still save."""

from __future__ import annotations

from simulator_client import flashes, save, start, the_simulation


def test_a_new_scope_is_refused_while_a_cycle_runs(simulator_for, console_app):
    tenant, client, csrf = simulator_for("velpic", users=4)
    start(console_app, client, csrf)
    simulation = the_simulation(console_app, client)
    state, pending = simulation.state, list(simulation.pending_changes)
    simulation.progress.running = True  # as while the background thread works
    try:
        shown = flashes(save(client, csrf, tenant, scope="all",
                             scoping_filters="department EQUALS Sales"))
    finally:
        simulation.progress.running = False
    assert shown == ["Not saved: A provisioning cycle is running; wait until it finishes "
                     "before you change the Scope or the scoping filters."]
    assert simulation.settings.scope.mode == "assigned" and not simulation.settings.scope.filters
    assert simulation.state is state and simulation.pending_changes == pending


def test_other_settings_save_while_a_cycle_runs(simulator_for, console_app):
    tenant, client, csrf = simulator_for("velpic", users=2)
    simulation = the_simulation(console_app, client)
    simulation.progress.running = True
    try:
        shown = flashes(save(client, csrf, tenant, notification_email="ops@example.com"))
    finally:
        simulation.progress.running = False
    assert shown[0].startswith("Saved.")
    assert simulation.settings.notification_email == "ops@example.com"


def test_a_new_scope_saved_between_cycles_restarts_provisioning(simulator_for, console_app):
    tenant, client, csrf = simulator_for("velpic", users=2)
    start(console_app, client, csrf)
    shown = flashes(save(client, csrf, tenant, scope="all"))
    simulation = the_simulation(console_app, client)
    assert shown[0].startswith("Saved.")
    assert simulation.pending_changes == ["changed the scope: Sync all users and groups"]
