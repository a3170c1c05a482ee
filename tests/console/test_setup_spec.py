"""A profile's [setup] is checked when it loads: a mistake is a ProfileError naming the key,
never a setup screen that breaks later (sandbox/vendors/setup_spec.py)."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

import pytest

from sandbox.console.setup_flows import DEFAULT_LABELS, flow_plan
from sandbox.vendors import ProfileError, bundled_vendors_dir, load_profiles
from sandbox.vendors.loader import profile_from_dict
from sandbox.vendors.setup_spec import EXTRA_STEPS, SETUP_KEYS

BASE: dict[str, Any] = {
    "id": "acme", "name": "Acme", "tenant_url": "/acme/{tenant}/scim/v2",
    "resource_types": {"User": {"endpoint": "/Users",
                                "schema": "urn:ietf:params:scim:schemas:core:2.0:User"}},
}
SAML = {"menu": ["Admin", "Sign-in"], "login_method": "SAML", "login_methods": ["SAML"],
        "issuer": "acme", "fields": ["Issuer", "URL", "Certificate"]}
DIRECTORY = {"provider": "Azure", "create_button": "New", "save_button": "Create",
             "sync_tab": "Sync"}


def profile(setup: dict[str, Any], auth: dict[str, Any] | None = None) -> Any:
    data = copy.deepcopy(BASE)
    data["setup"] = setup
    if auth is not None:
        data["auth"] = auth
    return profile_from_dict(data, "acme.toml")


def test_a_menu_and_a_token_label_make_a_whole_profile():
    loaded = profile({"menu": ["Settings", "API"], "guide": {"menu": ["Open Settings."]}},
                     {"token_label": "API Key"})
    assert loaded.setup["menu"] == ["Settings", "API"]
    assert loaded.auth.token_label == "API Key"
    assert profile_from_dict(copy.deepcopy(BASE)).setup == {}


@pytest.mark.parametrize(("setup", "auth", "key", "words"), [
    ({"secret_label": "API Key"}, None, "setup.secret_label", "[auth] token_label"),
    ({"labels": {"secret_label": "API Key"}}, None, "setup.labels.secret_label",
     "[auth] token_label"),
    ({"tutorial": {"start": ["x"]}}, None, "setup.tutorial", "[setup.guide]"),
    ({"colour": "red"}, None, "setup.colour", "not a setup key"),
    ({"menu": "Settings"}, None, "setup.menu", "list of non-empty strings"),
    ({"menu": ["Settings", "!!"]}, None, "setup.menu", "letter or a digit"),
    ({"language": "French"}, None, "setup.language", "language tag"),
    ({"sso_first": "yes"}, None, "setup.sso_first", "true or false"),
    ({"confirm_prerequisites": True}, None, "setup.confirm_prerequisites", "prerequisites"),
    ({"labels": {"home": ""}}, None, "setup.labels.home", "non-empty string"),
    ({"guide": {"billing": ["x"]}}, None, "setup.guide.billing", "not a step"),
    ({"guide": {"start": "x"}}, None, "setup.guide.start", "list of non-empty strings"),
    ({"extra_steps": ["billing_page"]}, None, "setup.extra_steps", "unknown step"),
    ({"extra_steps": ["vault_saml"], "sso_first": True}, None, "setup.vault_saml",
     "must be a table"),
    ({"extra_steps": ["vault_saml"], "sso_first": True,
      "vault_saml": {**SAML, "issuer": None}}, None, "setup.vault_saml.issuer", "non-empty"),
    ({"extra_steps": ["vault_saml"], "sso_first": True,
      "vault_saml": {**SAML, "colour": "red"}}, None, "setup.vault_saml.colour",
     "not a key of this step"),
    ({"extra_steps": ["vault_saml"], "vault_saml": SAML}, None, "setup.sso_first",
     "must be true"),
    ({"vault_saml": SAML}, None, "setup.vault_saml", "which extra_steps does not list"),
    ({"extra_steps": ["olfeo_directory"], "olfeo_directory": DIRECTORY}, None, "setup.menu",
     "is needed"),
    ({"menu": ["Setup"], "extra_steps": ["olfeo_directory"], "olfeo_directory": DIRECTORY},
     {"token_from": "self_chosen"}, "setup.extra_steps", "token_from is 'self_chosen'"),
    ({"menu": ["Admin"], "extra_steps": ["vault_saml"], "sso_first": True,
      "vault_saml": SAML}, None, "setup.vault_saml.menu", "starts with the whole of setup.menu"),
    ({"menu": ["Admin", "Sign-in"], "extra_steps": ["vault_saml"], "sso_first": True,
      "vault_saml": SAML}, None, "setup.", "starts with the whole of"),
    ({"self_service": False}, None, "setup.self_service", "must be true"),
    ({"self_service": True}, {"token_from": "support"}, "setup.self_service",
     "must be false"),
    ({"menu": ["Settings"]}, {"token_from": "support"}, "setup.menu", "nothing to lead to"),
])
def test_a_mistake_names_its_key(setup, auth, key, words):
    with pytest.raises(ProfileError) as raised:
        profile(setup, auth)
    message = str(raised.value)
    assert message.startswith("acme.toml: key '" + key), message
    assert words in message


def test_the_five_vendors_flows_load_and_use_only_known_keys():
    profiles = load_profiles(bundled_vendors_dir())
    used = {key for p in profiles.values() for key in p.setup}
    steps = {name for p in profiles.values() for name in p.setup.get("extra_steps", ())}
    assert steps == set(EXTRA_STEPS)  # every named step has a vendor that uses it
    assert used <= set(SETUP_KEYS) | steps


def test_the_setup_page_of_the_docs_names_every_key_label_and_step():
    """docs/setup-flows.md documents each [setup] key, each default label and each named
    step, and its example profile loads with a menu flow."""
    page = (Path(__file__).resolve().parents[2] / "docs" / "setup-flows.md").read_text("utf-8")
    missing = [name for name in (*SETUP_KEYS, *DEFAULT_LABELS, *EXTRA_STEPS)
               if f"`{name}`" not in page]
    assert not missing, f"docs/setup-flows.md does not name {missing}"
    example = page.split("```toml\n", 1)[1].split("```", 1)[0]
    loaded = profile_from_dict(tomllib.loads(example), "example")
    assert flow_plan(loaded).kind == "console" and loaded.auth.token_label == "API Key"
