"""A profile's `[setup]`: the vendor console's setup screens as data, checked at load.

The console builds a vendor's setup flow from this table and the profile's `[auth]`: where
the secret comes from (`auth.token_from`) picks the kind of flow, `menu` is the path the
admin clicks down, `sso_first` puts a single sign-on step before the credentials, and
`extra_steps` names the few screens only one vendor has (`EXTRA_STEPS`; the console holds
the code and template of each under the same name, as `quirks` do for the SCIM endpoint).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sandbox.vendors.profile_auth import parse_auth

Fail = Callable[[str, str], None]

# Each key of [setup], with what it says (the docs and the error messages read these).
SETUP_KEYS: dict[str, str] = {
    "language": "the console's language, a BCP 47 tag such as en or fr",
    "console": "the console's name in its header (default: the profile's name)",
    "menu": "the menu labels the admin clicks, in order, down to the screen that issues "
            "the credentials",
    "prerequisites": "what the admin needs before starting, one short line each",
    "confirm_prerequisites": "true: the admin ticks each prerequisite before the menu opens",
    "sso_first": "true: single sign-on (SAML) is set up before the credentials",
    "extra_steps": "screens only one vendor has, by name (see EXTRA_STEPS)",
    "intro": "a line on the screen that issues the credentials",
    "credentials_note": "a line beside the credentials",
    "tenant_url_hint": "the Tenant URL as the vendor writes it",
    "self_service": "false when the vendor's support issues the credentials; it must agree "
                    "with [auth] token_from",
    "labels": "the console's own words by name, e.g. copy_button = \"Copier\"",
    "guide": "for each step, short lines (in our own words) of what the tutorial has the "
             "admin do there",
}
# Keys that moved: a profile still using one is told where it went.
_MOVED = {
    "secret_label": "moved to [auth] token_label, the one place the secret's label is kept",
    "tutorial": "is now [setup.guide]: lines in our own words, never copied from the tutorial",
}
# Steps every flow may have guide lines for.
GUIDE_STEPS = ("start", "sso", "menu", "credentials")
_LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")
TEXT, TEXTS = "text", "texts"  # what a key of an extra step's table holds


@dataclass(frozen=True, slots=True)
class ExtraStep:
    """A screen only one vendor has. `role` says what it stands for in the flow: "sso" (it
    sets up single sign-on) or "credentials" (it issues the credentials, for the one
    `token_from` it fits). Its data is the table `[setup.<name>]`, holding `needs`; with
    `own_menu` that table has its own `menu`, else the step is the screen at the end of
    `[setup] menu`."""

    role: str
    behaviour: str
    needs: Mapping[str, str] = field(default_factory=dict)
    token_from: str | None = None
    own_menu: bool = False
    guide: tuple[str, ...] = ()  # guide steps it shows besides its own name


EXTRA_STEPS: dict[str, ExtraStep] = {
    "vault_saml": ExtraStep(
        role="sso", own_menu=True,
        needs={"menu": TEXTS, "login_method": TEXT, "login_methods": TEXTS, "issuer": TEXT,
               "fields": TEXTS},
        behaviour="a sign-in page: the login method, the Issuer URI, the SSO URL and the "
                  "Base64 certificate, each checked against the values the tutorial gives"),
    "vault_data_integration": ExtraStep(
        role="credentials", token_from="self_chosen", own_menu=True,
        needs={"menu": TEXTS, "provider": TEXT, "providers": TEXTS, "secret_location": TEXT,
               "secret_locations": TEXTS, "fields": TEXTS},
        behaviour="a form where the admin picks the provider and the secret's location, "
                  "types a strong secret (the tenant's token) and the organization slug (the "
                  "end of the Tenant URL), and switches the tenant's active_scim_provider"),
    "olfeo_directory": ExtraStep(
        role="credentials", token_from="console", guide=("create", "general"),
        needs={"provider": TEXT, "create_button": TEXT, "save_button": TEXT,
               "sync_tab": TEXT},
        behaviour="a list of directories and a form that names a new one and picks its "
                  "provider; each directory is a tenant whose page opens on a General tab, "
                  "the credentials being on the next tab"),
}


def parse_setup(table: Any, auth_table: Any, fail: Fail) -> dict[str, Any]:
    """The profile's `[setup]` table, checked against its `[auth]` (an empty table when the
    profile has none: the console then offers a plain form)."""
    if table is None:
        return {}
    if not isinstance(table, dict):
        fail("setup", "must be a table")
    token_from = parse_auth(auth_table, fail).token_from
    steps = _extra_steps(table, fail)
    for key in table:
        if key in _MOVED:
            fail(f"setup.{key}", _MOVED[key])
        if key not in SETUP_KEYS and key not in steps:
            fail(f"setup.{key}", _unknown(key))
    _check_values(table, fail)
    _check_flow(table, steps, token_from, fail)
    _check_menus(table, steps, fail)
    _check_guide(table.get("guide", {}), steps, fail)
    return dict(table)


def _unknown(key: str) -> str:
    if key in EXTRA_STEPS:
        return f"is the table of extra step {key!r}, which extra_steps does not list"
    return f"is not a setup key; expected one of {sorted(SETUP_KEYS)}"


def _extra_steps(table: dict[str, Any], fail: Fail) -> tuple[str, ...]:
    names = _texts(table, "extra_steps", fail)
    for name in names:
        if name not in EXTRA_STEPS:
            fail("setup.extra_steps", f"names an unknown step {name!r}; known: "
                                      f"{sorted(EXTRA_STEPS)}")
        if names.count(name) > 1:
            fail("setup.extra_steps", f"lists {name!r} twice")
        spec = EXTRA_STEPS[name]
        step_table = table.get(name)
        if not isinstance(step_table, dict):
            fail(f"setup.{name}", "must be a table holding the step's data: "
                                  f"{', '.join(spec.needs)}")
        for key, kind in spec.needs.items():
            if key not in step_table:
                fail(f"setup.{name}.{key}", "is required by this step")
            if kind == TEXT:
                _text(step_table, key, fail, f"setup.{name}.")
            else:
                _texts(step_table, key, fail, f"setup.{name}.", non_empty=True)
        for key in step_table:
            if key not in spec.needs:
                fail(f"setup.{name}.{key}", f"is not a key of this step; expected one of "
                                            f"{sorted(spec.needs)}")
    return tuple(names)


def _check_values(table: dict[str, Any], fail: Fail) -> None:
    for key in ("console", "intro", "credentials_note", "tenant_url_hint"):
        if key in table:
            _text(table, key, fail)
    for key in ("confirm_prerequisites", "sso_first", "self_service"):
        if key in table and not isinstance(table[key], bool):
            fail(f"setup.{key}", "must be true or false")
    language = table.get("language", "en")
    if not isinstance(language, str) or not _LANGUAGE.fullmatch(language):
        fail("setup.language", f"must be a language tag such as \"en\" or \"fr\"; got "
                               f"{language!r}")
    prerequisites = _texts(table, "prerequisites", fail)
    if table.get("confirm_prerequisites") and not prerequisites:
        fail("setup.confirm_prerequisites", "needs prerequisites to confirm")
    labels = table.get("labels", {})
    if not isinstance(labels, dict):
        fail("setup.labels", "must be a table of words, e.g. copy_button = \"Copy\"")
    for name, word in labels.items():
        if name in _MOVED:
            fail(f"setup.labels.{name}", _MOVED[name])
        if not isinstance(word, str) or not word:
            fail(f"setup.labels.{name}", "must be a non-empty string")


def _check_flow(table: dict[str, Any], steps: tuple[str, ...], token_from: str,
                fail: Fail) -> None:
    """The pieces of the flow fit together: one step per role, each fitting the auth."""
    roles: dict[str, str] = {}
    for name in steps:
        spec = EXTRA_STEPS[name]
        if spec.role in roles:
            fail("setup.extra_steps", f"{roles[spec.role]!r} and {name!r} both stand for "
                                      f"the {spec.role} step; keep one")
        roles[spec.role] = name
        if spec.token_from and spec.token_from != token_from:
            fail("setup.extra_steps", f"step {name!r} issues credentials the admin gets from "
                                      f"{spec.token_from!r}, but [auth] token_from is "
                                      f"{token_from!r}")
    if "sso" in roles and not table.get("sso_first"):
        fail("setup.sso_first", f"must be true: extra step {roles['sso']!r} sets up single "
                                "sign-on before the credentials")
    self_service = table.get("self_service")
    if self_service is not None and self_service != (token_from != "support"):
        fail("setup.self_service", f"must be {str(token_from != 'support').lower()} since "
                                   f"[auth] token_from is {token_from!r}")
    if token_from == "support" and "menu" in table:
        fail("setup.menu", "has nothing to lead to: the vendor's support issues the "
                           "credentials ([auth] token_from = \"support\")")


def _check_menus(table: dict[str, Any], steps: tuple[str, ...], fail: Fail) -> None:
    """Every menu path leads to one screen: no path is another's start or a copy of it, and
    each label makes a URL segment."""
    paths: dict[str, tuple[str, ...]] = {}
    if "menu" in table:
        paths["setup.menu"] = tuple(_texts(table, "menu", fail, non_empty=True))
    for name in steps:
        if EXTRA_STEPS[name].own_menu:
            paths[f"setup.{name}.menu"] = tuple(table[name]["menu"])
        elif "menu" not in table:
            fail("setup.menu", f"is needed: extra step {name!r} is the screen at its end")
    slugged = {}
    for where, path in paths.items():
        for label in path:
            if not slugify(label):
                fail(where, f"label {label!r} needs a letter or a digit")
        slugged[where] = tuple(slugify(label) for label in path)
    for where, path in slugged.items():
        for other, other_path in slugged.items():
            if other != where and other_path[:len(path)] == path:
                fail(other, f"starts with the whole of {where}: a menu item cannot be both a "
                            "screen and a way to other screens")


def _check_guide(guide: Any, steps: tuple[str, ...], fail: Fail) -> None:
    if not isinstance(guide, dict):
        fail("setup.guide", "must be a table of steps, e.g. start = [\"Sign in ...\"]")
    known = {*GUIDE_STEPS, *steps, *(g for name in steps for g in EXTRA_STEPS[name].guide)}
    for step in guide:
        if step not in known:
            fail(f"setup.guide.{step}", f"is not a step of this flow; expected one of "
                                        f"{sorted(known)}")
        _texts(guide, step, fail, "setup.guide.")


def slugify(name: str) -> str:
    """A safe, readable URL segment from a label or a name: “Siège Paris” → “siege-paris”
    (menu labels become the console's URLs this way)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
    return slug[:50].strip("-")


def _text(table: dict[str, Any], key: str, fail: Fail, prefix: str = "setup.") -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        fail(prefix + key, "must be a non-empty string")
    return value


def _texts(table: dict[str, Any], key: str, fail: Fail, prefix: str = "setup.",
           non_empty: bool = False) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip()
                                              for v in value):
        fail(prefix + key, "must be a list of non-empty strings")
    if non_empty and not value:
        fail(prefix + key, "must list at least one entry")
    return value
