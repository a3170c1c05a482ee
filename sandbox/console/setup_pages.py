"""What every setup screen's view shares: rendering in the vendor's words, the profile and
tenant a URL names, and the console state kept in the signed session.

Console state that is not tenant data (prerequisites confirmed, single sign-on settings, a
support request's contact, a directory's name) lives in the session; tenants are made and
changed only through the service.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import abort, render_template, session, url_for
from werkzeug.wrappers import Response

from sandbox.console import setup_flows as flows
from sandbox.console.context import ConsoleContext
from sandbox.console.setup_forms import Submission
from sandbox.service import TenantService
from sandbox.vendors import Profile

Page = str | tuple[str, int] | Response
_STATE = "console_setup"
# The session is a cookie, and a browser drops one over 4 KB (signing the admin out): keep
# the few most recent entries, each text cut short. What is kept is only shown back.
_REMEMBERED = 8
_REMEMBERED_CHARS = 120


@dataclass(frozen=True, slots=True)
class Screen:
    """Where a screen sits in the vendor's console: its menu trail (slugs) and labels."""

    trail: tuple[str, ...] = ()
    path: tuple[str, ...] = ()


def state() -> dict[str, Any]:
    return dict(session.get(_STATE) or {})


def remember_for(key: str, owner: str, value: Any) -> None:
    """Keep `value` under `key` for one vendor or tenant (`owner`), most recent last."""
    current = state()
    per_owner = dict(current.get(key) or {})
    per_owner.pop(owner, None)
    per_owner[owner] = _cut(value)
    current[key] = dict(list(per_owner.items())[-_REMEMBERED:])
    session[_STATE] = current


def remembered(key: str, owner: str) -> Any:
    return (state().get(key) or {}).get(owner)


def _cut(value: Any) -> Any:
    if isinstance(value, str):
        return value[:_REMEMBERED_CHARS]
    if isinstance(value, dict):
        return {key: _cut(item) for key, item in value.items()}
    return value


def prerequisites_confirmed(profile: Profile) -> bool:
    return bool(remembered("prerequisites", profile.id))


def signed_on(profile: Profile) -> bool:
    """Whether single sign-on is set up for this vendor (by its named step or the console's
    own single sign-on step)."""
    return bool(remembered("sso", profile.id))


def profile_of(context: ConsoleContext, vendor_id: str) -> Profile:
    profile = context.sandbox.profiles.get(vendor_id)
    if profile is None:
        abort(404, f"There is no vendor '{vendor_id}' in this sandbox.")
    return profile


def tenant_of(context: ConsoleContext, profile: Profile, tenant_id: str) -> TenantService:
    """Only a tenant of this vendor: one vendor's screen never shows another's secrets."""
    tenant = context.sandbox.tenant(tenant_id)
    if tenant is None or tenant.profile.id != profile.id:
        abort(404, f"{profile.name} has no tenant '{tenant_id}'.")
    return tenant


def render(template: str, profile: Profile, status: int = 200, screen: Screen = Screen(),
           **values: Any) -> Page:
    """A setup screen in the vendor's language, with the vendor's words and menu."""
    menu = values.pop("menu", None)
    page = render_template(
        f"console/setup/{template}", section="setup", profile=profile,
        plan=flows.flow_plan(profile), lang=flows.language(profile),
        words=flows.labels(profile), guide=lambda step: flows.guide(profile, step),
        trail=screen.trail, path=screen.path,
        menu=flows.menu_items(profile, screen.trail) if menu is None else menu, **values)
    return page if status == 200 else (page, status)


def invalid(template: str, profile: Profile, result: Submission, **values: Any) -> Page:
    # 422: the form is shown again with what was typed and why it was refused.
    return render(template, profile, 422, values=result.values, errors=result.errors,
                  **values)


def tenant_url_for(profile: Profile, tenant: TenantService, tab: str = "credentials") -> str:
    """The last screen of the flow: one tenant's page, on one of its tabs."""
    if tab == "credentials":
        return url_for("console.setup_tenant", vendor_id=profile.id, tenant_id=tenant.id)
    return url_for("console.setup_tenant_tab", vendor_id=profile.id, tenant_id=tenant.id,
                   tab=tab)


def menu_url(profile: Profile, path: tuple[str, ...], **args: Any) -> str:
    return url_for("console.setup_menu", vendor_id=profile.id,
                   trail="/".join(flows.trail_of(path)), **args)


def step_url(profile: Profile, step: str, **args: Any) -> str:
    return url_for("console.setup_step", vendor_id=profile.id, step=step, **args)
