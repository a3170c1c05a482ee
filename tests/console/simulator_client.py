"""Driving the console's Entra simulator through the Flask test client: forms posted as the
page posts them, the visitor's simulation read back, cycles run to their end."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from sandbox.console.context import EXTENSION
from sandbox.console.simulator_routes import SESSION_KEY
from sandbox.scim.listing import ListQuery

ROOT = "http://localhost"


def the_simulation(app: Any, client: Any) -> Any:
    """The simulation of the test client's console session."""
    with client.session_transaction() as session:
        simulation_id = session[SESSION_KEY]
    return app.extensions[EXTENSION].simulations.get(simulation_id)


def post(client: Any, csrf: str, path: str, data: dict[str, Any]) -> Any:
    """A form post, followed to the page it redirects to."""
    return client.post(path, data={"csrf_token": csrf, **data}, follow_redirects=True)


def settings_form(tenant: Any, **fields: Any) -> dict[str, Any]:
    """The Provisioning form for a sandbox tenant, with Provisioning Status On and Prevent
    accidental deletions ticked at its default, as the page first shows it."""
    form = {"tenant_url": ROOT + tenant.path, "token": tenant.token,
            "provisioning_mode": "Automatic", "provisioning_status": "on",
            "scope": "assigned", "scoping_filters": "", "prevent_deletions": "on",
            "deletion_threshold": "500"}
    form.update(fields)
    return {name: value for name, value in form.items() if value is not None}


def save(client: Any, csrf: str, tenant: Any, **fields: Any) -> str:
    """Save the settings; the page it lands on, as text."""
    return post(client, csrf, "/console/simulator/settings",
                settings_form(tenant, **fields)).get_data(as_text=True)


def start(app: Any, client: Any, csrf: str) -> Any:
    """Start provisioning with the saved settings and wait for the cycle's record."""
    answer = client.post("/console/simulator/start",
                         headers={"X-CSRF-Token": csrf, "Accept": "application/json"})
    assert answer.status_code == 202, answer.get_json()
    simulation = the_simulation(app, client)
    simulation.wait(120)
    return simulation.last_cycle


def new_directory(client: Any, csrf: str, users: int, groups: int = 0, seed: int = 7) -> None:
    post(client, csrf, "/console/simulator/directory",
         {"users": users, "groups": groups, "seed": seed, "locale": "en_US"})


def page_text(client: Any) -> str:
    """The simulator page as a reader sees its words (tags dropped, spaces folded)."""
    html = client.get("/console/simulator").get_data(as_text=True)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def flashes(html: str) -> list[str]:
    return [" ".join(unescape(m).split())
            for m in re.findall(r'<p class="alert [a-z]+" role="[a-z]+">(.*?)</p>', html, re.S)]


def demo_tenant(console_app: Any, console_server: Any, vendor: str) -> tuple[Any, str]:
    """The vendor's demo tenant of the console app, and its Tenant URL on the live server."""
    tenant = console_app.extensions["scim_sandbox"].tenant(f"{vendor}-demo")
    return tenant, console_server.url + tenant.path


def stored_users(tenant: Any) -> dict[str, dict[str, Any]]:
    listed = tenant.list_view(
        tenant.list(tenant.resource_type("Users"), ListQuery(count=500)), ROOT)
    return {u["userName"]: u for u in listed["Resources"]}


def operations(tenant: Any) -> list[str]:
    return [entry.operation for entry in tenant.journal.entries()]
