"""The data browser: tenants, users, groups with members, the journal and faults.

Thin handlers over `data_views` (plain Python) and the service layer; every change is a form
post with the console's form token, answered by a redirect back to the page.
"""

from __future__ import annotations

from flask import (
    Response,
    abort,
    flash,
    get_flashed_messages,
    redirect,
    render_template,
    request,
    url_for,
)

from sandbox.console import data_views as views
from sandbox.console.context import console_context
from sandbox.console.routing import Route
from sandbox.scim.errors import ScimError
from sandbox.service import TenantService

_TABS = ("users", "groups", "journal", "faults")
_TENANT = "/console/data/tenants/<tenant_id>"


def existing(tenant_id: str) -> TenantService:
    tenant = console_context().sandbox.tenant(tenant_id)
    if tenant is None:
        abort(404, f"There is no tenant '{tenant_id}' in this sandbox (any more).")
    return tenant


def page(tenant: TenantService, tab: str, **values: object) -> str:
    context = console_context()
    return render_template(
        f"console/data_{tab}.html", tenant=tenant, tab=tab, tabs=_TABS,
        tenant_url=context.tenant_url(tenant), counts=tenant.counts(),
        credentials=views.credential_rows(tenant, context.root_url()),
        messages=get_flashed_messages(with_categories=True), **values)


def back(tenant_id: str, tab: str) -> Response:
    return redirect(url_for("console.data_tenant", tenant_id=tenant_id, tab=tab))


def data_index() -> str:
    context = console_context()
    rows = [(t, context.tenant_url(t), t.counts()) for t in context.sandbox.tenants()]
    return render_template("console/data_index.html", rows=rows,
                           messages=get_flashed_messages(with_categories=True))


def data_tenant(tenant_id: str) -> str | Response:
    tenant = existing(tenant_id)
    tab = request.args.get("tab", "users")
    if tab not in _TABS:
        abort(404, f"No tab '{tab}'; the tabs are {', '.join(_TABS)}.")
    if tab == "journal":
        return _journal_tab(tenant)
    if tab == "faults":
        return page(tenant, tab, faults=tenant.faults.list(),
                    paused=console_context().paused.of(tenant.id),
                    operations=views.OPERATIONS, methods=views.FAULT_METHODS,
                    scim_types=views.SCIM_TYPES)
    return _resources_tab(tenant, tab)


def _journal_tab(tenant: TenantService) -> str | Response:
    try:
        filters = views.journal_filters(request.args)
    except views.InputError as error:
        flash(str(error), "error")
        return back(tenant.id, "journal")
    entries, matched = views.journal_entries(tenant, filters)
    return page(tenant, "journal", entries=entries, matched=matched, filters=filters,
                operations=views.OPERATIONS, shown_max=views.JOURNAL_SHOWN)


def _resources_tab(tenant: TenantService, tab: str) -> str:
    type_name = "User" if tab == "users" else "Group"
    if not views.has_type(tenant, type_name):
        return page(tenant, tab, listing=None)
    base_url = console_context().tenant_url(tenant)
    number = request.args.get("page", "1")
    listing = views.resource_page(tenant, type_name, views.page_number(number), base_url)
    members = {}
    if type_name == "Group":
        members = {g["id"]: views.member_names(tenant, g)
                   for g in listing.resources}
    return page(tenant, tab, listing=listing, members=members,
                label=views.user_label, members_shown=views.MEMBERS_SHOWN)


def data_resource(tenant_id: str, kind: str, resource_id: str) -> str:
    tenant = existing(tenant_id)
    type_name = "User" if kind == "users" else "Group"
    if not views.has_type(tenant, type_name):
        abort(404, f"{tenant.profile.name} has no {kind}.")
    resource = views.resource_json(tenant, type_name, resource_id,
                                   console_context().tenant_url(tenant))
    return page(tenant, "resource", kind=kind, resource=resource,
                text=views.pretty(resource))


def data_journal_clear(tenant_id: str) -> Response:
    existing(tenant_id).journal.clear()
    flash("The journal is cleared.", "ok")
    return back(tenant_id, "journal")


def data_fault_add(tenant_id: str) -> Response:
    tenant = existing(tenant_id)
    try:
        fault = tenant.faults.add(views.fault_spec(request.form))
        flash(f"Fault {fault.id} added: the next matching SCIM requests get it.", "ok")
    except (views.InputError, ScimError) as error:
        flash(f"Fault not added: {getattr(error, 'detail', error)}", "error")
    return back(tenant_id, "faults")


def data_fault_change(tenant_id: str, fault_id: str, do: str) -> Response:
    tenant = existing(tenant_id)
    paused = console_context().paused
    if do == "off":
        done = paused.switch_off(tenant, fault_id)
        message = f"Fault {fault_id} switched off."
    elif do == "on":
        fault = paused.switch_on(tenant, fault_id)
        done = fault is not None
        message = f"Fault switched on again as {fault.id}." if fault else ""
    else:
        done = tenant.faults.remove(fault_id) or paused.remove(tenant.id, fault_id)
        message = f"Fault {fault_id} removed."
    flash(message if done else f"No fault {fault_id} (it may be gone already).",
          "ok" if done else "error")
    return back(tenant_id, "faults")


def data_faults_clear(tenant_id: str) -> Response:
    tenant = existing(tenant_id)
    tenant.faults.clear()
    console_context().paused.forget(tenant.id)
    flash("Every fault of this tenant is removed.", "ok")
    return back(tenant_id, "faults")


def data_reset(tenant_id: str) -> Response:
    existing(tenant_id)
    console_context().sandbox.reset_tenant(tenant_id)
    flash("The tenant is reset: it has no users and no groups. Its Tenant URL and "
          "Secret Token are unchanged.", "ok")
    return back(tenant_id, "users")


def data_delete(tenant_id: str) -> Response:
    existing(tenant_id)
    context = console_context()
    context.sandbox.delete_tenant(tenant_id)
    context.paused.forget(tenant_id)
    flash(f"Tenant {tenant_id} is deleted; its Tenant URL answers 404 from now on.", "ok")
    return redirect(url_for("console.data_index"))


ROUTES = (
    Route("/console/data", data_index),
    Route(_TENANT, data_tenant),
    Route(_TENANT + "/<any(users, groups):kind>/<resource_id>", data_resource),
    Route(_TENANT + "/journal/clear", data_journal_clear, ("POST",)),
    Route(_TENANT + "/faults", data_fault_add, ("POST",)),
    Route(_TENANT + "/faults/<fault_id>/<any(off, on, remove):do>", data_fault_change,
          ("POST",)),
    Route(_TENANT + "/faults/clear", data_faults_clear, ("POST",)),
    Route(_TENANT + "/reset", data_reset, ("POST",)),
    Route(_TENANT + "/delete", data_delete, ("POST",)),
)
