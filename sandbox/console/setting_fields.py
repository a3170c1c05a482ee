"""A tenant's settings as the console's tenant page shows and reads them: a switch for a
true/false setting, a text field for a list setting (the verified domains a
verified_domain_required rule reads, one per line or separated by commas).

Plain Python (no Flask): the view hands the posted form in and gets back the changes to send
to the service, or a message per field. The service checks the changes again by the same
rule (`rule_checks.setting_problem`, `is_domain_name`); this module turns text into what it
expects and words a refusal for the form.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sandbox.vendors import Profile
from sandbox.vendors.rule_checks import MAX_DOMAIN_CHARS, VERIFIED_DOMAINS, is_domain_name

MAX_ITEMS = 50
MAX_ITEM_CHARS = MAX_DOMAIN_CHARS
_SEPARATORS = re.compile(r"[,;\r\n]+")
_SHOWN_CHARS = 60


@dataclass(frozen=True, slots=True)
class SettingField:
    """One setting as the form shows it: a switch (`on`) or a list's text (`text`)."""

    name: str
    label: str
    kind: str  # "switch" or "list"
    on: bool = False
    text: str = ""
    error: str | None = None


@dataclass(slots=True)
class SettingsForm:
    """A posted settings form: the changes it asks for, the list fields' text as typed, and
    a message per field it refused ("form" for what the service refused)."""

    changes: dict[str, Any] = field(default_factory=dict)
    typed: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def is_list_setting(spec: Mapping[str, Any]) -> bool:
    """Whether a declared setting holds a list of strings (its default's type)."""
    return isinstance(spec.get("default"), list)


def setting_fields(profile: Profile, current: Mapping[str, Any],
                   submitted: SettingsForm | None = None) -> list[SettingField]:
    """The form's fields for a tenant whose settings are `current`; after a refused post,
    the list fields keep what was typed and carry their messages."""
    fields = []
    for name, spec in profile.settings.items():
        label = str(spec.get("label", name))
        error = submitted.errors.get(name) if submitted is not None else None
        if is_list_setting(spec):
            typed = submitted.typed.get(name) if submitted is not None else None
            text = typed if typed is not None else "\n".join(current.get(name) or ())
            fields.append(SettingField(name, label, "list", text=text, error=error))
        else:
            on = (submitted.changes.get(name, bool(current.get(name))) if submitted is not None
                  else bool(current.get(name)))
            fields.append(SettingField(name, label, "switch", on=on, error=error))
    return fields


def read_settings_form(profile: Profile, form: Mapping[str, str]) -> SettingsForm:
    """The changes a posted form asks for: a switch is on when its box is checked; a list is
    its entries, split on commas, semicolons and line breaks (domains on spaces too)."""
    result = SettingsForm()
    for name, spec in profile.settings.items():
        if not is_list_setting(spec):
            result.changes[name] = form.get(name) == "on"
            continue
        text = str(form.get(name, "") or "")
        result.typed[name] = text
        items, problem = _list_items(name, str(spec.get("label", name)), text)
        if problem is not None:
            result.errors[name] = problem
        else:
            result.changes[name] = items
    return result


def _list_items(name: str, label: str, text: str) -> tuple[list[str], str | None]:
    """The entries of a list field, without repeats, or why they cannot be saved."""
    items = list(dict.fromkeys(item.strip() for item in _SEPARATORS.split(text)
                               if item.strip()))
    if len(items) > MAX_ITEMS:
        return [], f"{label}: at most {MAX_ITEMS} entries; {len(items)} were given."
    too_long = next((item for item in items if len(item) > MAX_ITEM_CHARS), None)
    if too_long is not None:
        return [], f"{label}: '{_shown(too_long)}' is longer than {MAX_ITEM_CHARS} characters."
    if name != VERIFIED_DOMAINS:
        return items, None
    written = [part for item in items for part in item.split()]
    if not written:
        return [], (f"{label}: enter at least one domain, such as contoso.com; with none, "
                    "every user a domain rule checks is refused.")
    domains = [part.lower().rstrip(".") for part in written]
    wrong = next((part for part, domain in zip(written, domains, strict=True)
                  if not is_domain_name(domain)), None)
    if wrong is not None:
        return [], (f"{label}: '{_shown(wrong)}' is not a domain name; write domains such "
                    "as contoso.com, without '@' or 'https://', one per line or separated "
                    "by commas.")
    return list(dict.fromkeys(domains)), None


def _shown(item: str) -> str:
    return item if len(item) <= _SHOWN_CHARS else item[:_SHOWN_CHARS] + "…"
