"""Source values for the attributes Entra's template has no source for.

An admin who must fill an attribute Entra does not know (a vendor's custom extension, a
required enterprise attribute, a phone number in E.164 form) adds a directory extension
attribute to the users and maps it; Entra names those `extension_<app>_<name>`. Here the
extension's value for each source object is drawn from that object, deterministically (the
same user gets the same value in every run), of the attribute's SCIM type, and shaped by
the profile's rules on it: a format, a list of allowed values, a maximum length, lowercase,
one value only, uniqueness (each value carries the user's number). Email addresses keep
the user's own domain, which the sandbox's tenants count as verified.
"""

from __future__ import annotations

import base64
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any

DEFAULT_DOMAIN = "example.com"  # the fake directory's domain, verified in every tenant
_BASE_DAY = datetime(2024, 1, 1, tzinfo=UTC)
_DIGITS_AS_LETTERS = str.maketrans("0123456789", "abcdefghij")


@dataclass(frozen=True, slots=True)
class ValueRules:
    """What a profile's rules ask of one attribute's values."""

    formats: frozenset[str] = frozenset()  # value_format names: e164, email, no_digits, ...
    allowed: tuple[str, ...] = ()  # allowed_values; empty: any value
    max_length: int | None = None
    lowercase: bool = False
    unique: bool = False
    single: bool = False  # single_role_only: one value at most

    def __bool__(self) -> bool:
        return self != _NO_RULES


_NO_RULES = ValueRules()


@dataclass(frozen=True, slots=True)
class ValueShape:
    """The SCIM shape of a mapping target: its name, its type, whether it is multi-valued,
    its rules, and for a complex value the sub-attributes to fill (`canonical`: the fixed
    value of an entry's `type`). `hints` are the names read, in turn, for what kind of
    value fits (a `value` by its attribute's name, `phoneNumbers`; an address's
    `formatted` by its own, then by `addresses`); by default the name."""

    name: str
    type: str = "string"
    multi_valued: bool = False
    rules: ValueRules = field(default_factory=ValueRules)
    subs: tuple[ValueShape, ...] = ()
    canonical: str | None = None
    hints: tuple[str, ...] = ()


def generated_value(shape: ValueShape, source: Any) -> Any:
    """The value of a generated source attribute for one source object (a user or group)."""
    if shape.type == "complex":
        entry = {sub.name: generated_value(sub, source) for sub in shape.subs}
        return [entry] if shape.multi_valued else entry
    value = _single(shape, source)
    return [value] if shape.multi_valued else value


def _single(shape: ValueShape, source: Any) -> Any:
    rules = shape.rules
    if rules.allowed:
        return rules.allowed[source_number(source) % len(rules.allowed)]
    if shape.canonical is not None:
        return shape.canonical
    kind = shape.type
    if kind == "boolean":
        return True
    if kind == "integer":
        return source_number(source)
    if kind == "decimal":
        return source_number(source) + 0.5
    if kind == "dateTime":
        day = _BASE_DAY + timedelta(days=source_number(source) % 3650)
        return day.isoformat().replace("+00:00", "Z")
    if kind == "binary":
        return base64.b64encode(_local_part(source).encode()).decode()
    names = shape.hints or (shape.name,)
    found = ((_kind(name, rules.formats, kind), name) for name in names)
    text_kind, name = next((pair for pair in found if pair[0] != "label"), ("label", names[0]))
    text = _text(text_kind, name, source, rules.unique)
    return _ruled(text, rules)


# Strings ------------------------------------------------------------------------------------

# The start of a word in an attribute's name (or of two words run together: `userName`)
# that says what its values are, checked in this order.
_NAME_HINTS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("email", "mail", "alias", "upn", "login", "username"), "email"),
    (("phone", "mobile", "fax", "tel"), "phone"),
    (("country",), "country"),
    (("language", "locale"), "language"),
    (("timezone",), "timezone"),
    (("city", "locality", "town"), "city"),
    (("postal", "zip"), "postal"),
    (("region", "state", "province"), "region"),
    (("street", "address"), "street"),
    (("honorificprefix",), "prefix"),
    (("honorificsuffix",), "suffix"),
    (("given", "first", "middle"), "given"),
    (("family", "last", "surname"), "family"),
    (("nick",), "given"),
    (("displayname", "fullname", "name"), "display"),
    (("title", "job", "position"), "title"),
    (("department", "division", "organi", "company", "costcenter", "team", "site",
      "office", "unit"), "department"),
    (("role",), "role"),
    (("usertype", "type"), "user_type"),
    (("url", "uri", "link", "photo", "website", "profile"), "url"),
    (("number", "code", "badge"), "identifier"),
)
_IDENTIFIER = re.compile(r"(?:^id|[a-z0-9]Id|ID)$")  # externalId, badgeID; not "provider"
_FORMAT_KINDS = {"email": "email", "e164": "phone", "iso3166_alpha2": "country",
                 "iso639": "language_code", "bcp47": "language"}
# Kinds whose values already differ from one user to the next.
_UNIQUE_KINDS = {"email", "phone", "identifier", "url", "label"}


@dataclass(frozen=True, slots=True)
class _Text:
    """A string as a stem that may be shortened and a tail that keeps it unique."""

    stem: str
    tail: str = ""

    def __str__(self) -> str:
        return self.stem + self.tail


def _kind(name: str, formats: frozenset[str], scim_type: str) -> str:
    for fmt in sorted(formats):
        if fmt in _FORMAT_KINDS:
            return _FORMAT_KINDS[fmt]
    if scim_type == "reference":
        return "url"
    if _IDENTIFIER.search(name):
        return "identifier"
    words = _words(name)
    for hints, kind in _NAME_HINTS:
        if any(word.startswith(hint) for word in words for hint in hints):
            return kind
    return "label"


def _words(name: str) -> list[str]:
    """`userPrincipalName` → user, principal, name and the pairs userprincipal,
    principalname (a URN prefix left out)."""
    single = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name.split(":")[-1]).lower().split()
    return single + [a + b for a, b in pairwise(single)]


def _text(kind: str, name: str, source: Any, unique: bool) -> _Text:
    number = source_number(source)
    text = _KIND_VALUES[kind](source, number, name)
    if unique and kind not in _UNIQUE_KINDS:
        return _Text(text.stem, f"{text.tail} {number}")
    return text


def _email(source: Any, number: int, name: str) -> _Text:
    given, family = _slug(_attr(source, "givenName")), _slug(_attr(source, "surname"))
    stem = f"{given[:1]}{family}" if family else _slug(_attr(source, "mailNickname")) or "user"
    return _Text(stem, f"{number}@{_domain(source)}")


_KIND_VALUES = {
    "email": _email,
    "phone": lambda s, n, _: _Text("", _phone(n)),
    "country": lambda s, n, _: _Text(_country(s)),
    "language": lambda s, n, _: _Text(_attr(s, "preferredLanguage") or "en-US"),
    "language_code": lambda s, n, _: _Text(
        (_attr(s, "preferredLanguage") or "en").split("-")[0].lower()),
    "timezone": lambda s, n, _: _Text("Europe/Paris" if _country(s) == "FR"
                                      else "America/Los_Angeles"),
    "city": lambda s, n, _: _Text(_attr(s, "city") or "Seattle"),
    "postal": lambda s, n, _: _Text(f"{10_000 + n % 90_000}"),
    "street": lambda s, n, _: _Text("Main Street", f" {n}"),
    "region": lambda s, n, _: _Text("Central"),
    "prefix": lambda s, n, _: _Text("Dr."),
    "suffix": lambda s, n, _: _Text("Jr."),
    "given": lambda s, n, _: _Text(_attr(s, "givenName") or _attr(s, "displayName") or "Ada"),
    "family": lambda s, n, _: _Text(_attr(s, "surname") or "Lovelace"),
    "display": lambda s, n, _: _Text(_attr(s, "displayName") or "Ada Lovelace"),
    "title": lambda s, n, _: _Text(_attr(s, "jobTitle") or "Employee"),
    "department": lambda s, n, _: _Text(_attr(s, "department") or "Operations"),
    "role": lambda s, n, _: _Text(_attr(s, "appRole") or "User"),
    "user_type": lambda s, n, _: _Text("Employee"),
    "url": lambda s, n, name: _Text(f"https://{_domain(s)}/{_slug(name) or 'people'}/",
                                    _local_part(s)),
    "identifier": lambda s, n, _: _Text("E", f"{n:05d}"),
    "label": lambda s, n, name: _Text(_label(name), f" {n}"),
}


def _phone(number: int) -> str:
    """An E.164 number in the 555 exchange, one per user: +14255550012."""
    if number < 10_000:
        return f"+1425555{number:04d}"
    return f"+1425{number % 10_000_000:07d}"


def _ruled(text: _Text, rules: ValueRules) -> str:
    """Apply the rules that reshape a string: digits spelt as letters, lowercase, length."""
    stem, tail = text.stem, text.tail
    if "no_digits" in rules.formats:
        stem, tail = stem.translate(_DIGITS_AS_LETTERS), tail.translate(_DIGITS_AS_LETTERS)
    if rules.lowercase:
        stem, tail = stem.lower(), tail.lower()
    limit = rules.max_length
    if limit is not None and len(stem) + len(tail) > limit:
        if len(tail) < limit:  # shorten the stem: the tail keeps the value unique
            stem = stem[:limit - len(tail)]
        else:
            stem, tail = "", tail[-limit:]
    return stem + tail


# Reading the source object -----------------------------------------------------------------


def source_number(source: Any) -> int:
    """A number that tells source objects apart: the one the fake directory puts at the end
    of each user's name (`ada.lovelace12@` → 12), else one drawn from the object id."""
    found = re.search(r"(\d+)$", _local_part(source))
    if found:
        return int(found.group(1)[-9:])
    digest = hashlib.sha256(str(_attr(source, "objectId")).encode()).digest()
    return int.from_bytes(digest[:4], "big") % 100_000 + 1


def _local_part(source: Any) -> str:
    name = _attr(source, "userPrincipalName") or _attr(source, "mailNickname") or ""
    return name.split("@")[0]


def _domain(source: Any) -> str:
    name = _attr(source, "userPrincipalName") or ""
    return name.rpartition("@")[2] or DEFAULT_DOMAIN


def _country(source: Any) -> str:
    country = _attr(source, "country") or ""
    return country.upper() if re.fullmatch(r"[A-Za-z]{2}", country) else "US"


def _attr(source: Any, name: str) -> str | None:
    value = getattr(source, name, None)
    return value if isinstance(value, str) and value else None


def _slug(text: str | None) -> str:
    ascii_form = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return "".join(c for c in ascii_form.lower() if c.isalnum())


def _label(name: str) -> str:
    """`costCenter` → "Cost center"."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name.split(":")[-1]).lower()
    return words[:1].upper() + words[1:] if words else "Value"
