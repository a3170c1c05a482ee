"""What each value rule kind means, written out again for the tests (from the rule kinds'
words in `sandbox.vendors.profile_rules.RULE_KINDS` and the standards they name), so that
the simulator's generated values are checked against the rules' meaning and not against the
code that generated them."""

from __future__ import annotations

import re
from typing import Any

from faker.providers.address import Provider as AddressProvider

# Every ISO 3166-1 alpha-2 code, as Faker lists them.
COUNTRIES = frozenset(AddressProvider.alpha_2_country_codes)
E164 = re.compile(r"\+[1-9]\d{1,14}")  # ITU-T E.164: +, country code, at most 15 digits
EMAIL = re.compile(r"[^@\s]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")
ISO639 = re.compile(r"[a-z]{2}")
BCP47 = re.compile(r"[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|\d{3}))?")
VERIFIED_DOMAINS = {"contoso.com", "example.com"}  # a tenant's default verified domains


def meets_format(value: Any, fmt: str) -> bool:
    """Whether one value is in a `value_format` rule's format."""
    if not isinstance(value, str):
        return False
    tests = {
        "e164": lambda v: bool(E164.fullmatch(v)),
        "iso3166_alpha2": lambda v: v in COUNTRIES,
        "iso639": lambda v: bool(ISO639.fullmatch(v)),
        "email": lambda v: bool(EMAIL.fullmatch(v)),
        "bcp47": lambda v: bool(BCP47.fullmatch(v)),
        "no_digits": lambda v: not any(c.isdigit() for c in v),
    }
    return tests[fmt](value)


def in_verified_domain(value: Any) -> bool:
    return isinstance(value, str) and value.rpartition("@")[2].lower() in VERIFIED_DOMAINS


def values_of(value: Any) -> list[Any]:
    """The values a rule reads: each entry's `value` of a multi-valued complex attribute."""
    items = value if isinstance(value, list) else [value]
    return [item.get("value") if isinstance(item, dict) else item for item in items]
