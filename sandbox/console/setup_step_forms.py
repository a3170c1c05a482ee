"""The form submissions of the named extra steps (`[setup] extra_steps`), in plain Python:
what only one vendor's console asks, checked as its tutorial says. Each reads its data from
the profile's `[setup.<step name>]` table (checked at load by `vendors.setup_spec`).
"""

from __future__ import annotations

from collections.abc import Mapping

from sandbox.console import setup_checks as checks
from sandbox.console.setup_flows import labels
from sandbox.console.setup_forms import Submission, create, free_tenant_id, text
from sandbox.service import TenantRegistry
from sandbox.vendors import Profile


def save_vault_saml(profile: Profile, form: Mapping[str, str]) -> Submission:
    """`vault_saml` (Vault Platform, Administration > Authentication): SAML sign-in. Nothing
    is created here: the settings are console state the Data Integration step needs first."""
    spec = profile.setup["vault_saml"]
    result = Submission(values={name: text(form, name).strip()
                                for name in ("login_method", "issuer", "sso_url")})
    result.values["certificate"] = text(form, "certificate")
    result.fail("login_method", checks.check_choice(
        result.values["login_method"], spec["login_method"], "the login method"))
    result.fail("issuer", checks.check_issuer(result.values["issuer"], spec["issuer"]))
    result.fail("sso_url", checks.check_https_url(result.values["sso_url"], "SSO URL"))
    result.fail("certificate", checks.check_certificate(result.values["certificate"]))
    if not result.errors:
        result.extra = {"login_method": result.values["login_method"],
                        "issuer": result.values["issuer"], "sso_url": result.values["sso_url"]}
    return result


def save_vault_data_integration(registry: TenantRegistry, profile: Profile,
                                form: Mapping[str, str], signed_on: bool) -> Submission:
    """`vault_data_integration` (Vault Platform, Administration > Data Integration): the
    Secret becomes the tenant's token, the slug its Tenant URL, and the toggle its
    active-provider switch."""
    spec = profile.setup["vault_data_integration"]
    result = Submission(values={name: text(form, name).strip()
                                for name in ("provider", "secret_location", "slug")})
    active = form.get("active") == "on"
    result.values["active"] = "on" if active else ""
    if not signed_on:
        result.errors["form"] = ("Set up Administration > Authentication first: the tutorial "
                                 "configures SAML sign-in before Data Integration.")
    fields = spec["fields"]
    result.fail("provider", checks.check_choice(
        result.values["provider"], spec["provider"], fields[0]))
    result.fail("secret_location", checks.check_choice(
        result.values["secret_location"], spec["secret_location"], fields[1]))
    result.fail("secret", checks.check_secret(text(form, "secret"), labels(profile)["token_label"]))
    slug = result.values["slug"]
    result.fail("slug", checks.check_slug(slug))
    if "slug" not in result.errors and registry.tenant_exists(profile.id, slug):
        result.errors["slug"] = f"Organization slug “{slug}” is taken; choose another."
    create(registry, result, profile.id, token=text(form, "secret"), slug=slug,
           tenant_id=free_tenant_id(registry, slug[:56] or profile.id))
    if result.tenant is not None and "active_scim_provider" in profile.settings:
        registry.update_settings(result.tenant.id, {"active_scim_provider": active})
    return result


def create_olfeo_directory(registry: TenantRegistry, profile: Profile,
                           form: Mapping[str, str]) -> Submission:
    """`olfeo_directory` (Olfeo SAAS, Configuration > Annuaires): a named directory with the
    Azure provider; its name gives the tenant id (a safe slug, made unique)."""
    words = labels(profile)
    result = Submission(values={"name": text(form, "name").strip(),
                                "provider": text(form, "provider")})
    name = result.values["name"]
    if not name:
        result.errors["name"] = words.get("error_name_required", "Name the directory.")
    elif len(name) > 100 or not checks.slugify(name):
        result.errors["name"] = words.get(
            "error_name_invalid", "The name needs at least one letter or digit.")
    expected = profile.setup["olfeo_directory"]["provider"]
    if result.values["provider"] != expected:
        result.errors["provider"] = words.get(
            "error_provider", "Select the {provider} provider.").format(provider=expected)
    if result.errors:
        return result
    result.extra = {"name": name}
    return create(registry, result, profile.id,
                  tenant_id=free_tenant_id(registry, checks.slugify(name)))
