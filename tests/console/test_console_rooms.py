"""How the console is put together: module-level views over the app's `ConsoleContext`, one
per app, so that two apps in one process never share a sandbox, a simulation or a paused
fault."""

from __future__ import annotations

import inspect
import sys

from console_support import ADMIN_TOKEN
from flask import Flask

from sandbox import create_app
from sandbox.console.blueprint import console_blueprint
from sandbox.console.context import ConsoleContext, console_context
from sandbox.console.simulator_routes import SESSION_KEY

VIEW_LINES = 40


def make_app() -> Flask:
    return create_app({"admin_token": ADMIN_TOKEN})


def signed_in_client(app: Flask) -> tuple[object, str]:
    client = app.test_client()
    client.post("/console/login", data={"admin_token": ADMIN_TOKEN})
    with client.session_transaction() as session:
        return client, session["console_csrf"]


def console_views(app: Flask) -> dict[str, object]:
    return {name: view for name, view in app.view_functions.items()
            if name.startswith("console.")}


def test_every_console_view_is_a_short_module_level_function():
    views = console_views(make_app())
    assert {"console.login", "console.data_tenant", "console.simulator",
            "console.setup_menu"} <= set(views)
    for endpoint, view in views.items():
        if endpoint == "console.static":
            continue
        module = sys.modules[view.__module__]
        assert getattr(module, view.__name__) is view, endpoint  # not a closure
        assert len(inspect.getsourcelines(view)[0]) <= VIEW_LINES, endpoint
    assert len(inspect.getsourcelines(console_blueprint)[0]) <= VIEW_LINES


def test_each_app_keeps_its_own_console_context():
    first, second = make_app(), make_app()
    with first.app_context():
        one = console_context()
    with second.app_context():
        other = console_context()
    assert isinstance(one, ConsoleContext)
    assert one.sandbox is first.extensions["scim_sandbox"]
    assert other.sandbox is second.extensions["scim_sandbox"]
    assert one.simulations is not other.simulations
    assert one.paused is not other.paused


def test_a_simulation_made_on_one_app_is_not_on_another():
    first, second = make_app(), make_app()
    client, csrf = signed_in_client(first)
    answer = client.post("/console/simulator/settings", data={
        "csrf_token": csrf, "tenant_url": "https://scim.example.com/scim",
        "token": "t0ken", "provisioning_mode": "Automatic", "provisioning_status": "off"})
    assert answer.status_code == 302
    with client.session_transaction() as session:
        simulation_id = session[SESSION_KEY]
    with first.app_context():
        kept = console_context().simulations.get(simulation_id)
    with second.app_context():
        assert console_context().simulations.get(simulation_id) is None
    assert kept is not None
    assert kept.settings.tenant_url == "https://scim.example.com/scim"


def test_a_fault_switched_off_on_one_app_is_not_paused_on_another():
    first, second = make_app(), make_app()
    client, csrf = signed_in_client(first)
    tenant_id = "generic-demo"
    client.post(f"/console/data/tenants/{tenant_id}/faults",
                data={"csrf_token": csrf, "status": "503", "method": "GET"})
    fault = first.extensions["scim_sandbox"].tenant(tenant_id).faults.list()[0]
    answer = client.post(f"/console/data/tenants/{tenant_id}/faults/{fault.id}/off",
                         data={"csrf_token": csrf})
    assert answer.status_code == 302
    with first.app_context():
        assert [p.id for p in console_context().paused.of(tenant_id)] == [fault.id]
    with second.app_context():
        assert console_context().paused.of(tenant_id) == []
