"""The setup screens' checks and flows, without a browser: what each vendor's tutorial asks of
the admin, and the tenants the flows make through the service."""

from __future__ import annotations

import base64
import re

import pytest

from sandbox.console import setup_checks as checks
from sandbox.console import setup_flows as flows
from sandbox.console import setup_forms as forms
from sandbox.console import setup_step_forms as step_forms
from sandbox.service import TenantRegistry
from sandbox.vendors import bundled_vendors_dir, load_profiles

PROFILES = load_profiles(bundled_vendors_dir())
BODY = base64.b64encode(bytes(range(256)) * 3).decode()
CERTIFICATE = "\n".join([checks.BEGIN_CERTIFICATE,
                         *(BODY[i:i + 64] for i in range(0, len(BODY), 64)),
                         checks.END_CERTIFICATE])
STRONG = "Vault-Secret-2024!xyz"


@pytest.fixture()
def sandbox() -> TenantRegistry:
    return TenantRegistry(PROFILES)


# Certificates --------------------------------------------------------------------------------


def test_a_base64_certificate_with_its_markers_passes():
    """Vault Platform tutorial (SAML step): the Base64 certificate is pasted whole, its BEGIN
    and END lines included."""
    assert checks.check_certificate(CERTIFICATE) is None
    assert checks.check_certificate(f"\n  {CERTIFICATE}\r\n") is None  # pasted with blank lines


@pytest.mark.parametrize(("text", "expected"), [
    ("", "empty"),
    (BODY, "start with the -----BEGIN CERTIFICATE----- marker"),
    (f"{checks.BEGIN_CERTIFICATE}\n{BODY}", "end with the -----END CERTIFICATE----- marker"),
    (f"{checks.BEGIN_CERTIFICATE}\n{checks.END_CERTIFICATE}", "nothing between them"),
    (f"{checks.BEGIN_CERTIFICATE}\nnot*base64*at&all\n{checks.END_CERTIFICATE}", "not Base64"),
    (f"{CERTIFICATE}\n{CERTIFICATE}", "more than one certificate"),
])
def test_a_certificate_without_markers_or_base64_is_refused_saying_why(text, expected):
    """Vault Platform tutorial: the Certificate field takes the Base64 file with its markers."""
    message = checks.check_certificate(text)
    assert message is not None and expected in message


# Issuer, SSO URL, choices -------------------------------------------------------------------


def test_the_issuer_must_be_exactly_vaultplatform():
    """Vault Platform tutorial (SAML step): the Issuer URI is exactly `vaultplatform`."""
    assert checks.check_issuer("vaultplatform", "vaultplatform") is None
    assert checks.check_issuer(" vaultplatform ", "vaultplatform") is None
    assert "must be set to “vaultplatform”" in checks.check_issuer("VaultPlatform",
                                                                   "vaultplatform")
    assert "empty" in checks.check_issuer("", "vaultplatform")


@pytest.mark.parametrize("url", ["http://login.example/saml2", "login.microsoftonline.com/x",
                                 "https://", "https://exa mple.com/x", ""])
def test_the_sso_url_must_be_an_https_url(url):
    assert checks.check_https_url(url, "SSO URL") is not None


def test_an_https_login_url_passes():
    url = "https://login.microsoftonline.com/8a3b2c1d-0000-4000-8000-123456789abc/saml2"
    assert checks.check_https_url(url, "SSO URL") is None


def test_a_choice_names_the_value_the_tutorial_wants():
    assert checks.check_choice("Azure", "Azure", "Data Integration") is None
    assert checks.check_choice("", "Azure", "Data Integration") == (
        "Select “Azure” for Data Integration.")
    assert "must be “bearer”" in checks.check_choice("query", "bearer", "Method")


# Secrets -------------------------------------------------------------------------------------


def test_a_strong_secret_passes():
    """Vault Platform tutorial (Data Integration): the Secret is as complex as a strong
    password."""
    assert checks.secret_shortfalls(STRONG) == []
    assert checks.check_secret(STRONG) is None


@pytest.mark.parametrize(("secret", "missing"), [
    ("short1A!", ["at least 16 characters (it has 8)"]),
    ("alllowercaseletters", ["an uppercase letter", "a digit", "a symbol such as !#%+-_"]),
    ("ALLUPPER123456789!", ["a lowercase letter"]),
    ("NoDigitsHere!!!!!!", ["a digit"]),
    ("NoSymbols12345678", ["a symbol such as !#%+-_"]),
])
def test_a_weak_secret_says_what_it_lacks(secret, missing):
    assert checks.secret_shortfalls(secret) == missing
    message = checks.check_secret(secret)
    assert message is not None and message.startswith("Secret is not strong enough")
    assert all(item in message for item in missing)


@pytest.mark.parametrize("secret", ["Strong Secret 2024!x", "Stróng-Secret-2024!x",
                                    "Tab\tSecret-2024!xx"])
def test_a_secret_that_cannot_be_a_bearer_token_is_refused(secret):
    assert "printable ASCII" in checks.check_secret(secret)


# Slugs and names -----------------------------------------------------------------------------


@pytest.mark.parametrize("slug", ["acme", "acme-corp", "a1", "x" * 63])
def test_good_slugs_pass(slug):
    assert checks.check_slug(slug) is None


@pytest.mark.parametrize("slug", ["", "Acme", "-acme", "acme-", "ac me", "acme/../x", "x" * 64,
                                  "acme_corp", "é"])
def test_bad_slugs_are_refused(slug):
    assert checks.check_slug(slug) is not None


def test_slugify_makes_a_safe_path_segment_from_a_french_name():
    assert checks.slugify("Siège Paris") == "siege-paris"
    assert checks.slugify("  Équipe R&D / Lyon  ") == "equipe-r-d-lyon"
    assert checks.slugify("!!!") == ""
    assert re.fullmatch(r"[a-z0-9-]+", checks.slugify("x" * 200))


def test_unique_name_adds_the_first_free_suffix():
    taken = {"siege", "siege-2"}
    assert checks.unique_name("siege", taken.__contains__) == "siege-3"
    assert checks.unique_name("lyon", taken.__contains__) == "lyon"


def test_support_request_fields():
    assert checks.check_email("ann@contoso.com") is None
    assert checks.check_email("ann@contoso") is not None
    assert checks.check_entra_tenant_id("8a3b2c1d-0000-4000-8000-123456789abc") is None
    assert "GUID" in checks.check_entra_tenant_id("contoso.onmicrosoft.com")


def test_a_field_left_empty_gets_a_form_message_naming_it():
    assert checks.missing_field_message("  \t", "Company") == "Company is required."
    assert checks.missing_field_message("Contoso", "Company") is None


def test_an_unconfirmed_prerequisite_quotes_the_tutorial():
    """Velpic tutorial, prerequisites: the Enterprise plan or a higher one is needed; the
    message names the profile's line for it."""
    line = PROFILES["velpic"].setup["prerequisites"][0]
    assert checks.check_confirmed(True, line) is None
    assert checks.check_confirmed(False, line) == (
        f"The tutorial requires this before you start: “{line}”.")


# Flows over a real sandbox -------------------------------------------------------------------


def _vault_form(**changes: str) -> dict[str, str]:
    form = {"provider": "Azure", "secret_location": "bearer", "secret": STRONG,
            "slug": "acme", "active": "on"}
    form.update(changes)
    return form


def test_vault_data_integration_makes_the_secret_the_token_and_the_slug_the_url(sandbox):
    """Vault Platform tutorial: the Tenant URL is `https://app.vaultplatform.com/api/scim/`
    plus the organization slug, and the Secret Token is the Secret chosen in Data Integration."""
    result = step_forms.save_vault_data_integration(
        sandbox, PROFILES["vaultplatform"], _vault_form(), signed_on=True)
    assert result.errors == {}
    tenant = result.tenant
    assert tenant.token == STRONG and tenant.path == "/api/scim/acme"
    assert tenant.settings["active_scim_provider"] is True
    assert sandbox.authenticate("vaultplatform", "acme", STRONG) is tenant


def test_vault_data_integration_with_the_toggle_off_makes_an_inactive_provider(sandbox):
    """Vault Platform tutorial (Data Integration): Set as active SCIM Provider is switched on;
    until it is, the endpoint refuses requests."""
    result = step_forms.save_vault_data_integration(
        sandbox, PROFILES["vaultplatform"], _vault_form(active=""), signed_on=True)
    assert result.tenant.settings["active_scim_provider"] is False


def test_vault_data_integration_refuses_everything_wrong_at_once_and_creates_nothing(sandbox):
    form = _vault_form(provider="", secret_location="query", secret="weak", slug="Acme Corp")
    result = step_forms.save_vault_data_integration(
        sandbox, PROFILES["vaultplatform"], form, signed_on=False)
    assert result.tenant is None
    assert set(result.errors) == {"form", "provider", "secret_location", "secret", "slug"}
    assert "secret" not in result.values  # a secret is never echoed back into the form
    assert result.values["slug"] == "Acme Corp"
    assert sandbox.tenants() == []


def test_vault_slug_taken_is_a_form_message(sandbox):
    profile = PROFILES["vaultplatform"]
    step_forms.save_vault_data_integration(sandbox, profile, _vault_form(), signed_on=True)
    again = step_forms.save_vault_data_integration(sandbox, profile, _vault_form(),
                                                   signed_on=True)
    assert again.tenant is None and "taken" in again.errors["slug"]


def test_vault_authentication_keeps_the_saml_settings_but_creates_nothing(sandbox):
    profile = PROFILES["vaultplatform"]
    form = {"login_method": "Identity Provider - Azure - SAML", "issuer": "vaultplatform",
            "sso_url": "https://login.microsoftonline.com/x/saml2", "certificate": CERTIFICATE}
    result = step_forms.save_vault_saml(profile, form)
    assert result.errors == {} and result.extra["issuer"] == "vaultplatform"
    wrong = step_forms.save_vault_saml(profile, {**form, "login_method": "Email and password",
                                                "issuer": "vault"})
    assert set(wrong.errors) == {"login_method", "issuer"}
    assert sandbox.tenants() == []


def test_olfeo_directory_names_give_unique_safe_tenant_ids(sandbox):
    """Olfeo SAAS tutorial: the admin creates and names a directory, picks Azure, then Créer."""
    profile = PROFILES["olfeo"]
    first = step_forms.create_olfeo_directory(sandbox, profile,
                                              {"name": "Siège Paris", "provider": "Azure"})
    second = step_forms.create_olfeo_directory(sandbox, profile,
                                               {"name": "Siège  Paris!", "provider": "Azure"})
    assert first.tenant.id == "siege-paris" and second.tenant.id == "siege-paris-2"
    assert first.tenant.path == "/olfeo/siege-paris/scim/v2"
    assert first.extra == {"name": "Siège Paris"}


def test_olfeo_directory_errors_are_in_french(sandbox):
    profile = PROFILES["olfeo"]
    result = step_forms.create_olfeo_directory(sandbox, profile, {"name": "", "provider": ""})
    assert result.errors == {"name": "Donnez un nom à l'annuaire.",
                             "provider": "Sélectionnez le fournisseur Azure."}
    assert sandbox.tenants() == []


def test_veritas_support_request_issues_a_tenant_only_when_complete(sandbox):
    """Veritas tutorial: no self-service; the vendor's support sets provisioning up."""
    profile = PROFILES["veritas"]
    form = {"contact_name": "Ann Admin", "email": "ann@contoso.com", "company": "Contoso",
            "entra_tenant_id": "8a3b2c1d-0000-4000-8000-123456789abc"}
    refused = forms.request_support(sandbox, profile, {**form, "email": "ann"})
    assert refused.tenant is None and set(refused.errors) == {"email"}
    issued = forms.request_support(sandbox, profile, form)
    assert issued.tenant.profile.id == "veritas"
    assert issued.extra == {"contact_name": "Ann Admin", "email": "ann@contoso.com",
                            "company": "Contoso"}


def test_generic_form_refusals_from_the_service_are_form_messages(sandbox):
    profile = PROFILES["generic"]
    made = forms.create_plain(sandbox, profile, {"tenant_id": "lab", "token": "lab-token-1"})
    assert made.tenant.token == "lab-token-1"
    assert "taken" in forms.create_plain(sandbox, profile, {"tenant_id": "lab"}).errors["tenant_id"]
    short = forms.create_plain(sandbox, profile, {"token": "short"})
    assert short.tenant is None and "at least 8" in short.errors["form"]


# Menus and guide lines -----------------------------------------------------------------------


def test_the_velpic_menu_opens_one_level_at_a_time():
    """Velpic tutorial: the values are under Manage > Integration > Plugin > SCIM."""
    profile = PROFILES["velpic"]
    assert [item.label for item in flows.menu_items(profile, ())] == ["Manage"]
    opened = flows.menu_items(profile, ("manage", "integration"))
    assert [item.label for item in opened] == ["Manage", "Integration", "Plugin"]
    assert flows.find_screen(profile, ("manage", "integration", "plugin", "scim")) == (
        "main", ("Manage", "Integration", "Plugin", "SCIM"))
    assert flows.find_screen(profile, ("manage", "billing")) == (None, ())


def test_vault_platform_has_two_screens_under_administration():
    profile = PROFILES["vaultplatform"]
    items = flows.menu_items(profile, ("administration",))
    assert [item.label for item in items] == ["Administration", "Authentication",
                                              "Data Integration"]


def test_doc_lines_keep_bold_and_code_and_escape_everything_else():
    line = "Select **Azure** then `bearer` <script>x</script> [Visitly](https://x)"
    assert str(flows.doc_line(line)) == (
        "Select <strong>Azure</strong> then <code>bearer</code> "
        "&lt;script&gt;x&lt;/script&gt; Visitly")
