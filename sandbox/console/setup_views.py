"""The setup screens' views: read the form, call `setup_forms`, render or redirect, following
the flow `setup_flows.flow_plan` reads from the vendor's profile.

The order of a flow: the prerequisites (where the admin must confirm them), single sign-on
(where it comes first), the console's menu, the screen that issues the credentials, and the
tenant's page with its Tenant URL and credentials.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

from flask import abort, redirect, render_template, request, url_for

from sandbox.console import setup_flows as flows
from sandbox.console import setup_forms as forms
from sandbox.console.context import ConsoleContext
from sandbox.console.setting_fields import SettingsForm, read_settings_form, setting_fields
from sandbox.console.setup_pages import (
    Page,
    Screen,
    invalid,
    menu_url,
    prerequisites_confirmed,
    profile_of,
    remember_for,
    remembered,
    render,
    signed_on,
    step_url,
    tenant_of,
    tenant_url_for,
)
from sandbox.console.setup_steps import NAMED_STEPS
from sandbox.console.vendor_index import page_number, vendor_page
from sandbox.scim.errors import ScimError
from sandbox.vendors import Profile


def index(context: ConsoleContext) -> Page:
    """The vendors to set up, searched by id and name, a page at a time."""
    listing = vendor_page(context.sandbox.profiles, request.args.get("q", ""),
                          page_number(request.args.get("page")))
    return render_template("console/setup_index.html", section="setup", listing=listing,
                           flow_summary=flows.summary)


def _first_step_url(profile: Profile) -> str:
    """Where the flow goes once the prerequisites are confirmed or single sign-on is set."""
    plan = flows.flow_plan(profile)
    if plan.sso == flows.GENERIC_SSO and not signed_on(profile):
        return step_url(profile, "sso")
    if plan.kind == flows.SUPPORT:
        return url_for("console.setup_vendor", vendor_id=profile.id)
    paths = list(flows.menus(profile).values())
    return menu_url(profile, paths[0][:1]) if paths else step_url(profile, "credentials")


def _gate(profile: Profile, *, needs_sso: bool) -> Page | None:
    """A redirect to the step the admin skipped, else None."""
    plan = flows.flow_plan(profile)
    if plan.confirm_prerequisites and not prerequisites_confirmed(profile):
        return redirect(url_for("console.setup_vendor", vendor_id=profile.id, required="1"))
    if needs_sso and plan.sso == flows.GENERIC_SSO and not signed_on(profile):
        return redirect(step_url(profile, "sso", required="1"))
    return None


def start(context: ConsoleContext, vendor_id: str) -> Page:
    """The first screen of a vendor's flow: its console's home, or the form that starts it."""
    profile = profile_of(context, vendor_id)
    plan = flows.flow_plan(profile)
    if plan.kind == flows.PLAIN:
        return _plain_form(context, profile)
    if plan.confirm_prerequisites and not prerequisites_confirmed(profile):
        return _prerequisites(profile)
    if plan.kind == flows.SUPPORT:
        return _gate(profile, needs_sso=True) or _support_request(context, profile)
    if request.method == "POST":
        abort(405)
    if not flows.menus(profile):
        return redirect(_first_step_url(profile))
    return render("menu.html", profile, next_items=flows.next_label(profile, ()))


def _prerequisites(profile: Profile) -> Page:
    if request.method == "POST":
        result = forms.confirm_prerequisites(profile, request.form)
        if result.errors:
            return invalid("prerequisites.html", profile, result, menu=[])
        remember_for("prerequisites", profile.id, True)
        return redirect(_first_step_url(profile))
    return render("prerequisites.html", profile, values={}, errors={}, menu=[],
                  required=request.args.get("required") == "1")


def _support_request(context: ConsoleContext, profile: Profile) -> Page:
    if request.method == "POST":
        result = forms.request_support(context.sandbox, profile, request.form)
        if result.tenant is None:
            return invalid("support_request.html", profile, result, menu=[])
        reply = {**result.extra, "ticket": f"VX-{secrets.randbelow(900000) + 100000}"}
        remember_for("support_replies", result.tenant.id, reply)
        return redirect(tenant_url_for(profile, result.tenant))
    return render("support_request.html", profile, values={}, errors={}, menu=[])


def _plain_form(context: ConsoleContext, profile: Profile) -> Page:
    if request.method == "POST":
        result = forms.create_plain(context.sandbox, profile, request.form)
        if result.tenant is None:
            return invalid("plain_form.html", profile, result)
        return redirect(tenant_url_for(profile, result.tenant))
    return render("plain_form.html", profile, values={}, errors={})


def menu(context: ConsoleContext, vendor_id: str, trail_text: str) -> Page:
    """A page of the vendor's console reached through its menu; the last item of a menu path
    is the screen where the tutorial's step happens."""
    profile = profile_of(context, vendor_id)
    trail = tuple(part for part in trail_text.split("/") if part)
    name, path = flows.find_screen(profile, trail)
    if not path:
        abort(404, f"{profile.name}'s console has no page '{trail_text}'.")
    screen = Screen(trail, path)
    if name is None:
        if request.method == "POST":
            abort(405)
        return _gate(profile, needs_sso=False) or render(
            "menu.html", profile, screen=screen, next_items=flows.next_label(profile, trail))
    return _screen(context, profile, name, screen)


def step(context: ConsoleContext, vendor_id: str, name: str) -> Page:
    """A step outside the menu: the console's own single sign-on step, or the screen that
    issues the credentials of a flow without a menu."""
    profile = profile_of(context, vendor_id)
    plan = flows.flow_plan(profile)
    if name == "sso" and plan.sso == flows.GENERIC_SSO:
        return _gate(profile, needs_sso=False) or _sso(profile)
    if name == "credentials" and flows.issue_screen(profile) is None and (
            plan.issuer or plan.own_issue_screen):
        return _screen(context, profile, flows.MAIN, Screen())
    abort(404, f"{profile.name}'s setup has no step '{name}'.")


def _screen(context: ConsoleContext, profile: Profile, name: str, screen: Screen) -> Page:
    """The screen `name` stands for: a named step, or the kind's own issuing screen."""
    plan = flows.flow_plan(profile)
    named = plan.issuer if name == flows.MAIN else name
    if named:
        return _gate(profile, needs_sso=False) or NAMED_STEPS[named].screen(
            context, profile, screen)
    return _gate(profile, needs_sso=True) or _issue(context, profile, plan, screen)


def _issue(context: ConsoleContext, profile: Profile, plan: flows.FlowPlan,
           screen: Screen) -> Page:
    """The kind's own screen that issues the credentials: a switch to enable, or a secret
    the admin chooses."""
    template = f"{plan.own_issue_screen}.html"
    if request.method == "POST":
        if plan.kind == flows.SELF_CHOSEN:
            result = forms.choose_secret(context.sandbox, profile, request.form)
        else:
            result = forms.issue_credentials(context.sandbox, profile)
        if result.tenant is None:
            return invalid(template, profile, result, screen=screen)
        return redirect(tenant_url_for(profile, result.tenant))
    return render(template, profile, screen=screen, values={}, errors={})


def _sso(profile: Profile) -> Page:
    if request.method == "POST":
        result = forms.save_sso(request.form)
        if result.errors:
            return invalid("sso.html", profile, result, on_sso_step=True)
        remember_for("sso", profile.id, result.extra)
        return redirect(_first_step_url(profile))
    saved = remembered("sso", profile.id) or {}
    return render("sso.html", profile, values={"issuer": saved.get("issuer", ""),
                                               "sso_url": saved.get("sso_url", "")},
                  errors={}, saved=bool(saved), required=request.args.get("required") == "1",
                  on_sso_step=True)


def tenant_page(context: ConsoleContext, vendor_id: str, tenant_id: str,
                tab: str = "credentials", submitted: SettingsForm | None = None) -> Page:
    """The last screen: this one tenant's Tenant URL and credentials, where the vendor's
    console shows them, its settings, and the way on to the Entra simulator. With a refused
    settings form (`submitted`), the page comes back as 422 with what was typed and why."""
    profile = profile_of(context, vendor_id)
    tenant = tenant_of(context, profile, tenant_id)
    plan = flows.flow_plan(profile)
    named = NAMED_STEPS[plan.issuer] if plan.issuer else None
    if tab != "credentials" and (named is None or tab not in named.tabs):
        abort(404, f"{profile.name}'s tenant page has no tab '{tab}'.")
    where = flows.issue_screen(profile)
    path = flows.menus(profile)[where] if where else ()
    tenant_url = context.tenant_url(tenant)
    return render(
        named.tenant_template if named else "credentials.html", profile,
        422 if submitted is not None else 200, screen=Screen(flows.trail_of(path), path),
        tenant=tenant, tab=tab, tenant_url=tenant_url,
        credentials=flows.credential_fields(profile, tenant.credentials(context.root_url())),
        # Encoded whole (':' and '/' too); no secret ever travels in a URL.
        simulator_url=url_for("console.simulator") + "?" + urlencode({"tenant_url": tenant_url}),
        reply=remembered("support_replies", tenant.id),
        directory_name=remembered("directory_names", tenant.id) or tenant.id,
        settings=setting_fields(profile, tenant.settings, submitted),
        settings_errors=submitted.errors if submitted is not None else {},
        settings_saved=request.args.get("saved") == "settings")


def tenant_settings(context: ConsoleContext, vendor_id: str, tenant_id: str) -> Page:
    """A tenant's settings (Vault Platform's "Set as active SCIM Provider", the verified
    domains a domain rule reads), changed through the service so the SCIM endpoint follows
    at once. A value the form or the service refuses shows the page again with a message,
    and nothing is saved."""
    profile = profile_of(context, vendor_id)
    tenant = tenant_of(context, profile, tenant_id)
    submitted = read_settings_form(profile, request.form)
    if not submitted.errors and submitted.changes:
        try:
            context.sandbox.update_settings(tenant.id, submitted.changes)
        except ScimError as error:
            submitted.errors["form"] = error.detail
    if submitted.errors:
        return tenant_page(context, profile.id, tenant.id, submitted=submitted)
    return redirect(url_for("console.setup_tenant", vendor_id=profile.id, tenant_id=tenant.id,
                            saved="settings"))
