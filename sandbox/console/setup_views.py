"""The vendor setup screens' views: read the form, call `setup_flows`, render or redirect.

Console state that is not tenant data (prerequisites confirmed, the SAML settings of Vault
Platform's first step, a support request's contact) lives in the signed session; tenants are
made and changed only through the service.
"""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import urlencode

from flask import abort, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from sandbox.console import setup_flows as flows
from sandbox.console.context import ConsoleContext
from sandbox.service import TenantService
from sandbox.vendors import Profile

_STATE = "console_setup"
# The session is a cookie, and a browser drops one over 4 KB (signing the admin out): keep
# the few most recent entries, each text cut short. What is kept is only shown back.
_REMEMBERED = 8
_REMEMBERED_CHARS = 120
Page = str | tuple[str, int] | Response


def _state() -> dict[str, Any]:
    return dict(session.get(_STATE) or {})


def _remember(key: str, value: Any) -> None:
    state = _state()
    state[key] = _cut(value)
    session[_STATE] = state


def _cut(value: Any) -> Any:
    if isinstance(value, str):
        return value[:_REMEMBERED_CHARS]
    if isinstance(value, dict):
        return {key: _cut(item) for key, item in value.items()}
    return value


def _remember_for_tenant(key: str, tenant_id: str, value: Any) -> None:
    per_tenant = dict(_state().get(key) or {})
    per_tenant[tenant_id] = value
    # The session is a cookie: keep only the most recent few.
    _remember(key, dict(list(per_tenant.items())[-_REMEMBERED:]))


def _profile(context: ConsoleContext, vendor_id: str) -> Profile:
    profile = context.sandbox.profiles.get(vendor_id)
    if profile is None:
        abort(404, f"There is no vendor '{vendor_id}' in this sandbox.")
    return profile


def _render(template: str, profile: Profile, status: int = 200, **values: Any) -> Page:
    """A setup screen in the vendor's language, with the vendor's words and menu."""
    trail: tuple[str, ...] = values.pop("trail", ())
    menu = values.pop("menu", None)
    page = render_template(
        f"console/setup/{template}", section="setup", profile=profile,
        flow=flows.flow_of(profile), lang=flows.language(profile), words=flows.labels(profile),
        tutorial=lambda step: flows.tutorial(profile, step), trail=trail,
        menu=flows.menu_items(profile, trail) if menu is None else menu, **values)
    return page if status == 200 else (page, status)


def _invalid(template: str, profile: Profile, result: flows.Submission, **values: Any) -> Page:
    # 422: the form is shown again with what was typed and why it was refused.
    return _render(template, profile, 422, values=result.values, errors=result.errors, **values)


def _credentials_url(profile: Profile, tenant: TenantService) -> str:
    if flows.flow_of(profile) == "olfeo":
        return url_for("console.setup_tenant_general", vendor_id=profile.id, tenant_id=tenant.id)
    return url_for("console.setup_tenant", vendor_id=profile.id, tenant_id=tenant.id)


def index(context: ConsoleContext) -> Page:
    return render_template("console/setup_index.html", section="setup",
                           vendor_flow=flows.flow_of)


def start(context: ConsoleContext, vendor_id: str) -> Page:
    """The first screen of a vendor's flow: its console's home, or the form that starts it."""
    profile = _profile(context, vendor_id)
    flow = flows.flow_of(profile)
    if flow == "velpic":
        return _velpic_start(context, profile)
    if flow == "veritas":
        return _veritas_request(context, profile)
    if flow == "generic":
        return _generic_form(context, profile)
    return _render("menu.html", profile, next_items=flows.next_label(profile, ()))


def _velpic_start(context: ConsoleContext, profile: Profile) -> Page:
    if request.method == "POST":
        result = flows.confirm_prerequisites(profile, request.form)
        if result.errors:
            return _invalid("velpic_start.html", profile, result, menu=[])
        _remember("velpic_prerequisites", True)
        first = flows.menu_slug(profile.setup["menu"][0])
        return redirect(url_for("console.setup_menu", vendor_id=profile.id, trail=first))
    return _render("velpic_start.html", profile, values={}, errors={}, menu=[],
                   required=request.args.get("required") == "1")


def _veritas_request(context: ConsoleContext, profile: Profile) -> Page:
    if request.method == "POST":
        result = flows.request_support(context.sandbox, profile, request.form)
        if result.tenant is None:
            return _invalid("veritas_request.html", profile, result)
        reply = {**result.extra, "ticket": f"VX-{secrets.randbelow(900000) + 100000}"}
        _remember_for_tenant("veritas_requests", result.tenant.id, reply)
        return redirect(_credentials_url(profile, result.tenant))
    return _render("veritas_request.html", profile, values={}, errors={})


def _generic_form(context: ConsoleContext, profile: Profile) -> Page:
    if request.method == "POST":
        result = flows.create_plain(context.sandbox, profile, request.form)
        if result.tenant is None:
            return _invalid("generic.html", profile, result)
        return redirect(_credentials_url(profile, result.tenant))
    return _render("generic.html", profile, values={}, errors={})


def menu(context: ConsoleContext, vendor_id: str, trail_text: str) -> Page:
    """A page of the vendor's console reached through its menu; the last item of a menu path
    is the screen where the tutorial's step happens."""
    profile = _profile(context, vendor_id)
    flow = flows.flow_of(profile)
    trail = tuple(part for part in trail_text.split("/") if part)
    screen, path = flows.find_screen(profile, trail)
    if not path or flow in ("veritas", "generic"):
        abort(404, f"{profile.name}'s console has no page '{trail_text}'.")
    if flow == "velpic" and not _state().get("velpic_prerequisites"):
        return redirect(url_for("console.setup_vendor", vendor_id=vendor_id, required="1"))
    if screen is None:
        if request.method == "POST":
            abort(405)
        return _render("menu.html", profile, trail=trail, path=path,
                       next_items=flows.next_label(profile, trail))
    handler = _SCREENS[(flow, screen)]
    return handler(context, profile, trail, path)


def _plugin(context: ConsoleContext, profile: Profile, trail: tuple[str, ...],
            path: tuple[str, ...]) -> Page:
    """Velpic's SCIM plugin and Visitly's Microsoft Entra ID section: enabling it issues the
    credentials."""
    if request.method == "POST":
        result = flows.enable_plugin(context.sandbox, profile)
        if result.tenant is None:
            return _invalid("plugin.html", profile, result, trail=trail, path=path)
        return redirect(_credentials_url(profile, result.tenant))
    return _render("plugin.html", profile, trail=trail, path=path, values={}, errors={})


def _vault_authentication(context: ConsoleContext, profile: Profile, trail: tuple[str, ...],
                          path: tuple[str, ...]) -> Page:
    if request.method == "POST":
        result = flows.save_authentication(profile, request.form)
        if result.errors:
            return _invalid("vault_authentication.html", profile, result, trail=trail,
                            path=path)
        _remember("vault_authentication", result.extra)
        return redirect(url_for("console.setup_menu", vendor_id=profile.id,
                                trail="/".join(_trail_of(profile, "data_integration")),
                                saved="authentication"))
    saved = _state().get("vault_authentication") or {}
    return _render("vault_authentication.html", profile, trail=trail, path=path,
                   values={"login_method": saved.get("login_method", ""),
                           "issuer": saved.get("issuer", ""),
                           "sso_url": saved.get("sso_url", "")},
                   errors={}, saved=bool(saved))


def _vault_data_integration(context: ConsoleContext, profile: Profile,
                            trail: tuple[str, ...], path: tuple[str, ...]) -> Page:
    authenticated = bool(_state().get("vault_authentication"))
    # Every organization's page, so its "Set as active SCIM Provider" stays one click away.
    organizations = [tenant for tenant in context.sandbox.tenants()
                     if tenant.profile.id == profile.id]
    common = {"trail": trail, "path": path, "authenticated": authenticated,
              "organizations": organizations,
              "authentication_trail": "/".join(_trail_of(profile, "authentication"))}
    if request.method == "POST":
        result = flows.save_data_integration(context.sandbox, profile, request.form,
                                             authenticated)
        if result.tenant is None:
            return _invalid("vault_data_integration.html", profile, result, **common)
        return redirect(_credentials_url(profile, result.tenant))
    return _render("vault_data_integration.html", profile, values={"active": "on"}, errors={},
                   just_saved=request.args.get("saved") == "authentication", **common)


def _olfeo_directories(context: ConsoleContext, profile: Profile, trail: tuple[str, ...],
                       path: tuple[str, ...]) -> Page:
    directories = [tenant for tenant in context.sandbox.tenants()
                   if tenant.profile.id == profile.id]
    names = _state().get("olfeo_names") or {}
    common = {"trail": trail, "path": path, "directories": directories, "names": names}
    if request.method == "POST":
        result = flows.create_directory(context.sandbox, profile, request.form)
        if result.tenant is None:
            return _invalid("olfeo_directories.html", profile, result, creating=True, **common)
        _remember_for_tenant("olfeo_names", result.tenant.id, result.extra["name"])
        return redirect(_credentials_url(profile, result.tenant))
    return _render("olfeo_directories.html", profile, values={}, errors={},
                   creating=request.args.get("nouveau") == "1", **common)


_SCREENS = {
    ("velpic", "main"): _plugin,
    ("visitly", "main"): _plugin,
    ("vaultplatform", "authentication"): _vault_authentication,
    ("vaultplatform", "data_integration"): _vault_data_integration,
    ("olfeo", "main"): _olfeo_directories,
}


def _trail_of(profile: Profile, screen: str) -> tuple[str, ...]:
    return tuple(flows.menu_slug(label) for label in flows.menus(profile)[screen])


def _tenant(context: ConsoleContext, profile: Profile, tenant_id: str) -> TenantService:
    """Only a tenant of this vendor: one vendor's screen never shows another's secrets."""
    tenant = context.sandbox.tenant(tenant_id)
    if tenant is None or tenant.profile.id != profile.id:
        abort(404, f"{profile.name} has no tenant '{tenant_id}'.")
    return tenant


def tenant_page(context: ConsoleContext, vendor_id: str, tenant_id: str,
                tab: str = "credentials") -> Page:
    """The last screen: this one tenant's Tenant URL and Secret Token, where the vendor's
    console shows them, and the way on to the Entra simulator."""
    profile = _profile(context, vendor_id)
    tenant = _tenant(context, profile, tenant_id)
    flow = flows.flow_of(profile)
    if tab == "general" and flow != "olfeo":
        abort(404)
    screen = {"velpic": "main", "visitly": "main", "olfeo": "main",
              "vaultplatform": "data_integration"}.get(flow)
    trail = _trail_of(profile, screen) if screen else ()
    tenant_url = context.tenant_url(tenant)
    state = _state()
    return _render(
        "credentials.html", profile, trail=trail, tenant=tenant, tab=tab,
        path=flows.menus(profile)[screen] if screen else (),
        tenant_url=tenant_url,
        # Encoded whole (':' and '/' too); the token never travels in a URL.
        simulator_url=url_for("console.simulator") + "?" + urlencode({"tenant_url": tenant_url}),
        reply=(state.get("veritas_requests") or {}).get(tenant.id),
        directory_name=(state.get("olfeo_names") or {}).get(tenant.id, tenant.id),
        settings=_settings_view(profile, tenant),
        settings_saved=request.args.get("saved") == "settings")


def _settings_view(profile: Profile, tenant: TenantService) -> list[dict[str, Any]]:
    current = tenant.settings
    return [{"name": name, "label": spec.get("label", name), "on": bool(current.get(name))}
            for name, spec in profile.settings.items()]


def tenant_settings(context: ConsoleContext, vendor_id: str, tenant_id: str) -> Page:
    """A tenant's switches (Vault Platform's "Set as active SCIM Provider"), changed through
    the service so the SCIM endpoint follows at once."""
    profile = _profile(context, vendor_id)
    tenant = _tenant(context, profile, tenant_id)
    changes = {name: request.form.get(name) == "on" for name in profile.settings}
    if changes:
        context.sandbox.update_settings(tenant.id, changes)
    return redirect(url_for("console.setup_tenant", vendor_id=profile.id, tenant_id=tenant.id,
                            saved="settings"))
