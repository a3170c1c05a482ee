"""Generated source attributes: deterministic values of the right SCIM type that meet every
rule kind that constrains values (checked against the rules' meaning, `entra_rule_meaning`)."""

from __future__ import annotations

import base64
from datetime import datetime

import pytest
from entra_rule_meaning import in_verified_domain, meets_format, values_of

from sandbox.entra import SourceDirectory
from sandbox.entra.generated_sources import ValueRules, ValueShape, generated_value
from sandbox.vendors.profile_rules import VALUE_FORMATS


@pytest.fixture(scope="module")
def people():
    """Users of several locales, with long and short names."""
    users = []
    for locale in ("en_US", "fr_FR", "de_DE", "nl_NL"):
        users += SourceDirectory.fake(users=30, seed=7, locale=locale,
                                      default_access_every=0).users
    return users


def values(shape, people):
    return [generated_value(shape, user) for user in people]


# One shape per format, named so that its name alone would suggest another kind: the format
# decides.
@pytest.mark.parametrize("fmt", VALUE_FORMATS)
def test_every_value_format_is_met(fmt, people):
    shape = ValueShape("customField", rules=ValueRules(formats=frozenset({fmt})))
    found = values(shape, people)
    bad = [v for v in found if not meets_format(v, fmt)]
    assert not bad, bad[:5]


@pytest.mark.parametrize(("name", "fmt"), [
    ("mobilePhone", "e164"), ("country", "iso3166_alpha2"), ("spokenLanguage", "bcp47"),
    ("emailAliases", "email"),
])
def test_names_alone_give_values_in_the_format_they_suggest(name, fmt, people):
    assert all(meets_format(v, fmt) for v in values(ValueShape(name), people))


def test_no_digits_even_for_a_value_made_unique_by_a_number(people):
    shape = ValueShape("userName", rules=ValueRules(formats=frozenset({"email", "no_digits"}),
                                                    unique=True))
    found = values(shape, people)
    assert all(meets_format(v, "email") and meets_format(v, "no_digits") for v in found)
    one_directory = values(shape, SourceDirectory.fake(users=150, seed=2).users)
    assert len(set(one_directory)) == len(one_directory)


def test_allowed_values_only_and_more_than_one_of_them(people):
    allowed = ("Teacher", "Student")
    found = values(ValueShape("eduRole", rules=ValueRules(allowed=allowed)), people)
    assert set(found) == set(allowed)


@pytest.mark.parametrize("limit", [8, 12, 20])
def test_max_length_keeps_emails_unique_and_in_a_verified_domain(limit, people):
    shape = ValueShape("userName", rules=ValueRules(formats=frozenset({"email"}), unique=True,
                                                    max_length=limit + 12))
    found = values(shape, people)
    assert all(len(v) <= limit + 12 for v in found)
    assert all(meets_format(v, "email") and in_verified_domain(v) for v in found)
    one_directory = values(shape, SourceDirectory.fake(users=150, seed=2).users)
    assert len(set(one_directory)) == len(one_directory)


def test_max_length_of_plain_text(people):
    found = values(ValueShape("costCenter", rules=ValueRules(max_length=5)), people)
    assert all(0 < len(v) <= 5 for v in found)


def test_lowercase_only(people):
    found = values(ValueShape("displayName", rules=ValueRules(lowercase=True)), people)
    assert all(v == v.lower() for v in found) and any(v != v.upper() for v in found)


def test_unique_attribute_values_differ_within_a_directory():
    directory = SourceDirectory.fake(users=150, seed=2).users
    for name in ("department", "displayName", "title", "badge", "userName"):
        found = values(ValueShape(name, rules=ValueRules(unique=True)), directory)
        assert len(set(found)) == len(found), name


def test_single_role_only_gives_one_entry(people):
    shape = ValueShape("roles", "complex", multi_valued=True, subs=(
        ValueShape("value", rules=ValueRules(single=True, allowed=("Reader", "Editor")),
                   hints=("roles",)),
        ValueShape("primary", "boolean")))
    for value in values(shape, people):
        assert len(value) == 1 and values_of(value)[0] in ("Reader", "Editor")
        assert value[0]["primary"] is True


def test_verified_domain_for_an_attribute_named_otherwise(people):
    shape = ValueShape("login", rules=ValueRules(formats=frozenset({"email"})))
    assert all(in_verified_domain(v) for v in values(shape, people))


@pytest.mark.parametrize(("scim_type", "check"), [
    ("boolean", lambda v: isinstance(v, bool)),
    ("integer", lambda v: isinstance(v, int) and not isinstance(v, bool)),
    ("decimal", lambda v: isinstance(v, float)),
    ("dateTime", lambda v: v.endswith("Z") and datetime.fromisoformat(v.replace("Z", "+00:00"))),
    ("reference", lambda v: v.startswith("https://")),
    ("binary", lambda v: base64.b64decode(v, validate=True)),
    ("string", lambda v: isinstance(v, str) and v),
])
def test_each_scim_type(scim_type, check, people):
    assert all(check(v) for v in values(ValueShape("anything", scim_type), people))


def test_multi_valued_and_complex_values(people):
    aliases = generated_value(ValueShape("emailAliases", multi_valued=True), people[0])
    assert isinstance(aliases, list) and len(aliases) == 1 and meets_format(aliases[0], "email")
    contact = ValueShape("emergencyContact", "complex", subs=(
        ValueShape("contactName"), ValueShape("phone"),
        ValueShape("type", canonical="work")))
    value = generated_value(contact, people[0])
    assert value["type"] == "work" and meets_format(value["phone"], "e164")
    assert value["contactName"] == people[0].displayName


def test_values_are_deterministic():
    shape = ValueShape("badgeNumber", rules=ValueRules(unique=True))
    first = SourceDirectory.fake(users=10, seed=4).users
    again = SourceDirectory.fake(users=10, seed=4).users
    assert values(shape, first) == values(shape, again)
    group = SourceDirectory.fake(users=3, groups=2, seed=4).groups[0]
    assert generated_value(ValueShape("license"), group) == generated_value(
        ValueShape("license"), group)
