"""What each vendor's setup flow does, in plain Python (no Flask): its menus, its labels, the
tutorial lines shown beside each step, and the form submissions that create real tenants
through the service.

The screens are driven by the profile's `[setup]` table (menus, labels, language) so that a
vendor's console reads as its tutorial does; the routes in `setup_routes` only render these.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from sandbox.console import setup_checks as checks
from sandbox.scim.errors import ScimError
from sandbox.service import TenantRegistry, TenantService
from sandbox.vendors import Profile

# Flows with their own screens; any other profile (generic, or one loaded with --vendors)
# gets the plain "Create a tenant" form.
VENDOR_FLOWS = ("velpic", "visitly", "vaultplatform", "olfeo", "veritas")

# Words of the simulated consoles that a profile may translate under [setup.labels].
DEFAULT_LABELS: dict[str, str] = {
    "url_label": "Tenant URL",
    "secret_label": "Secret Token",
    "copy_button": "Copy",
    "copied_notice": "Copied",
    "simulation": "simulation",
    "home": "Home",
    "select_next": "Select {next} in the menu.",
    "enable": "Enable",
    "enabled": "Enabled",
}


def flow_of(profile: Profile) -> str:
    return profile.id if profile.id in VENDOR_FLOWS else "generic"


def labels(profile: Profile) -> dict[str, str]:
    """The console's words for this vendor: defaults, then the profile's own."""
    setup = profile.setup
    merged = {**DEFAULT_LABELS, **setup.get("labels", {})}
    for key in ("secret_label", "url_label"):
        if key in setup:
            merged[key] = setup[key]
    return merged


def language(profile: Profile) -> str:
    return str(profile.setup.get("language", "en"))


def tutorial(profile: Profile, step: str) -> list[str]:
    """The tutorial's lines for one step, as quoted under [setup.tutorial]."""
    return list(profile.setup.get("tutorial", {}).get(step, []))


_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_CODE = re.compile(r"`([^`]+)`")


def doc_line(line: str) -> Markup:
    """A tutorial line with its Markdown emphasis kept (bold, code) and link targets dropped."""
    text = str(escape(_LINK.sub(r"\1", line)))
    text = _BOLD.sub(r"<strong>\1</strong>", text)
    return Markup(_CODE.sub(r"<code>\1</code>", text))


# Menus ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MenuItem:
    label: str
    trail: tuple[str, ...]  # slugs from the top of the menu down to this item
    depth: int
    current: bool


# Sub-tables of [setup] that describe the screens' words, not a screen of their own.
_NOT_SCREENS = {"tutorial", "labels", "choices"}


def menus(profile: Profile) -> dict[str, tuple[str, ...]]:
    """Each screen reached through the console's menu, by name: `main` for a profile's one
    `menu`, else one per sub-table with its own (Vault Platform's `authentication` ...)."""
    setup = profile.setup
    found: dict[str, tuple[str, ...]] = {}
    if setup.get("menu"):
        found["main"] = tuple(setup["menu"])
    for name, value in setup.items():
        if name not in _NOT_SCREENS and isinstance(value, dict) and value.get("menu"):
            found[name] = tuple(value["menu"])
    return found


def menu_slug(label: str) -> str:
    return checks.slugify(label) or "item"


def find_screen(profile: Profile, trail: tuple[str, ...]) -> tuple[str | None, tuple[str, ...]]:
    """(screen name if `trail` is a full menu path else None, its labels); a trail that is no
    menu path at all gives (None, ())."""
    for name, path in menus(profile).items():
        slugs = tuple(menu_slug(label) for label in path)
        if trail and slugs[:len(trail)] == trail:
            return (name if len(trail) == len(slugs) else None), path[:len(trail)]
    return None, ()


def menu_items(profile: Profile, trail: tuple[str, ...]) -> list[MenuItem]:
    """The console's menu as a tree, opened along `trail`: top-level items always, children
    of an item only once it is selected, so the admin clicks down as the tutorial says."""
    items: list[MenuItem] = []
    seen: set[tuple[str, ...]] = set()
    for path in menus(profile).values():
        slugs = tuple(menu_slug(label) for label in path)
        for depth, label in enumerate(path):
            item_trail = slugs[:depth + 1]
            if item_trail in seen or (depth and slugs[:depth] != trail[:depth]):
                continue
            seen.add(item_trail)
            items.append(MenuItem(label, item_trail, depth, item_trail == trail))
    # Keep children under their parent whatever order the menus were declared in.
    return sorted(items, key=lambda item: [_order(profile, item.trail[:i + 1])
                                           for i in range(len(item.trail))])


def _order(profile: Profile, trail: tuple[str, ...]) -> int:
    for index, path in enumerate(menus(profile).values()):
        slugs = tuple(menu_slug(label) for label in path)
        if slugs[:len(trail)] == trail:
            return index
    return 0


def next_label(profile: Profile, trail: tuple[str, ...]) -> list[str]:
    """The labels one level below `trail` (what the admin selects next)."""
    found: list[str] = []
    for path in menus(profile).values():
        slugs = tuple(menu_slug(label) for label in path)
        below = len(slugs) > len(trail) and slugs[:len(trail)] == trail
        if below and path[len(trail)] not in found:
            found.append(path[len(trail)])
    return found


# Form submissions ----------------------------------------------------------------------------


@dataclass(slots=True)
class Submission:
    """A form's outcome: the tenant it made, or messages by field and the values to keep."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    tenant: TenantService | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # console state, never tenant data

    def fail(self, name: str, message: str | None) -> None:
        if message and name not in self.errors:
            self.errors[name] = message


def _text(form: Mapping[str, str], name: str) -> str:
    return str(form.get(name, "") or "")


def _create(sandbox: TenantRegistry, result: Submission, vendor: str, **options: Any) -> Submission:
    """Create the tenant unless a field was refused; a refusal by the service (a taken id or
    slug) becomes a form message, never a 500."""
    if result.errors:
        return result
    try:
        result.tenant = sandbox.create_tenant(vendor, **options)
    except ScimError as error:
        result.errors["form"] = error.detail
    return result


def confirm_prerequisites(profile: Profile, form: Mapping[str, str]) -> Submission:
    """Velpic: the admin confirms each prerequisite the tutorial lists."""
    result = Submission()
    for index, prerequisite in enumerate(profile.setup.get("prerequisites", [])):
        name = f"prerequisite-{index}"
        confirmed = form.get(name) == "on"
        result.values[name] = "on" if confirmed else ""
        result.fail(name, checks.check_confirmed(confirmed, prerequisite))
    return result


def enable_plugin(sandbox: TenantRegistry, profile: Profile) -> Submission:
    """Velpic's SCIM plugin, Visitly's Microsoft Entra ID section: one switch that issues the
    credentials."""
    return _create(sandbox, Submission(), profile.id)


def save_authentication(profile: Profile, form: Mapping[str, str]) -> Submission:
    """Vault Platform, Administration > Authentication. Nothing is created here: the SAML
    settings are console state the Data Integration step needs first."""
    spec = profile.setup.get("authentication", {})
    result = Submission(values={name: _text(form, name).strip()
                                for name in ("login_method", "issuer", "sso_url")})
    result.values["certificate"] = _text(form, "certificate")
    result.fail("login_method", checks.check_choice(
        result.values["login_method"], spec.get("login_method", ""), "the login method"))
    result.fail("issuer", checks.check_issuer(result.values["issuer"], spec.get("issuer", "")))
    result.fail("sso_url", checks.check_https_url(result.values["sso_url"], "SSO URL"))
    result.fail("certificate", checks.check_certificate(result.values["certificate"]))
    if not result.errors:
        result.extra = {"login_method": result.values["login_method"],
                        "issuer": result.values["issuer"], "sso_url": result.values["sso_url"]}
    return result


def save_data_integration(sandbox: TenantRegistry, profile: Profile, form: Mapping[str, str],
                          authenticated: bool) -> Submission:
    """Vault Platform, Administration > Data Integration: the Secret becomes the tenant's
    token, the slug its Tenant URL, and the toggle its active-provider switch."""
    spec = profile.setup.get("data_integration", {})
    result = Submission(values={name: _text(form, name).strip()
                                for name in ("provider", "secret_location", "slug")})
    active = form.get("active") == "on"
    result.values["active"] = "on" if active else ""
    if not authenticated:
        result.errors["form"] = ("Set up Administration > Authentication first: the tutorial "
                                 "configures SAML sign-in before Data Integration.")
    result.fail("provider", checks.check_choice(
        result.values["provider"], spec.get("provider", ""), "Data Integration"))
    result.fail("secret_location", checks.check_choice(
        result.values["secret_location"], spec.get("secret_location", ""),
        "Method of providing SCIM secret location"))
    secret = _text(form, "secret")
    result.fail("secret", checks.check_secret(secret))
    slug = result.values["slug"]
    result.fail("slug", checks.check_slug(slug))
    if "slug" not in result.errors and sandbox.tenant_exists(profile.id, slug):
        result.errors["slug"] = f"Organization slug “{slug}” is taken; choose another."
    # Tenant ids are one namespace for every vendor, so the slug may need a suffix there.
    tenant_id = checks.unique_name(slug[:56] or "vault",
                                   lambda name: sandbox.tenant(name) is not None)
    _create(sandbox, result, profile.id, token=secret, slug=slug, tenant_id=tenant_id)
    if result.tenant is not None and "active_scim_provider" in profile.settings:
        sandbox.update_settings(result.tenant.id, {"active_scim_provider": active})
    return result


def create_directory(registry: TenantRegistry, profile: Profile,
                     form: Mapping[str, str]) -> Submission:
    """Olfeo SAAS, Configuration > Annuaires: a named directory with the Azure provider; its
    name gives the tenant id (a safe slug, made unique)."""
    words = labels(profile)
    result = Submission(values={"name": _text(form, "name").strip(),
                                "provider": _text(form, "provider")})
    name = result.values["name"]
    if not name:
        result.errors["name"] = words.get("error_name_required", "Name the directory.")
    elif len(name) > 100 or not checks.slugify(name):
        result.errors["name"] = words.get(
            "error_name_invalid", "The name needs at least one letter or digit.")
    expected = profile.setup.get("provider", "")
    if result.values["provider"] != expected:
        result.errors["provider"] = words.get(
            "error_provider", "Select the {provider} provider.").format(provider=expected)
    if result.errors:
        return result
    tenant_id = checks.unique_name(checks.slugify(name),
                                   lambda candidate: registry.tenant(candidate) is not None)
    result.extra = {"name": name}
    return _create(registry, result, profile.id, tenant_id=tenant_id)


SUPPORT_FIELDS = ("contact_name", "email", "company", "entra_tenant_id", "domain", "notes")


def request_support(registry: TenantRegistry, profile: Profile,
                    form: Mapping[str, str]) -> Submission:
    """Veritas: no self-service. A support request with who is asking and for which Entra
    tenant; the (simulated) support desk answers with the credentials."""
    result = Submission(values={name: _text(form, name).strip() for name in SUPPORT_FIELDS})
    values = result.values
    result.fail("contact_name", checks.missing_field_message(values["contact_name"], "Your name"))
    result.fail("email", checks.check_email(values["email"], "Work email"))
    result.fail("company", checks.missing_field_message(values["company"], "Company"))
    result.fail("entra_tenant_id", checks.check_entra_tenant_id(values["entra_tenant_id"]))
    if not result.errors:
        result.extra = {"contact_name": values["contact_name"], "email": values["email"],
                        "company": values["company"]}
    return _create(registry, result, profile.id)


def create_plain(sandbox: TenantRegistry, profile: Profile, form: Mapping[str, str]) -> Submission:
    """The generic profile (and any profile without screens of its own): id and token are
    optional; the service checks them and makes what is missing."""
    result = Submission(values={"tenant_id": _text(form, "tenant_id").strip()})
    token = _text(form, "token")
    tenant_id = result.values["tenant_id"]
    if tenant_id:
        result.fail("tenant_id", checks.check_slug(tenant_id, "Tenant id"))
        if "tenant_id" not in result.errors and sandbox.tenant(tenant_id) is not None:
            result.errors["tenant_id"] = f"Tenant id “{tenant_id}” is taken; choose another."
    return _create(sandbox, result, profile.id, tenant_id=tenant_id or None,
                   token=token or None)
