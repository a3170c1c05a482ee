"""The form submissions of the setup flows' common steps, in plain Python (no Flask): each
checks what the admin typed and creates the tenant through the service.

A submission returns a `Submission`: the tenant it made, or a message per field and the
values to show again. Secrets are never among the values shown again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sandbox.console import setup_checks as checks
from sandbox.console.setup_flows import labels
from sandbox.scim.errors import ScimError
from sandbox.service import TenantRegistry, TenantService
from sandbox.vendors import Profile

SUPPORT_FIELDS = ("contact_name", "email", "company", "entra_tenant_id", "domain", "notes")


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


def text(form: Mapping[str, str], name: str) -> str:
    return str(form.get(name, "") or "")


def create(registry: TenantRegistry, result: Submission, vendor: str,
           **options: Any) -> Submission:
    """Create the tenant unless a field was refused; a refusal by the service (a taken id or
    slug) becomes a form message, never a 500."""
    if result.errors:
        return result
    try:
        result.tenant = registry.create_tenant(vendor, **options)
    except ScimError as error:
        result.errors["form"] = error.detail
    return result


def free_tenant_id(registry: TenantRegistry, base: str) -> str:
    """Tenant ids are one namespace for every vendor: `base`, or `base` with a suffix."""
    return checks.unique_name(base, lambda name: registry.tenant(name) is not None)


def confirm_prerequisites(profile: Profile, form: Mapping[str, str]) -> Submission:
    """The admin confirms each prerequisite the profile lists (Velpic's plan and role)."""
    result = Submission()
    for index, prerequisite in enumerate(profile.setup.get("prerequisites", [])):
        name = f"prerequisite-{index}"
        confirmed = form.get(name) == "on"
        result.values[name] = "on" if confirmed else ""
        result.fail(name, checks.check_confirmed(confirmed, prerequisite))
    return result


def save_sso(form: Mapping[str, str]) -> Submission:
    """Single sign-on first: the values of the Entra app's SAML page, checked. Nothing is
    created; the settings are console state the step that issues the credentials waits for."""
    result = Submission(values={name: text(form, name).strip() for name in ("issuer", "sso_url")})
    result.values["certificate"] = text(form, "certificate")
    result.fail("issuer", checks.check_https_url(result.values["issuer"],
                                                 "Microsoft Entra Identifier"))
    result.fail("sso_url", checks.check_https_url(result.values["sso_url"], "Login URL"))
    result.fail("certificate", checks.check_certificate(result.values["certificate"]))
    if not result.errors:
        result.extra = {"issuer": result.values["issuer"], "sso_url": result.values["sso_url"]}
    return result


def issue_credentials(registry: TenantRegistry, profile: Profile) -> Submission:
    """The switch on the screen at the end of the menu (Velpic's SCIM plugin, Visitly's
    Microsoft Entra ID section, an OAuth app registration): it issues the credentials."""
    return create(registry, Submission(), profile.id)


def choose_secret(registry: TenantRegistry, profile: Profile,
                  form: Mapping[str, str]) -> Submission:
    """The admin types a strong secret of their own; it becomes the tenant's secret (the
    bearer token, the Basic password or the OAuth client secret, as its auth kind has it). A
    vendor whose Tenant URL ends in a slug asks for that too."""
    words = labels(profile)
    result = Submission()
    secret = text(form, "secret")
    result.fail("secret", checks.check_secret(secret, words["token_label"]))
    options: dict[str, Any] = {"token": secret}
    if profile.tenant_placeholder == "slug":
        slug = result.values["slug"] = text(form, "slug").strip()
        result.fail("slug", checks.check_slug(slug, words["slug_label"]))
        if "slug" not in result.errors and registry.tenant_exists(profile.id, slug):
            result.errors["slug"] = f"{words['slug_label']} “{slug}” is taken; choose another."
        options.update(slug=slug, tenant_id=free_tenant_id(registry, slug[:56] or profile.id))
    return create(registry, result, profile.id, **options)


def request_support(registry: TenantRegistry, profile: Profile,
                    form: Mapping[str, str]) -> Submission:
    """No self-service (Veritas): a support request saying who is asking and for which Entra
    tenant; the (simulated) support desk answers with the credentials."""
    result = Submission(values={name: text(form, name).strip() for name in SUPPORT_FIELDS})
    values = result.values
    result.fail("contact_name", checks.missing_field_message(values["contact_name"], "Your name"))
    result.fail("email", checks.check_email(values["email"], "Work email"))
    result.fail("company", checks.missing_field_message(values["company"], "Company"))
    result.fail("entra_tenant_id", checks.check_entra_tenant_id(values["entra_tenant_id"]))
    if not result.errors:
        result.extra = {"contact_name": values["contact_name"], "email": values["email"],
                        "company": values["company"]}
    return create(registry, result, profile.id)


def create_plain(registry: TenantRegistry, profile: Profile,
                 form: Mapping[str, str]) -> Submission:
    """A profile without console screens (generic): id and token are optional; the service
    checks them and makes what is missing."""
    result = Submission(values={"tenant_id": text(form, "tenant_id").strip()})
    token = text(form, "token") if profile.auth.kind == "bearer" else ""
    tenant_id = result.values["tenant_id"]
    if tenant_id:
        result.fail("tenant_id", checks.check_slug(tenant_id, "Tenant id"))
        if "tenant_id" not in result.errors and registry.tenant(tenant_id) is not None:
            result.errors["tenant_id"] = f"Tenant id “{tenant_id}” is taken; choose another."
    options: dict[str, Any] = {"tenant_id": tenant_id or None}
    if token:
        options["token"] = token
    return create(registry, result, profile.id, **options)
