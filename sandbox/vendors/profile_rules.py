"""A profile's `[[rules]]`: the limitations a vendor's provisioning tutorial states, one entry
each, in the kinds and parameters of the gallery record format (`$defs.quirk`).

This module reads and checks them; what each kind does at the SCIM endpoint lives with the
code that answers (the service's writes, reads and access checks). `RULE_KINDS` is the one
list of kinds: the loader, the docs and the tests read it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class RuleKind:
    """What a rule kind takes (`needs` must be given, `takes` may be) and what it does."""

    needs: tuple[str, ...] = ()
    takes: tuple[str, ...] = ()
    behaviour: str = ""
    default: str | None = None  # the attribute when a rule that takes one names none


_ATTRIBUTE = ("attribute",)

# Each behaviour is written with the rule's parameters as {placeholders}.
RULE_KINDS: dict[str, RuleKind] = {
    "soft_delete_only": RuleKind(
        behaviour="DELETE deactivates a user (active false) and keeps it; GET still finds it"),
    "hard_delete_only": RuleKind(
        behaviour="a deactivation (a PUT or PATCH setting active to false) removes the user, "
                  "as DELETE does, and answers 204"),
    "no_group_create": RuleKind(behaviour="creating a group is refused with 403"),
    "no_group_delete": RuleKind(behaviour="deleting a group is refused with 403; it stays"),
    "no_group_rename": RuleKind(
        takes=_ATTRIBUTE, default="displayName",
        behaviour="a change of a group's {attribute} is refused with 400 mutability"),
    "max_groups": RuleKind(
        needs=("max",),
        behaviour="creating a group when the tenant holds {max} already is refused with 400 "
                  "invalidValue"),
    "token_expires": RuleKind(
        needs=("days",),
        behaviour="the secret token answers 401 (token expired) {days} days after it was "
                  "issued"),
    "token_regeneration_invalidates_old": RuleKind(
        behaviour="regenerating the token ends the old one at once (no grace period)"),
    "no_filter_on": RuleKind(
        needs=_ATTRIBUTE,
        behaviour="a filter on {attribute} is refused with 400 invalidFilter"),
    "create_only_attribute": RuleKind(
        needs=_ATTRIBUTE,
        behaviour="{attribute} is stored on create; a later PUT or PATCH keeps the stored "
                  "value (the change is ignored, not refused)"),
    "attribute_required_by_text": RuleKind(
        needs=_ATTRIBUTE,
        behaviour="{attribute} is required: without it, 400 invalidValue"),
    "verified_domain_required": RuleKind(
        takes=_ATTRIBUTE, default="userName",
        behaviour="the domain of {attribute} (after its '@') must be one of the tenant's "
                  "verified_domains setting (by default contoso.com and example.com), else "
                  "400 invalidValue"),
    "email_equals_username": RuleKind(
        takes=_ATTRIBUTE, default="emails",
        behaviour="each value of the user's {attribute} must equal its userName (letter "
                  "case aside), else 400 invalidValue"),
    "max_length": RuleKind(
        needs=("attribute", "max"),
        behaviour="{attribute} longer than {max} characters is refused with 400 invalidValue"),
    "allowed_values": RuleKind(
        needs=("attribute", "values"),
        behaviour="{attribute} must be one of {values} (letter case aside), else 400 "
                  "invalidValue"),
    "value_format": RuleKind(
        needs=("attribute", "format"),
        behaviour="{attribute} must be in the {format} format, else 400 invalidValue"),
    "lowercase_only": RuleKind(
        needs=_ATTRIBUTE, behaviour="{attribute} is stored in lowercase"),
    "unique_attribute": RuleKind(
        needs=_ATTRIBUTE,
        behaviour="a second resource with the same {attribute} (letter case aside) is "
                  "refused with 409 uniqueness"),
    "rate_limit": RuleKind(
        needs=("requests", "per_seconds"),
        behaviour="past {requests} requests in any {per_seconds} seconds, a tenant answers "
                  "429 with Retry-After, the seconds until it accepts the next"),
    "schema_discovery": RuleKind(
        behaviour="/Schemas lists every attribute the vendor keeps, extensions included "
                  "(as every profile's /Schemas does)"),
    "single_role_only": RuleKind(
        takes=_ATTRIBUTE, default="roles",
        behaviour="more than one value of {attribute} is refused with 400 invalidValue"),
    "other": RuleKind(
        takes=_ATTRIBUTE, behaviour="documented only: its summary is shown, nothing changes"),
}

# The value formats a `value_format` rule may name, each with its check.
VALUE_FORMATS: tuple[str, ...] = ("e164", "iso3166_alpha2", "iso639", "email", "bcp47",
                                  "no_digits")

_PARAMETER_TYPES: dict[str, type] = {
    "attribute": str, "max": int, "values": list, "format": str, "requests": int,
    "per_seconds": int, "days": int, "summary": str,
}


@dataclass(frozen=True, slots=True)
class Rule:
    """One `[[rules]]` entry. Parameters a kind does not take are None."""

    kind: str
    summary: str = ""
    attribute: str | None = None
    max: int | None = None
    values: tuple[str, ...] | None = None
    format: str | None = None
    requests: int | None = None
    per_seconds: int | None = None
    days: int | None = None

    def in_words(self) -> str:
        """What the rule does at the endpoint, its parameters filled in."""
        values = ", ".join(self.values or ())
        return RULE_KINDS[self.kind].behaviour.format(
            attribute=self.attribute, max=self.max, values=values, format=self.format,
            requests=self.requests, per_seconds=self.per_seconds, days=self.days)


def parse_rules(entries: Any, fail: Callable[[str, str], None]) -> tuple[Rule, ...]:
    """The rules of a profile's `[[rules]]` array; `fail(key, message)` reports a bad one."""
    if entries is None:
        return ()
    if not isinstance(entries, list):
        fail("rules", "must be an array of tables, written [[rules]]")
    return tuple(_parse_rule(entry, f"rules[{number}]", fail)
                 for number, entry in enumerate(entries))


def _parse_rule(entry: Any, where: str, fail: Callable[[str, str], None]) -> Rule:
    if not isinstance(entry, Mapping):
        fail(where, "must be a table with a 'kind'")
    kind = entry.get("kind")
    if kind not in RULE_KINDS:
        fail(f"{where}.kind", f"must be one of {', '.join(RULE_KINDS)}; got {kind!r}")
    spec = RULE_KINDS[kind]
    allowed = {"kind", "summary", *spec.needs, *spec.takes}
    for key, value in entry.items():
        if key not in allowed:
            fail(f"{where}.{key}", f"is not a parameter of rule kind {kind!r}; it takes "
                                   f"{', '.join(sorted(allowed - {'kind'}))}")
        if key == "kind":
            continue
        expected = _PARAMETER_TYPES[key]
        if not isinstance(value, expected) or isinstance(value, bool) or value in ("", []):
            fail(f"{where}.{key}", f"must be a non-empty {expected.__name__}")
        if expected is int and value < 1:
            fail(f"{where}.{key}", "must be a positive integer")
        if key == "values" and not all(isinstance(v, str) for v in value):
            fail(f"{where}.{key}", "must be a list of strings")
    for key in spec.needs:
        if key not in entry:
            fail(f"{where}.{key}", f"is required by rule kind {kind!r}")
    if kind == "value_format" and entry["format"] not in VALUE_FORMATS:
        fail(f"{where}.format", f"must be one of {', '.join(VALUE_FORMATS)}; "
                                f"got {entry['format']!r}")
    values = entry.get("values")
    return Rule(kind=kind, summary=entry.get("summary", ""),
                attribute=entry.get("attribute", spec.default),
                max=entry.get("max"), values=tuple(values) if values is not None else None,
                format=entry.get("format"), requests=entry.get("requests"),
                per_seconds=entry.get("per_seconds"), days=entry.get("days"))
