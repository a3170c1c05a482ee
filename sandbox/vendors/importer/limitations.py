"""A tutorial's limitation sentences, classified into the record's quirk kinds by keywords.

Each pattern below is a clear way the tutorials state one kind of limitation; a sentence that
fits none becomes an `other` quirk whose summary is a neutral placeholder pointing back at the
item, never the tutorial's words. Every summary here is ours, made from the numbers and
attribute names the sentence holds.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sandbox.vendors.importer.markdown_text import plain

Quirk = dict[str, object]
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
                 "six": 6, "seven": 7, "ten": 10, "twelve": 12, "thirty": 30, "ninety": 90}
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
_UNIT_SECONDS = {"second": 1, "sec": 1, "s": 1, "minute": 60, "min": 60, "hour": 3600}
_FORMATS = [  # (pattern, format name, what it means in our words)
    (r"e\.?\s?164", "e164", "an E.164 phone number (+ and country code)"),
    (r"iso[\s-]?3166|two-letter country|alpha-2", "iso3166_alpha2",
     "an ISO 3166-1 alpha-2 country code"),
    (r"iso[\s-]?639", "iso639", "an ISO 639 language code"),
    (r"bcp[\s-]?47", "bcp47", "a BCP 47 language tag"),
]
# Attribute names people write in prose; a table's own names are looked for first.
_COMMON_ATTRIBUTES = ("userName", "displayName", "externalId", "emails", "email", "givenName",
                      "familyName", "firstName", "lastName", "title", "active", "roles",
                      "phoneNumbers", "preferredLanguage", "locale", "department", "manager")


def _count(word: str) -> int | None:
    word = word.lower()
    return int(word) if word.isdigit() else _NUMBER_WORDS.get(word)


def attribute_in(sentence: str, names: list[str]) -> str | None:
    """The attribute a sentence speaks of: the first of `names` it contains, else a common one."""
    lowered = sentence.lower()
    for name in names:
        if re.search(rf"(?<![\w.]){re.escape(name.lower())}(?![\w])", lowered):
            return name
    for name in _COMMON_ATTRIBUTES:
        if re.search(rf"\b{name.lower()}\b", lowered):
            return name
    return None


_SOFT_DELETE = re.compile(r"soft[- ]?delet|(n't|not|never) (support )?(a )?hard[- ]?delet|"
                          r"never (really |actually )?(be )?deleted|(cannot|can't|can not) be "
                          r"(permanently )?deleted|(disabled|deactivated) (instead of|rather "
                          r"than|and not) (being )?(deleted|removed)", re.I)


def _soft_delete(s: str, names: list[str]) -> Quirk | None:
    if _SOFT_DELETE.search(s) and not re.search(r"(n't|not) support soft", s, re.I):
        return {"kind": "soft_delete_only",
                "summary": "Users are never hard-deleted: a delete only deactivates them."}
    return None


def _hard_delete(s: str, names: list[str]) -> Quirk | None:
    if re.search(r"(n't|not|no) (support )?soft[- ]?delet|hard[- ]delete only", s, re.I):
        return {"kind": "hard_delete_only",
                "summary": "No soft delete: deprovisioning removes the user outright."}
    return None


def _group_limits(s: str, names: list[str]) -> Quirk | None:
    if not re.search(r"\bgroups?\b", s, re.I):
        return None
    if match := re.search(r"(?:up to|maximum of|max(?:imum)?|at most|limit of) (\d+) groups",
                          s, re.I):
        count = int(match.group(1))
        return {"kind": "max_groups", "max": count,
                "summary": f"At most {count} groups can be provisioned."}
    actions = [("creat", "no_group_create", "Groups cannot be created through SCIM."),
               ("delet", "no_group_delete", "Groups cannot be deleted through SCIM."),
               ("renam", "no_group_rename", "A group's new name is not applied.")]
    if re.search(r"n't|not|cannot|unable|unsupported", s, re.I):
        for stem, kind, summary in actions:
            if re.search(rf"\b{stem}\w*", s, re.I):
                return {"kind": kind, "summary": summary}
    return None


def _token_expiry(s: str, names: list[str]) -> Quirk | None:
    if not re.search(r"token|key|secret|credential", s, re.I):
        return None
    if re.search(r"regenerat|new (token|key)|reset", s, re.I) and re.search(
            r"invalid|revok|no longer|stops? working|void|expire", s, re.I):
        return {"kind": "token_regeneration_invalidates_old",
                "summary": "Making a new secret ends the old one."}
    match = re.search(r"(?:valid|expir\w*|lasts?|lifetime)\D{0,30}?\b(\d+|an?|one|two|three|"
                      r"six|twelve|thirty|ninety)\s+(day|week|month|year)s?\b", s, re.I)
    if match:
        days = (_count(match.group(1)) or 1) * _UNIT_DAYS[match.group(2).lower()]
        return {"kind": "token_expires", "days": days,
                "summary": f"The secret stops working {days} days after it is made."}
    if re.search(r"expir", s, re.I):
        return {"kind": "token_expires", "summary": "The secret has an expiry date."}
    return None


def _rate_limit(s: str, names: list[str]) -> Quirk | None:
    match = re.search(r"(\d+)\s*(?:api\s+)?(?:requests?|calls?)\s*(?:/|per|a|each|every)\s*"
                      r"(second|sec|s|minute|min|hour)\b", s, re.I)
    if not match:
        return None
    requests, per = int(match.group(1)), _UNIT_SECONDS[match.group(2).lower()]
    return {"kind": "rate_limit", "requests": requests, "per_seconds": per,
            "summary": f"Throttled at {requests} requests per {per} s."}


def _max_length(s: str, names: list[str]) -> Quirk | None:
    match = re.search(r"(?:max(?:imum)?(?: length)?(?: of)?|up to|longer than|more than|"
                      r"exceed\w*|limited to|at most)\s+(\d+)\s+char", s, re.I)
    attribute = attribute_in(s, names)
    if not match or not attribute:
        return None
    count = int(match.group(1))
    return {"kind": "max_length", "attribute": attribute, "max": count,
            "summary": f"{attribute} holds at most {count} characters."}


def _value_rules(s: str, names: list[str]) -> Quirk | None:
    attribute = attribute_in(s, names)
    for pattern, name, meaning in _FORMATS:
        if re.search(pattern, s, re.I):
            quirk: Quirk = {"kind": "value_format", "format": name,
                            "summary": f"{attribute or 'The value'} must be {meaning}."}
            return quirk | ({"attribute": attribute} if attribute else {})
    if attribute and re.search(r"lower[- ]?case", s, re.I):
        return {"kind": "lowercase_only", "attribute": attribute,
                "summary": f"{attribute} is matched in lower case only."}
    if attribute and re.search(r"\bunique\b", s, re.I):
        return {"kind": "unique_attribute", "attribute": attribute,
                "summary": f"Two users cannot share a {attribute}."}
    return None


def _domain_and_email(s: str, names: list[str]) -> Quirk | None:
    if re.search(r"verified domain|domains? (must|should|need\w*)? ?(be|is|are)? ?verified|"
                 r"(verify|claim)\w* (the |a |your )?domain", s, re.I):
        return {"kind": "verified_domain_required",
                "summary": "Users must be on a domain the app has verified."}
    if re.search(r"e-?mail", s, re.I) and re.search(r"user ?name", s, re.I) and re.search(
            r"same|equal|identical|match", s, re.I):
        return {"kind": "email_equals_username",
                "summary": "The email and the userName must hold one value."}
    return None


def _roles_and_schemas(s: str, names: list[str]) -> Quirk | None:
    if re.search(r"(only|exactly) one role|single role|one role per user", s, re.I):
        return {"kind": "single_role_only", "summary": "A user holds one role only."}
    if re.search(r"schema discovery|/schemas\b", s, re.I):
        return {"kind": "schema_discovery",
                "summary": "The app publishes its schema for Entra to discover."}
    return None


_CREATE_ONLY = re.compile(r"only (be )?(set|created|sent) (on|at|during|when)|(cannot|can't|"
                          r"not able to|can not|never) be (updated|changed)|and not (updated|"
                          r"changed)", re.I)


def _filter_and_create_only(s: str, names: list[str]) -> Quirk | None:
    attribute = attribute_in(s, names)
    if attribute and re.search(r"(n't|not) support filter\w* (on|by)|cannot be filtered|"
                               r"(n't|not) filter\w* on", s, re.I):
        return {"kind": "no_filter_on", "attribute": attribute,
                "summary": f"The app cannot filter on {attribute}."}
    if attribute and _CREATE_ONLY.search(s):
        return {"kind": "create_only_attribute", "attribute": attribute,
                "summary": f"{attribute} is set when the user is created and never changed."}
    return None


def _required_by_text(s: str, names: list[str]) -> list[Quirk]:
    if not re.search(r"\b(required|mandatory|must (be )?(have|provided|populated|set))\b",
                     s, re.I):
        return []
    lowered = s.lower()
    found = [n for n in sorted(set(names), key=len, reverse=True)
             if re.search(rf"(?<![\w.]){re.escape(n.lower())}(?!\w)", lowered)]
    if not found:
        found = [n for n in _COMMON_ATTRIBUTES if re.search(rf"\b{n.lower()}\b", lowered)]
    return [{"kind": "attribute_required_by_text", "attribute": name,
             "summary": f"The app refuses a user without {name}."} for name in found]


_SINGLE: list[Callable[[str, list[str]], Quirk | None]] = [
    _rate_limit, _hard_delete, _soft_delete, _group_limits, _token_expiry, _max_length,
    _domain_and_email, _roles_and_schemas, _filter_and_create_only, _value_rules]


def classify(item: str, attribute_names: list[str]) -> list[Quirk]:
    """The quirks one limitation (its Markdown) states; empty when no pattern fits it.

    The patterns read the plain words; a bold or code-marked single word of the item is taken
    as an attribute name after the table's own names.
    """
    marked = [m.strip() for m in re.findall(r"\*\*([^*]+)\*\*|`([^`]+)`", item) for m in m if m]
    names = sorted(attribute_names, key=len, reverse=True)  # the longest name that fits
    names += [m for m in marked if " " not in m and m not in names]
    sentence = plain(item).replace("\u2019", "'")  # a curly apostrophe (U+2019)
    for reader in _SINGLE:
        quirk = reader(sentence, names)
        if quirk:
            return [quirk]
    return _required_by_text(sentence, attribute_names)


def unclassified(section: str, number: int) -> Quirk:
    """An `other` quirk for a limitation we cannot classify, pointing back at where it is."""
    return {"kind": "other",
            "summary": f"Unclassified limitation (see the tutorial, item {number} of {section})"}
