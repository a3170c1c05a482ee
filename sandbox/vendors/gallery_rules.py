"""A gallery record's limitations (`quirks`) as a profile's `[[rules]]`.

The record's quirk kinds and parameters are the rule kinds of `profile_rules`, so most quirks
are rules as they stand. Where a record leaves room:

- Parameters the kind does not take are left out (`soft_delete_only` with an attribute is
  still a soft-delete rule).
- An attribute is matched to the profile's attributes as a table row is (`gallery_attributes`,
  any letter case); the tutorial words `firstName`, `lastName` and `email` mean
  `name.givenName`, `name.familyName` and `emails`.
- A quirk the sandbox cannot apply becomes an `other` rule (documented only) keeping its
  summary and saying which kind it was and why: a parameter it needs is missing or invalid
  (a format no check exists for), its attribute is not one the profile keeps, it concerns
  groups and the profile has none, or it contradicts an earlier rule (soft and hard delete).
- A `token_expires` quirk without `days` takes the record's `auth.token_lifetime_days`; a
  lifetime with no such quirk is a `token_expires` rule of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sandbox.vendors.profile_rules import RULE_KINDS, VALUE_FORMATS, parse_rules

# The tutorials' own words for three attributes.
ALIASES = {"firstname": "name.givenName", "lastname": "name.familyName", "email": "emails"}
_GROUP_KINDS = {"no_group_create", "no_group_delete", "no_group_rename", "max_groups"}
_DELETE_KINDS = {"soft_delete_only", "hard_delete_only"}

AttributeOf = Callable[[str], str | None]  # a written attribute → the profile's spelling


class _Unusable(Exception):
    """Why a quirk cannot be a rule of its own kind."""


def rule_entries(quirks: list[dict[str, Any]], lifetime_days: int | None,
                 attribute_of: AttributeOf, has_groups: bool) -> list[dict[str, Any]]:
    """The `[[rules]]` tables of a record's quirks (see the module's docstring)."""
    entries: list[dict[str, Any]] = []
    for quirk in quirks:
        try:
            entry = _rule(quirk, lifetime_days, attribute_of, has_groups)
            _check_against(entry, entries)
        except _Unusable as why:
            entry = as_other(quirk, str(why))
        entries.append(entry)
    if lifetime_days and not any(e["kind"] == "token_expires" for e in entries):
        entries.append({"kind": "token_expires", "days": lifetime_days,
                        "summary": f"The tutorial gives the secret token a lifetime of "
                                   f"{lifetime_days} days."})
    return entries


def as_other(quirk: dict[str, Any], why: str) -> dict[str, Any]:
    """A documented-only rule standing for a quirk the sandbox does not apply."""
    summary = str(quirk.get("summary") or "").strip()
    note = f"(Recorded as {quirk.get('kind')!s}; not applied: {why}.)"
    entry: dict[str, Any] = {"kind": "other",
                             "summary": f"{summary} {note}" if summary else note}
    attribute = quirk.get("attribute")
    if isinstance(attribute, str) and attribute.strip():
        entry["attribute"] = attribute.strip()
    return entry


def _rule(quirk: dict[str, Any], lifetime_days: int | None, attribute_of: AttributeOf,
          has_groups: bool) -> dict[str, Any]:
    kind = quirk.get("kind")
    if kind not in RULE_KINDS:
        raise _Unusable(f"no rule kind is called {kind!r}")
    spec = RULE_KINDS[kind]
    entry: dict[str, Any] = {"kind": kind}
    entry.update({k: quirk[k] for k in (*spec.needs, *spec.takes) if quirk.get(k) is not None})
    if kind == "token_expires" and "days" not in entry and lifetime_days:
        entry["days"] = lifetime_days
    if quirk.get("summary"):
        entry["summary"] = str(quirk["summary"])
    missing = [k for k in spec.needs if k not in entry]
    if missing:
        raise _Unusable(f"the tutorial gives no {' or '.join(missing)}")
    if kind == "value_format" and entry["format"] not in VALUE_FORMATS:
        raise _Unusable(f"the sandbox checks no format {entry['format']!r}")
    if kind in _GROUP_KINDS and not has_groups:
        raise _Unusable("the profile has no groups")
    if kind != "other" and ("attribute" in entry or spec.default):
        written = entry.get("attribute", spec.default)
        found = attribute_of(ALIASES.get(str(written).lower(), str(written)))
        if found is None:
            raise _Unusable(f"the profile keeps no attribute {written!r}")
        if "attribute" in entry:
            entry["attribute"] = found
    _parse(entry)
    return entry


def _check_against(entry: dict[str, Any], earlier: list[dict[str, Any]]) -> None:
    if entry["kind"] in _DELETE_KINDS:
        for other in earlier:
            if other["kind"] in _DELETE_KINDS and other["kind"] != entry["kind"]:
                raise _Unusable(f"it contradicts the {other['kind']} rule before it")


def _parse(entry: dict[str, Any]) -> None:
    """The loader's own check of one rule; its complaint is the reason given."""
    def fail(key: str, message: str) -> None:
        raise _Unusable(f"{key.removeprefix('rules[0].')} {message}")

    parse_rules([entry], fail)
