"""The named extra steps: screens only one vendor's console has, chosen by a profile's
`[setup] extra_steps` and never by vendor id. Each is a small view over its form in
`setup_step_forms` and a template of the same name; `vendors.setup_spec.EXTRA_STEPS` says
what each stands for and which data it reads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import redirect, request

from sandbox.console import setup_flows as flows
from sandbox.console import setup_step_forms as forms
from sandbox.console.context import ConsoleContext
from sandbox.console.setup_pages import (
    Page,
    Screen,
    invalid,
    menu_url,
    remember_for,
    remembered,
    render,
    signed_on,
    tenant_url_for,
)
from sandbox.vendors import Profile


@dataclass(frozen=True, slots=True)
class NamedStep:
    """A named step's screen (GET shows it, POST submits it) and, for a step that issues
    the credentials, the tenant page it ends on and that page's tabs before "credentials"."""

    screen: Callable[[ConsoleContext, Profile, Screen], Page]
    tenant_template: str = "credentials.html"
    tabs: tuple[str, ...] = ()


def _vault_saml(context: ConsoleContext, profile: Profile, screen: Screen) -> Page:
    if request.method == "POST":
        result = forms.save_vault_saml(profile, request.form)
        if result.errors:
            return invalid("vault_saml.html", profile, result, screen=screen)
        remember_for("sso", profile.id, result.extra)
        after = flows.menus(profile).get(flows.flow_plan(profile).issuer or "")
        return redirect(menu_url(profile, after, saved="authentication") if after else request.path)
    saved = remembered("sso", profile.id) or {}
    return render("vault_saml.html", profile, screen=screen,
                  values={name: saved.get(name, "")
                          for name in ("login_method", "issuer", "sso_url")},
                  errors={}, saved=bool(saved))


def _vault_data_integration(context: ConsoleContext, profile: Profile, screen: Screen) -> Page:
    done = signed_on(profile)
    # Every organization's page, so its "Set as active SCIM Provider" stays one click away.
    organizations = [tenant for tenant in context.sandbox.tenants()
                     if tenant.profile.id == profile.id]
    sso_path = flows.menus(profile).get(flows.flow_plan(profile).sso or "", ())
    common = {"screen": screen, "signed_on": done, "organizations": organizations,
              "sso_url": menu_url(profile, sso_path) if sso_path else None}
    if request.method == "POST":
        result = forms.save_vault_data_integration(context.sandbox, profile, request.form,
                                                   done)
        if result.tenant is None:
            return invalid("vault_data_integration.html", profile, result, **common)
        return redirect(tenant_url_for(profile, result.tenant))
    return render("vault_data_integration.html", profile, values={"active": "on"}, errors={},
                  just_saved=request.args.get("saved") == "authentication", **common)


def _olfeo_directory(context: ConsoleContext, profile: Profile, screen: Screen) -> Page:
    directories = [tenant for tenant in context.sandbox.tenants()
                   if tenant.profile.id == profile.id]
    names = {tenant.id: remembered("directory_names", tenant.id) or tenant.id
             for tenant in directories}
    common = {"screen": screen, "directories": directories, "names": names}
    if request.method == "POST":
        result = forms.create_olfeo_directory(context.sandbox, profile, request.form)
        if result.tenant is None:
            return invalid("olfeo_directory.html", profile, result, creating=True, **common)
        remember_for("directory_names", result.tenant.id, result.extra["name"])
        return redirect(tenant_url_for(profile, result.tenant, "general"))
    return render("olfeo_directory.html", profile, values={}, errors={},
                  creating=request.args.get("nouveau") == "1", **common)


NAMED_STEPS: dict[str, NamedStep] = {
    "vault_saml": NamedStep(_vault_saml),
    "vault_data_integration": NamedStep(_vault_data_integration,
                                        "vault_data_integration_tenant.html"),
    "olfeo_directory": NamedStep(_olfeo_directory, "olfeo_directory_tenant.html",
                                 tabs=("general",)),
}
