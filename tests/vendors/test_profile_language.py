"""Profiles' `[[rules]]` and `[auth]`: what the loader accepts, what it derives, and the
errors that name the file and the key at fault."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sandbox.vendors import ProfileError, bundled_vendors_dir, load_profile, load_profiles
from sandbox.vendors.profile_rules import RULE_KINDS

BASE = """
id = "acme"
name = "Acme"
tenant_url = "/acme/{tenant}/scim"
[resource_types.User]
endpoint = "/Users"
schema = "urn:ietf:params:scim:schemas:core:2.0:User"
[resource_types.Group]
endpoint = "/Groups"
schema = "urn:ietf:params:scim:schemas:core:2.0:Group"
"""


def load(tmp_path: Path, extra: str, base: str = BASE, top: str = ""):
    """The base profile with `top` keys before it and `extra` tables after it."""
    path = tmp_path / "acme.toml"
    path.write_text(top + base + extra, encoding="utf-8")
    return load_profile(path)


def test_rules_are_read_with_their_parameters(tmp_path):
    profile = load(tmp_path, """
[[rules]]
kind = "max_length"
attribute = "userName"
max = 20
summary = "short names"
[[rules]]
kind = "allowed_values"
attribute = "userType"
values = ["admin", "member"]
""")
    first, second = profile.rules
    assert (first.kind, first.attribute, first.max, first.summary) == (
        "max_length", "userName", 20, "short names")
    assert second.values == ("admin", "member")
    assert profile.rules_of("max_length") == (first,)
    assert profile.has_rule("allowed_values") and not profile.has_rule("rate_limit")
    assert first.in_words() == ("userName longer than 20 characters is refused with 400 "
                                "invalidValue")


def test_every_kind_has_words_for_its_behaviour():
    assert len(RULE_KINDS) == 22
    assert all(spec.behaviour for spec in RULE_KINDS.values())


def test_soft_delete_rule_sets_the_delete_mode(tmp_path):
    assert load(tmp_path, '\n[[rules]]\nkind = "soft_delete_only"\n').delete_mode == "soft"


def test_a_delete_mode_contradicting_a_rule_is_an_error(tmp_path):
    with pytest.raises(ProfileError, match=r"key 'delete_mode' must be 'soft'"):
        load(tmp_path, '\n[[rules]]\nkind = "soft_delete_only"\n', top='delete_mode = "hard"')


def test_a_required_rule_on_an_attribute_the_table_requires_adds_nothing(tmp_path):
    profile = load(tmp_path, """
[[rules]]
kind = "attribute_required_by_text"
attribute = "userName"
""", base=BASE.replace('endpoint = "/Users"', 'endpoint = "/Users"\nrequired = ["userName"]'))
    assert [r.written for r in profile.resource_types["User"].required] == ["userName"]


def test_required_and_unique_rules_join_the_resource_type(tmp_path):
    profile = load(tmp_path, """
[[rules]]
kind = "attribute_required_by_text"
attribute = "externalId"
[[rules]]
kind = "unique_attribute"
attribute = "displayName"
""")
    user, group = profile.resource_types["User"], profile.resource_types["Group"]
    assert [r.written for r in user.required] == ["externalId"]
    # displayName is an attribute of both, so both keep it unique.
    assert "displayName" in user.unique and "displayName" in group.unique


@pytest.mark.parametrize(("rule", "key", "message"), [
    ('kind = "shout"', "rules[0].kind", "must be one of soft_delete_only"),
    ('kind = "max_length"\nattribute = "userName"', "rules[0].max", "is required"),
    ('kind = "max_length"\nattribute = "userName"\nmax = 0', "rules[0].max", "positive"),
    ('kind = "rate_limit"\nrequests = 5\nper_seconds = 1\nattribute = "x"',
     "rules[0].attribute", "is not a parameter of rule kind 'rate_limit'"),
    ('kind = "value_format"\nattribute = "locale"\nformat = "roman"', "rules[0].format",
     "must be one of e164"),
    ('kind = "lowercase_only"\nattribute = "shoeSize"', "rules[0].attribute",
     "which no resource type of this profile has"),
])
def test_bad_rules_name_the_key(tmp_path, rule, key, message):
    with pytest.raises(ProfileError, match=rf"acme.toml: key '{re.escape(key)}' .*{message}"):
        load(tmp_path, f"\n[[rules]]\n{rule}\n")


def test_group_rules_need_groups(tmp_path):
    users_only = BASE.split("[resource_types.Group]")[0]
    with pytest.raises(ProfileError, match="no_group_create needs a Group resource type"):
        load(tmp_path, '\n[[rules]]\nkind = "no_group_create"\n', base=users_only)


def test_auth_defaults_to_a_console_bearer_token(tmp_path):
    auth = load(tmp_path, "").auth
    assert (auth.kind, auth.token_from, auth.token_label) == ("bearer", "console",
                                                             "Secret Token")


def test_oauth_kinds_take_their_token_from_oauth(tmp_path):
    auth = load(tmp_path, '\n[auth]\nkind = "oauth2_authorization_code"\n').auth
    assert auth.is_oauth and auth.token_from == "oauth"


@pytest.mark.parametrize(("table", "key"), [
    ('kind = "kerberos"', "auth.kind"),
    ('token_from = "fax"', "auth.token_from"),
    ('access_token_seconds = -1', "auth.access_token_seconds"),
    ('colour = "blue"', "auth.colour"),
])
def test_bad_auth_names_the_key(tmp_path, table, key):
    with pytest.raises(ProfileError, match=rf"key '{key}'"):
        load(tmp_path, f"\n[auth]\n{table}\n")


def test_oauth_paths_are_reserved(tmp_path):
    with pytest.raises(ProfileError, match="may not live under /oauth"):
        load(tmp_path, "", base=BASE.replace("/acme/{tenant}/scim", "/oauth/{tenant}"))


def test_visitly_says_its_soft_delete_as_a_rule():
    """vendor-docs/001 (Visitly): soft delete only, now a rule rather than a setting."""
    visitly = load_profiles(bundled_vendors_dir())["visitly"]
    assert [rule.kind for rule in visitly.rules] == ["soft_delete_only"]
    assert visitly.delete_mode == "soft"
    assert "delete_mode" not in visitly.raw
