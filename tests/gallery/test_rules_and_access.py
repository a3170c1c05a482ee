"""A record's limitations become `[[rules]]`, its sign-in `[auth]` and its setup screens
`[setup]`, with the choices docs/profiles.md ("Gallery records as profiles") writes down."""

from __future__ import annotations

import pytest
from gallery_rows import row

from sandbox.vendors.gallery_profile import profile_from_record
from sandbox.vendors.gallery_records import check_record
from sandbox.vendors.profile import ProfileError


def quirk(kind, summary="What the tutorial says.", **parameters):
    return {"kind": kind, "summary": summary, **parameters}


def _rules(profile):
    return [(r.kind, r.attribute) for r in profile.rules]


def test_valid_quirks_are_rules_with_the_attribute_spelled_as_the_profile_does(make_record):
    profile = profile_from_record(make_record(quirks=[
        quirk("max_length", attribute="USERNAME", max=30),
        quirk("value_format", attribute='emails[type eq "work"].value', format="email"),
        quirk("rate_limit", requests=10, per_seconds=1),
    ]))
    assert _rules(profile) == [("max_length", "userName"),
                               ("value_format", 'emails[type eq "work"].value'),
                               ("rate_limit", None)]
    assert profile.rules[0].max == 30 and profile.rules[0].summary == "What the tutorial says."


def test_a_parameter_the_kind_does_not_take_is_left_out(make_record):
    profile = profile_from_record(make_record(quirks=[
        quirk("soft_delete_only", attribute="active")]))
    assert _rules(profile) == [("soft_delete_only", None)]
    assert profile.delete_mode == "soft"


def test_the_tutorials_words_for_names_and_email_mean_their_scim_attributes(make_record):
    profile = profile_from_record(make_record(
        user_attributes=[row("userName"), row("name.givenName"), row("name.familyName"),
                         row('emails[type eq "work"].value')],
        quirks=[quirk("attribute_required_by_text", attribute=word)
                for word in ("firstName", "lastName", "email")]))
    assert [r.written for r in profile.resource_types["User"].required] == [
        "name.givenName", "name.familyName", "emails"]


@pytest.mark.parametrize(("given", "why"), [
    (quirk("token_expires"), "the tutorial gives no days"),
    (quirk("allowed_values", attribute="title"), "the tutorial gives no values"),
    (quirk("value_format", attribute="userName", format="base64"),
     "the sandbox checks no format 'base64'"),
    (quirk("unique_attribute", attribute="Entitlements"),
     "the profile keeps no attribute 'Entitlements'"),
    (quirk("email_equals_username"), "the profile keeps no attribute 'emails'"),
    (quirk("no_group_create"), "the profile has no groups"),
    (quirk("max_length", attribute="userName", max=0), "max must be a positive integer"),
    (quirk("teleport"), "no rule kind is called 'teleport'"),
])
def test_a_quirk_the_sandbox_cannot_apply_is_kept_as_a_documented_rule(make_record, given,
                                                                         why):
    profile = profile_from_record(make_record(
        user_attributes=[row("userName"), row("title")], quirks=[given]))
    (rule,) = profile.rules
    assert rule.kind == "other"
    assert rule.summary.startswith("What the tutorial says.")
    assert f"Recorded as {given['kind']}; not applied: {why}." in rule.summary


def test_soft_and_hard_delete_together_keep_the_first(make_record):
    profile = profile_from_record(make_record(quirks=[quirk("hard_delete_only"),
                                                      quirk("soft_delete_only")]))
    assert [r.kind for r in profile.rules] == ["hard_delete_only", "other"]
    assert "contradicts the hard_delete_only rule" in profile.rules[1].summary
    assert profile.delete_mode == "hard"


def test_a_token_lifetime_is_a_token_expires_rule(make_record):
    record = make_record()
    record["auth"]["token_lifetime_days"] = 365
    (rule,) = profile_from_record(record).rules
    assert (rule.kind, rule.days) == ("token_expires", 365)


def test_a_token_expires_quirk_without_days_takes_the_lifetime(make_record):
    record = make_record(quirks=[quirk("token_expires", "It runs out.")])
    record["auth"]["token_lifetime_days"] = 30
    (rule,) = profile_from_record(record).rules
    assert (rule.kind, rule.days, rule.summary) == ("token_expires", 30, "It runs out.")


def test_group_rules_apply_where_the_app_has_groups(make_record):
    profile = profile_from_record(make_record(groups=True, quirks=[
        quirk("no_group_rename"), quirk("max_groups", max=200)]))
    assert _rules(profile) == [("no_group_rename", "displayName"), ("max_groups", None)]


@pytest.mark.parametrize(("kind", "source", "self_service", "expected"), [
    ("other", None, True, ("bearer", "console")),
    ("other", "other", False, ("bearer", "support")),
    ("bearer", "oauth", True, ("bearer", "console")),
    ("oauth2_authorization_code", "other", True, ("oauth2_authorization_code", "oauth")),
    ("oauth2_client_credentials", "console", True, ("oauth2_client_credentials", "console")),
    ("basic", "support", False, ("basic", "support")),
])
def test_the_auth_kind_and_where_the_secret_comes_from(make_record, kind, source,
                                                       self_service, expected):
    record = make_record()
    record["auth"].update(kind=kind, token_from=source)
    record["setup"]["self_service"] = self_service
    profile = profile_from_record(record)
    assert (profile.auth.kind, profile.auth.token_from) == expected
    assert profile.setup["self_service"] is (expected[1] != "support")
    # The support flow has no menu to click down; the others keep the tutorial's.
    assert ("menu" in profile.setup) is (expected[1] != "support")


def test_setup_screens_come_from_the_record(make_record):
    record = make_record(tenant_url={"kind": "template", "label": None,
                                     "value": "https://<sub>.acme.test/scim"})
    record["setup"].update(menu_path=["Admin", "\u2192", "SCIM"], language="fr")
    record["auth"]["token_label"] = None
    profile = profile_from_record(record)
    assert profile.setup["menu"] == ["Admin", "SCIM"]  # a label with no letter is no label
    assert profile.setup["language"] == "fr"
    assert profile.setup["console"] == "Acme HR"
    assert profile.setup["prerequisites"] == ["An Acme HR admin account"]
    assert profile.setup["tenant_url_hint"] == "https://<sub>.acme.test/scim"
    assert profile.auth.token_label == "Secret Token"


def test_support_with_a_console_secret_is_noted(make_record):
    record = make_record()
    record["setup"]["self_service"] = False
    profile = profile_from_record(record)
    assert profile.auth.token_from == "console"
    assert "support take part" in profile.doc["setup"]


def test_the_profile_names_its_source_and_licence(make_record):
    profile = profile_from_record(make_record())
    assert profile.doc["commit"] == "0" * 40
    assert profile.doc["url"].endswith("acme-hr-provisioning-tutorial")
    assert "CC BY 4.0" in profile.doc["licence"]
    assert profile.documentation_uri == profile.doc["url"]


@pytest.mark.parametrize("status", ["non_scim", "deprecated", "inbound"])
def test_a_record_that_is_not_scim_is_no_profile(make_record, status):
    with pytest.raises(ProfileError, match=r"acme-hr\.json: app 'acme-hr' is not served"):
        profile_from_record(make_record(status=status), "acme-hr.json")


@pytest.mark.parametrize(("change", "message"), [
    ({"id": "Acme HR"}, "key 'id' must be lower-case letters"),
    ({"status": "maybe"}, "key 'status' must be one of"),
    ({"quirks": "none"}, "key 'quirks' must be a list of objects"),
    ({"app_name": ""}, "key 'app_name' must be a non-empty string"),
])
def test_a_broken_record_is_refused_naming_the_key(make_record, change, message):
    with pytest.raises(ProfileError, match=f"^x.json: {message}"):
        check_record(make_record(**change), "x.json")


def test_a_record_without_a_required_key_is_refused(make_record):
    record = make_record()
    del record["tenant_url"]
    with pytest.raises(ProfileError, match="key 'tenant_url' is required"):
        profile_from_record(record, "x.json")
