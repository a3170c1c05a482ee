"""The pure parts of the rules: value formats, attribute paths, and what each profile's
rules compile to (nothing at all for a profile without rules)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox.scim.schema import ResourceSchema, standard_schema
from sandbox.vendors import bundled_vendors_dir, load_profile, load_profiles
from sandbox.vendors.attribute_reader import attribute_reader
from sandbox.vendors.profile_rules import RULE_KINDS, VALUE_FORMATS
from sandbox.vendors.rule_checks import compile_rules
from sandbox.vendors.value_formats import FORMAT_TESTS, ISO639_1, ISO3166_ALPHA2

PROFILES = Path(__file__).resolve().parent / "profiles"
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
SCHEMA = ResourceSchema("User", "/Users", standard_schema(USER),
                        (standard_schema(ENTERPRISE),))
# Kinds whose behaviour lives with the tenant's credentials, not with resources.
_TOKEN_KINDS = {"token_expires", "token_regeneration_invalidates_old"}


def test_every_rule_kind_but_the_token_kinds_has_a_test_profile():
    profiles = {path.stem for path in PROFILES.glob("*.toml")}
    assert profiles == set(RULE_KINDS) - _TOKEN_KINDS
    for path in PROFILES.glob("*.toml"):
        assert path.stem in {rule.kind for rule in load_profile(path).rules}


def test_every_value_format_has_a_test():
    assert set(FORMAT_TESTS) == set(VALUE_FORMATS)


@pytest.mark.parametrize(("name", "good", "bad"), [
    ("e164", ["+14155550100", "+33612345678"], ["14155550100", "+0123", "+1 415 555",
                                                "+1234567890123456"]),
    ("iso3166_alpha2", ["US", "FR", "AX"], ["us", "USA", "XX", "UK"]),
    ("iso639", ["en", "fr", "zu"], ["EN", "eng", "xx", "en-US"]),
    ("email", ["ada@example.com", "a.b+c@sub.example.org"], ["ada", "ada@", "@x.com",
                                                            "ada @x.com", "ada@localhost"]),
    ("bcp47", ["en", "en-US", "zh-Hant-TW", "es-419", "fil"], ["en_US", "english", "xx-US",
                                                             "en-"]),
    ("no_digits", ["Lovelace", "O'Brien-Smith"], ["L0velace", "Ada2"]),
])
def test_value_formats(name, good, bad):
    test = FORMAT_TESTS[name]
    assert [value for value in good if test(value) is not None] == []
    assert [value for value in bad if test(value) is None] == []


def test_the_code_lists_are_complete():
    assert len(ISO3166_ALPHA2) == 249 and len(ISO639_1) == 184


def test_an_attribute_reader_reads_what_its_path_selects():
    user = {"userName": "ada", "emails": [{"type": "work", "value": "a@w.example"},
                                          {"type": "home", "value": "a@h.example"}],
            "roles": [{"value": "Admin"}, {"value": "Editor"}],
            "name": {"givenName": "Ada"}, ENTERPRISE: {"employeeNumber": "1815"}}
    values = {path: attribute_reader(path, SCHEMA).values(user) for path in (
        "userName", 'emails[type eq "work"].value', "emails", "roles", "name.givenName",
        f"{ENTERPRISE}:employeeNumber", "title")}
    assert values == {"userName": ["ada"], 'emails[type eq "work"].value': ["a@w.example"],
                      "emails": ["a@w.example", "a@h.example"], "roles": ["Admin", "Editor"],
                      "name.givenName": ["Ada"], f"{ENTERPRISE}:employeeNumber": ["1815"],
                      "title": []}


@pytest.mark.parametrize("path", ["nope", "name.nope", "userName[type eq \"x\"]", "emails[",
                                  "urn:unknown:schema:attr"])
def test_an_attribute_reader_of_a_path_the_schema_lacks_is_none(path):
    assert attribute_reader(path, SCHEMA) is None


def test_a_mapped_value_never_touches_the_stored_resource():
    stored = {"emails": [{"type": "work", "value": "A@W.example"}]}
    reader = attribute_reader('emails[type eq "work"].value', SCHEMA)
    lowered = reader.mapped(stored, str.lower)
    assert lowered == {"emails": [{"type": "work", "value": "a@w.example"}]}
    assert stored == {"emails": [{"type": "work", "value": "A@W.example"}]}


def test_kept_values_come_back_into_an_extension_the_change_dropped():
    reader = attribute_reader(f"{ENTERPRISE}:employeeNumber", SCHEMA)
    current = {"schemas": [USER, ENTERPRISE], "userName": "ada",
               ENTERPRISE: {"employeeNumber": "1815"}}
    kept = reader.kept_from({"schemas": [USER], "userName": "ada"}, current)
    assert kept == current


def test_a_profile_without_rules_compiles_to_nothing():
    profiles = load_profiles(bundled_vendors_dir())
    assert compile_rules(profiles["generic"]) == {}
    assert compile_rules(profiles["velpic"]) == {}  # its one rule is `other`


def test_rules_compile_only_for_the_resource_types_they_concern():
    assert set(compile_rules(load_profile(PROFILES / "max_length.toml"))) == {"User", "Group"}
    assert set(compile_rules(load_profile(PROFILES / "value_format.toml"))) == {"User"}
    assert set(compile_rules(load_profile(PROFILES / "no_group_create.toml"))) == {"Group"}
