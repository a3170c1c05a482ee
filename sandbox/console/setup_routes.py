"""Each vendor's setup screens, following its tutorial's steps and labels.

URLs (views in `setup_views`, flow logic in `setup_flows`, checks in `setup_checks`):

- `/console/setup`: a card per vendor, with its prerequisites
- `/console/setup/<vendor>`: the start of that vendor's flow
- `/console/setup/<vendor>/menu/<item>/<item>...`: a page of the simulated vendor console
- `/console/setup/<vendor>/<tenant>`: that one tenant's Tenant URL and Secret Token
- `/console/setup/<vendor>/<tenant>/general`: Olfeo's directory page before its Synchronisation tab
- `/console/setup/<vendor>/<tenant>/settings` (POST): the tenant's switches
"""

from __future__ import annotations

from flask import Blueprint

from sandbox.console import setup_views as views
from sandbox.console.context import ConsoleContext
from sandbox.console.setup_flows import doc_line, menu_slug


def register_setup_routes(console: Blueprint, context: ConsoleContext) -> None:
    console.add_app_template_filter(doc_line, "doc_line")
    console.add_app_template_filter(menu_slug, "setup_slug")

    @console.get("/console/setup")
    def setup_index() -> views.Page:
        return views.index(context)

    @console.route("/console/setup/<vendor_id>", methods=["GET", "POST"])
    def setup_vendor(vendor_id: str) -> views.Page:
        return views.start(context, vendor_id)

    @console.route("/console/setup/<vendor_id>/menu/<path:trail>", methods=["GET", "POST"])
    def setup_menu(vendor_id: str, trail: str) -> views.Page:
        return views.menu(context, vendor_id, trail)

    @console.get("/console/setup/<vendor_id>/<tenant_id>")
    def setup_tenant(vendor_id: str, tenant_id: str) -> views.Page:
        return views.tenant_page(context, vendor_id, tenant_id)

    @console.get("/console/setup/<vendor_id>/<tenant_id>/general")
    def setup_tenant_general(vendor_id: str, tenant_id: str) -> views.Page:
        return views.tenant_page(context, vendor_id, tenant_id, tab="general")

    @console.post("/console/setup/<vendor_id>/<tenant_id>/settings")
    def setup_tenant_settings(vendor_id: str, tenant_id: str) -> views.Page:
        return views.tenant_settings(context, vendor_id, tenant_id)
