"""Each vendor's setup screens, built from its profile's `[setup]` and `[auth]`.

URLs (views in `setup_views`, the flow in `setup_flows`, forms in `setup_forms`, named
steps in `setup_steps`, checks in `setup_checks`):

- `/console/setup`: a card per vendor, with its prerequisites
- `/console/setup/<vendor>`: the start of that vendor's flow
- `/console/setup/<vendor>/menu/<item>/<item>...`: a page of the simulated vendor console
- `/console/setup/<vendor>/step/sso`: single sign-on first, where the console has no screen
  of its own for it; `/step/credentials`: the screen that issues them in a flow without a menu
- `/console/setup/<vendor>/<tenant>`: that one tenant's Tenant URL and credentials
- `/console/setup/<vendor>/<tenant>/<tab>`: another tab of it, where a named step has one
  (Olfeo's General tab before Synchronisation)
- `/console/setup/<vendor>/<tenant>/settings` (POST): the tenant's switches
"""

from __future__ import annotations

from sandbox.console import setup_views as views
from sandbox.console.context import console_context
from sandbox.console.routing import Route

_VENDOR = "/console/setup/<vendor_id>"
_TENANT = _VENDOR + "/<tenant_id>"


def setup_index() -> views.Page:
    return views.index(console_context())


def setup_vendor(vendor_id: str) -> views.Page:
    return views.start(console_context(), vendor_id)


def setup_menu(vendor_id: str, trail: str) -> views.Page:
    return views.menu(console_context(), vendor_id, trail)


def setup_step(vendor_id: str, step: str) -> views.Page:
    return views.step(console_context(), vendor_id, step)


def setup_tenant(vendor_id: str, tenant_id: str) -> views.Page:
    return views.tenant_page(console_context(), vendor_id, tenant_id)


def setup_tenant_tab(vendor_id: str, tenant_id: str, tab: str) -> views.Page:
    return views.tenant_page(console_context(), vendor_id, tenant_id, tab=tab)


def setup_tenant_settings(vendor_id: str, tenant_id: str) -> views.Page:
    return views.tenant_settings(console_context(), vendor_id, tenant_id)


ROUTES = (
    Route("/console/setup", setup_index),
    Route(_VENDOR, setup_vendor, ("GET", "POST")),
    Route(_VENDOR + "/menu/<path:trail>", setup_menu, ("GET", "POST")),
    Route(_VENDOR + "/step/<step>", setup_step, ("GET", "POST")),
    Route(_TENANT, setup_tenant),
    Route(_TENANT + "/settings", setup_tenant_settings, ("POST",)),
    Route(_TENANT + "/<tab>", setup_tenant_tab),
)
