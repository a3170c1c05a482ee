"""Attribute Mappings from a profile's tables and rules, as an admin following the vendor's
tutorial would set them (profiles written inline; the bundled ones in test_entra_mappings)."""

from __future__ import annotations

from typing import Any

import pytest
from entra_rule_meaning import in_verified_domain, meets_format, values_of
from entra_support import profile

from sandbox.constants import VERITAS_USER_SCHEMA as VERITAS
from sandbox.entra import SourceDirectory, default_group_mappings, default_mappings
from sandbox.entra.mappings import (
    ON_CREATE_ONLY,
    TARGET_OBJECT_ACTIONS,
    evaluate,
    group_actions,
    matching_mapping,
)
from sandbox.vendors.loader import profile_from_dict

CUSTOM = "urn:ietf:params:scim:schemas:extension:acme:2.0:User"
CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User"


def make_profile(*rules: dict[str, Any], user: dict[str, Any] | None = None,
                 groups: bool = True, **top: Any):
    data: dict[str, Any] = {
        "id": "acme-app", "name": "Acme", "tenant_url": "/acme/{tenant}/scim/v2",
        "resource_types": {"User": {"endpoint": "/Users", "schema": CORE_USER, **(user or {})}},
        "rules": list(rules), **top,
    }
    if groups:
        data["resource_types"]["Group"] = {
            "endpoint": "/Groups", "schema": "urn:ietf:params:scim:schemas:core:2.0:Group"}
    return profile_from_dict(data)


def rows(mappings):
    return {m.target: m for m in mappings}


@pytest.fixture(scope="module")
def users():
    return SourceDirectory.fake(users=40, seed=5, default_access_every=0).users


def test_a_profile_without_rules_or_table_gets_entras_defaults():
    assert default_mappings(make_profile()) == default_mappings(profile("generic"))[:12]


def test_veritas_email_aliases_come_from_a_generated_extension_attribute(users):
    """Veritas' tutorial lists emailAliases as required and names no source for it."""
    row = rows(default_mappings(profile("veritas")))[f"{VERITAS}:emailAliases"]
    assert row.source == "extension_veritas_emailAliases"
    for user in users:
        aliases = evaluate(row, user)
        assert isinstance(aliases, list) and aliases
        assert all(meets_format(a, "email") and in_verified_domain(a) for a in aliases)


def test_required_custom_attributes_of_every_type(users):
    attributes = [
        {"name": "badge", "type": "string", "required": True},
        {"name": "since", "type": "dateTime", "required": True},
        {"name": "remote", "type": "boolean", "required": True},
        {"name": "level", "type": "integer", "required": True},
        {"name": "page", "type": "reference", "required": True},
        {"name": "kin", "type": "complex", "required": True, "subAttributes": [
            {"name": "fullName", "type": "string", "required": True},
            {"name": "mobile", "type": "string"}]},
        {"name": "secret", "type": "string", "mutability": "readOnly"},
    ]
    acme = make_profile(schemas={CUSTOM: {"name": "Acme", "attributes": attributes}},
                        user={"extensions": [CUSTOM], "required_extensions": [CUSTOM]})
    found = rows(default_mappings(acme))
    for name in ("badge", "since", "remote", "level", "page", "kin"):
        assert found[f"{CUSTOM}:{name}"].source == f"extension_acmeapp_{name}"
    assert f"{CUSTOM}:secret" not in found  # read-only: the app writes it, never Entra
    value = evaluate(found[f"{CUSTOM}:kin"], users[0])
    assert value["fullName"] and meets_format(value["mobile"], "e164")


def test_a_required_mobile_phone_and_user_type_get_sources(users):
    acme = make_profile(
        {"kind": "value_format", "attribute": 'phoneNumbers[type eq "mobile"].value',
         "format": "e164"},
        {"kind": "allowed_values", "attribute": "userType", "values": ["Staff", "Guest"]},
        user={"required": ['phoneNumbers[type eq "mobile"].value', "userType"]})
    found = rows(default_mappings(acme))
    mobile = found['phoneNumbers[type eq "mobile"].value']
    assert mobile.source == "extension_acmeapp_phoneNumbersMobile"
    assert all(meets_format(evaluate(mobile, u), "e164") for u in users)
    assert {evaluate(found["userType"], u) for u in users} == {"Staff", "Guest"}


def test_rules_wrap_default_sources_in_expressions(users):
    acme = make_profile({"kind": "lowercase_only", "attribute": "displayName"},
                        {"kind": "max_length", "attribute": "title", "max": 10})
    found = rows(default_mappings(acme))
    assert found["displayName"].source == "ToLower([displayName])"
    assert found["title"].source == "Left([jobTitle], 10)"
    for user in users:
        assert evaluate(found["displayName"], user) == user.displayName.lower()
        assert evaluate(found["title"], user) == user.jobTitle[:10]


def test_a_format_the_default_source_lacks_gets_a_generated_source(users):
    acme = make_profile(
        {"kind": "value_format", "attribute": "preferredLanguage", "format": "iso639"},
        {"kind": "value_format", "attribute": 'addresses[type eq "work"].country',
         "format": "iso3166_alpha2"})
    found = rows(default_mappings(acme))
    assert found["preferredLanguage"].source == "extension_acmeapp_preferredLanguage"
    assert all(meets_format(evaluate(found["preferredLanguage"], u), "iso639") for u in users)
    assert found['addresses[type eq "work"].country'].source == "country"  # already ISO


def test_a_short_user_name_stays_the_matching_unique_email(users):
    acme = make_profile({"kind": "max_length", "attribute": "userName", "max": 20},
                        {"kind": "lowercase_only", "attribute": "userName"},
                        {"kind": "email_equals_username"},
                        {"kind": "verified_domain_required"},
                        user={"unique": ["userName"]})
    found = default_mappings(acme)
    match = matching_mapping(found)
    assert match.target == "userName" and match.source == "extension_acmeapp_userName"
    email = rows(found)['emails[type eq "work"].value']
    names = [evaluate(match, u) for u in users]
    assert len(set(names)) == len(names)
    for user, name in zip(users, names, strict=True):
        assert len(name) <= 20 and name == name.lower()
        assert meets_format(name, "email") and in_verified_domain(name)
        assert values_of(evaluate(email, user)) == [name]  # email_equals_username


def test_create_only_and_no_group_rename_apply_only_on_creation():
    acme = make_profile({"kind": "create_only_attribute", "attribute": "externalId"},
                        {"kind": "no_group_rename"})
    assert rows(default_mappings(acme))["externalId"].apply == ON_CREATE_ONLY
    assert rows(default_mappings(acme))["displayName"].apply != ON_CREATE_ONLY  # a user's
    group = rows(default_group_mappings(acme))
    assert group["displayName"].apply == ON_CREATE_ONLY
    # A rule applies to every resource type that has its attribute.
    assert group["externalId"].apply == ON_CREATE_ONLY
    assert group["members"].apply != ON_CREATE_ONLY


@pytest.mark.parametrize(("rules", "filterable", "expected"), [
    ([{"kind": "no_filter_on", "attribute": "userName"}], None, "externalId"),
    ([], ["externalId", 'emails[type eq "work"].value'], "externalId"),
    ([{"kind": "no_filter_on", "attribute": "userName"}],
     ['emails[type eq "work"].value', "userName"], 'emails[type eq "work"].value'),
    ([], ["userName"], "userName"),
])
def test_the_matching_attribute_is_one_the_app_filters_on(rules, filterable, expected):
    user = {"filterable": filterable} if filterable is not None else {}
    found = default_mappings(make_profile(*rules, user=user))
    assert matching_mapping(found).target == expected
    assert sum(1 for m in found if m.matching_precedence is not None) == 1


def test_group_target_object_actions():
    assert group_actions(None) == TARGET_OBJECT_ACTIONS
    assert group_actions(make_profile({"kind": "no_group_create"})) == {"Update", "Delete"}
    assert group_actions(make_profile({"kind": "no_group_create"},
                                      {"kind": "no_group_delete"})) == {"Update"}


def test_group_rows_need_groups():
    assert default_group_mappings(make_profile(groups=False)) == ()
    assert [m.target for m in default_group_mappings(make_profile())] == [
        "displayName", "externalId", "members"]


def test_a_table_without_user_name_matches_on_another_attribute():
    acme = make_profile(user={"attributes": ["externalId", "emails.value", "emails.type",
                                             "displayName", "active"]})
    found = default_mappings(acme)
    assert "userName" not in {m.target for m in found}
    assert matching_mapping(found).target == "externalId"
