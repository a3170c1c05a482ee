"""Seed bodies made to fit a profile's value rules before they are written.

Seed data stands for what the vendor's app already holds before any client arrives, so it is
data the app would hold: a userName no longer than the vendor allows and in one of the
tenant's verified domains, an email equal to the userName where the vendor says so, a
language tag in the format it wants. Each rule that refuses values (`TypeRules.checks`) has
a fix that changes only the values the rule itself refuses, tested with the rule's own
check; a value no fix can make fit is left out when its attribute is optional. A required
attribute is never left out: when no value of it can fit (a verified-domain rule in a tenant
with no verified domain), seeding is refused with a 400 naming the rule.

Pure functions over bodies, plus the little state one seed run needs: the values already
given to a unique attribute (a shortened userName stays unique) and how many bodies came.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from sandbox.scim.errors import invalid_value
from sandbox.scim.resource import missing_required
from sandbox.service.tenant_base import TenantBase
from sandbox.vendors import ResourceTypeProfile
from sandbox.vendors.attribute_reader import AttributeReader
from sandbox.vendors.rule_checks import VERIFIED_DOMAINS, TypeRules, ValueCheck
from sandbox.vendors.value_formats import ISO639_1, ISO3166_ALPHA2

# The order fixes run in: a userName first gets its domain, then its length (a shortened
# address keeps its domain), and emails copy the userName last, once it is final.
_FIX_ORDER = ("verified_domain_required", "value_format", "allowed_values", "max_length",
              "single_role_only", "email_equals_username")
# What a shortened value keeps whole: the number that tells seeded values apart (with the
# "-2" or " (2)" a clash adds) and an address's domain.
_KEPT_TAIL = re.compile(r"[0-9()\- ]*(?:@[^@]*)?$")
# Digits turned into letters: a value keeps its length and stays distinct from the others.
_DIGITS_AS_LETTERS = str.maketrans("0123456789", "abcdefghij")

ValueFix = Callable[[str], str | None]


def seed_conformer(tenant: TenantBase, rt: ResourceTypeProfile) -> SeedConformer | None:
    """The conformer of `rt`'s seed bodies in `tenant`; None when its profile has no rule
    that refuses values of that type, so most seeding pays nothing."""
    rules = tenant.type_rules.get(rt.name)
    if rules is None or not rules.checks:
        return None
    domains = tuple(tenant.settings.get(VERIFIED_DOMAINS, ())) if rules.needs_domains else ()
    return SeedConformer(rt, rules, domains, tenant.profile.name)


class SeedConformer:
    """Makes the bodies of one seed run of one resource type fit the type's value rules.

    Call it with each body in turn; `notes()` then says what it changed or left out."""

    def __init__(self, rt: ResourceTypeProfile, rules: TypeRules, domains: Sequence[str],
                 vendor: str) -> None:
        self._rt = rt
        self._rules = rules
        self._domains = tuple(domains)
        self._vendor = vendor
        self._checks = sorted(rules.checks, key=lambda c: _FIX_ORDER.index(c.rule.kind))
        unique = {written.casefold() for written in rt.unique}
        # Values given so far to each unique attribute a max_length rule shortens.
        self._taken: dict[str, tuple[AttributeReader, set[str]]] = {
            check.reader.written: (check.reader, set()) for check in self._checks
            if check.rule.kind == "max_length" and check.reader.written.casefold() in unique}
        self._turn = 0
        self._changed: Counter[tuple[str, str]] = Counter()
        self._left_out: Counter[tuple[str, str]] = Counter()

    def __call__(self, body: dict[str, Any]) -> dict[str, Any]:
        """`body` with every value the rules refuse changed to fit, or left out."""
        for check in self._checks:
            fixed = self._fixed(check, body)
            if fixed is not body:
                self._changed[(check.reader.written, check.rule.kind)] += 1
            body = fixed
        body = self._without_misfits(body)
        for reader, taken in self._taken.values():
            taken.update(str(value).casefold() for value in reader.values(body))
        self._turn += 1
        return body

    def notes(self) -> list[str]:
        """What seeding did to fit the rules, one sentence per attribute and rule."""
        kind = self._rt.name.lower()
        changed = [f"{written}: changed in {n} {kind}{'s' * (n > 1)} to fit rule {rule}."
                   for (written, rule), n in self._changed.items()]
        left = [f"{written}: left out of {n} {kind}{'s' * (n > 1)}; no value fits rule {rule}."
                for (written, rule), n in self._left_out.items()]
        return changed + left

    # Fixes ---------------------------------------------------------------------------------

    def _fixed(self, check: ValueCheck, body: dict[str, Any]) -> dict[str, Any]:
        reader, rule = check.reader, check.rule
        if rule.kind == "single_role_only":
            return reader.edited(body, lambda raw: _first_only(reader, raw))
        if rule.kind == "email_equals_username":
            user_name = body.get("userName")
            if not isinstance(user_name, str):
                return body
            return reader.mapped(body, lambda v: v if isinstance(v, str)
                                 and v.casefold() == user_name.casefold() else user_name)
        fix = self._value_fix(check)

        def fitted(value: Any) -> Any:
            if not isinstance(value, str) or check.problem([value], body, self._domains) is None:
                return value
            return fix(value) or value  # no fix: left for `_without_misfits`
        return reader.mapped(body, fitted)

    def _value_fix(self, check: ValueCheck) -> ValueFix:
        rule = check.rule
        if rule.kind == "verified_domain_required":
            return lambda v: _in_domain(v, self._domains[0]) if self._domains else None
        if rule.kind == "value_format":
            return FORMAT_FIXES.get(rule.format or "", lambda _v: None)
        if rule.kind == "allowed_values":
            values = rule.values or ("",)
            return lambda _v: values[self._turn % len(values)]
        most = rule.max or 1
        entry = self._taken.get(check.reader.written)
        taken = entry[1] if entry is not None else None
        return lambda v: _shortened(v, most, taken)

    def _without_misfits(self, body: dict[str, Any]) -> dict[str, Any]:
        """`body` without the optional values no fix made fit."""
        stored = self._rules.prepared(body, None)  # as the store keeps it (lowercase)
        for check in self._checks:
            values = check.reader.values(stored)
            problem = check.problem(values, stored, self._domains) if values else None
            if problem is None:
                continue
            kept = check.reader.edited(body, lambda raw, r=check.reader: _without(r, raw))
            if self._missing(kept) - self._missing(body):
                raise invalid_value(
                    f"{self._vendor}: seeding cannot give {check.reader.written} a value "
                    f"that fits rule {check.rule.kind} ({check.reader.written} {problem}), "
                    f"and {check.reader.written} is required; nothing was seeded.")
            self._left_out[(check.reader.written, check.rule.kind)] += 1
            body = kept
            stored = self._rules.prepared(body, None)
        return body

    def _missing(self, body: dict[str, Any]) -> set[str]:
        """The required attributes `body` lacks, by the vendor's list and the schema."""
        missing = {rule.written for rule in self._rt.required if not rule.present(body)}
        schema_missing = missing_required(body, self._rt.schema)
        return missing | {schema_missing} if schema_missing is not None else missing


# Value fixes --------------------------------------------------------------------------------


def _shortened(value: str, most: int, taken: set[str] | None) -> str | None:
    """`value` cut to `most` characters, its number and domain kept; a value another body
    already has (in `taken`) gets a further mark. None when the kept tail alone is too long
    for an address; other text keeps its last `most` characters."""
    tail_at = _KEPT_TAIL.search(value)
    start = tail_at.start() if tail_at is not None else len(value)
    head, tail = value[:start], value[start:]
    room = most - len(tail)
    if room < 1:
        return None if "@" in tail else value[-most:]
    candidate = _cut(head, room) + tail
    separator = "-" if "@" in tail else " "
    number = 2
    while taken is not None and candidate.casefold() in taken:
        mark = f"{separator}{number}"
        if room - len(mark) < 1:
            break  # no room left: the store's uniqueness check decides
        candidate = _cut(head, room - len(mark)) + mark + tail
        number += 1
    return candidate


def _cut(head: str, room: int) -> str:
    cut = head[:room]
    return cut.rstrip(" .-_") or cut


def _in_domain(value: str, domain: str) -> str:
    local, at, _ = value.rpartition("@")
    return f"{(local if at else value) or 'user'}@{domain}"


def _e164(value: str) -> str | None:
    digits = "".join(c for c in value if c.isdigit()).lstrip("0")
    if not digits:
        return None
    country = "" if value.lstrip().startswith("+") else "1"
    return "+" + (country + digits)[:15]


def _country(value: str) -> str | None:
    code = value.strip().upper()
    return code if code in ISO3166_ALPHA2 else None


def _language(value: str) -> str | None:
    code = value.replace("_", "-").split("-")[0].lower()
    return code if code in ISO639_1 else None


def _language_tag(value: str) -> str | None:
    tag = value.strip().replace("_", "-")
    return tag if tag != value else _language(value)


FORMAT_FIXES: dict[str, ValueFix] = {
    "e164": _e164,
    "iso3166_alpha2": _country,
    "iso639": _language,
    "bcp47": _language_tag,
    "no_digits": lambda value: value.translate(_DIGITS_AS_LETTERS),
    # An address that is not one has no fix: the value is left out if it may be.
}


def _selects(reader: AttributeReader, item: Any) -> bool:
    return (isinstance(item, dict) and item.get(reader.sub) is not None
            and (reader.item_test is None or reader.item_test(item)))


def _without(reader: AttributeReader, raw: Any) -> Any:
    """An attribute's value without what `reader` selects (None: nothing left)."""
    if reader.sub is None:
        return None
    if isinstance(raw, list):
        return [item for item in raw if not _selects(reader, item)] or None
    if isinstance(raw, dict) and reader.item_test is None:
        return {k: v for k, v in raw.items() if k != reader.sub} or None
    return None if _selects(reader, raw) else raw


def _first_only(reader: AttributeReader, raw: Any) -> Any:
    """A multi-valued attribute with only the first of the values `reader` selects."""
    if not isinstance(raw, list):
        return raw
    if reader.sub is None:
        return raw[:1]
    kept: list[Any] = []
    seen = False
    for item in raw:
        if _selects(reader, item):
            if seen:
                continue
            seen = True
        kept.append(item)
    return kept
