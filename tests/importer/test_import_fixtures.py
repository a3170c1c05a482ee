"""Our invented tutorials, written in the Markdown shapes the gallery's tutorials use: each
test names the shape it covers and what the importer must read from it."""

from __future__ import annotations

import pytest
from importer_support import read_fixture

from sandbox.vendors.importer import import_tutorial
from sandbox.vendors.importer.record import NotATutorial


def _kinds(record: dict) -> dict[str, dict]:
    return {q["kind"]: q for q in record["quirks"]}


def test_required_by_header_with_check_marks_and_rows_without_a_trailing_pipe():
    record = read_fixture("brightdesk").record
    rows = {(r["name"], r["filterable"], r["required"]) for r in record["user_attributes"]}
    assert ("userName", True, True) in rows  # "&check;|&check;" with no closing pipe
    assert ("externalId", True, False) in rows
    assert ("active", False, True) in rows
    assert ("urn:ietf:params:scim:schemas:extension:brightdesk:2.0:User:desk", False, True) in rows
    assert record["user_table"] == "parsed"
    types = {r["name"]: r["type"] for r in record["user_attributes"]}
    assert types["active"] == "Boolean" and types["emails[type eq \"work\"].value"] == "String"


def test_a_duplicate_row_is_kept_as_printed():
    names = [r["name"] for r in read_fixture("brightdesk").record["user_attributes"]]
    assert names.count("name.givenName") == 2
    assert len(names) == 8


def test_a_group_table_and_checklist_give_groups():
    record = read_fixture("brightdesk").record
    assert record["group_attributes"] == [
        {"name": "displayName", "type": "String", "filterable": True, "required": True},
        {"name": "members", "type": "Reference", "filterable": False, "required": False}]
    assert record["capabilities"] == {"create_users": True, "remove_users": True,
                                      "sync_user_attributes": True, "groups": True,
                                      "single_sign_on": True}


def test_a_console_key_a_fixed_url_and_the_menu_path():
    record = read_fixture("brightdesk").record
    assert record["auth"] == {"kind": "bearer", "token_label": "API Key",
                              "token_from": "console", "token_lifetime_days": 90}
    assert record["tenant_url"] == {"kind": "fixed", "value":
                                    "https://api.brightdesk.example/scim/v2", "label": None}
    assert record["setup"]["menu_path"] == ["Workspace", "Connections", "Identity sync",
                                            "Issue key"]
    assert record["setup"]["prerequisites"] == ["Business plan or higher",
                                                "a BrightDesk account with Owner permissions"]


@pytest.mark.parametrize(("fixture", "kind", "facts"), [
    ("brightdesk", "rate_limit", {"requests": 20, "per_seconds": 1}),
    ("brightdesk", "soft_delete_only", {}),
    ("brightdesk", "max_length", {"attribute": "displayName", "max": 64}),
    ("brightdesk", "token_expires", {"days": 90}),
    ("brightdesk", "schema_discovery", {}),  # from the change log
    ("brightdesk", "create_only_attribute", {"attribute": "deskCode"}),  # a bold name
    ("lumenpay", "value_format", {"format": "e164"}),
    ("lumenpay", "unique_attribute", {"attribute": "userName"}),
    ("lumenpay", "lowercase_only", {"attribute": "userName"}),
    ("lumenpay", "single_role_only", {}),
    ("lumenpay", "hard_delete_only", {}),
    ("lumenpay", "verified_domain_required", {}),
    ("lumenpay", "token_regeneration_invalidates_old", {}),
    ("orbitcrm", "no_group_rename", {}),
    ("orbitcrm", "max_groups", {"max": 50}),
    ("orbitcrm", "no_filter_on", {"attribute": "externalId"}),
    ("orbitcrm", "create_only_attribute", {"attribute": "title"}),
    ("orbitcrm", "attribute_required_by_text", {"attribute": "displayName"}),
    ("orbitcrm", "email_equals_username", {}),
])
def test_a_limitation_is_classified_into_its_quirk_kind(fixture, kind, facts):
    quirks = _kinds(read_fixture(fixture).record)
    assert kind in quirks, sorted(quirks)
    for key, value in facts.items():
        assert quirks[kind][key] == value
    assert quirks[kind]["summary"]


def test_an_unclassifiable_limitation_is_an_other_quirk_with_a_placeholder():
    result = read_fixture("brightdesk")
    others = [q for q in result.record["quirks"] if q["kind"] == "other"]
    assert others == [{"kind": "other", "summary": "Unclassified limitation (see the tutorial, "
                                                   "item 5 of Connector limitations)"}]
    assert any("limitation 5" in gap for gap in result.unread)


def test_a_mapping_shown_only_as_a_screenshot_is_an_image_table():
    result = read_fixture("lumenpay")
    assert result.record["user_table"] == "image"
    assert result.record["user_attributes"] == []
    assert any("screenshot" in gap for gap in result.unread)


def test_the_older_template_reads_capabilities_from_its_body_and_groups_as_no():
    """No checklist: "create, update, and disable assigned user accounts" and a user mapping
    only."""
    caps = read_fixture("lumenpay").record["capabilities"]
    assert caps["create_users"] is caps["remove_users"] is caps["sync_user_attributes"] is True
    assert caps["groups"] is False


def test_a_support_issued_token_and_a_url_template():
    record = read_fixture("lumenpay").record
    assert record["auth"]["token_from"] == "support"
    assert record["auth"]["token_label"] == "Secret Token"
    assert record["tenant_url"] == {"kind": "template", "label": None,
                                    "value": "https://{company}.lumenpay.example/scim/v2"}
    assert record["setup"]["self_service"] is False
    assert record["setup"]["menu_path"] == []


def test_an_authorize_button_is_the_oauth_authorization_code_grant():
    record = read_fixture("orbitcrm").record
    assert record["auth"]["kind"] == "oauth2_authorization_code"
    assert record["auth"]["token_from"] == "oauth"
    assert record["tenant_url"]["kind"] == "oauth_preset"


def test_headers_filterable_and_mandatory_yes_marks_a_notes_column_and_no_leading_pipe():
    record = read_fixture("orbitcrm").record
    assert record["user_attributes"][:3] == [
        {"name": "userName", "type": "String", "filterable": True, "required": True},
        {"name": "emails[type eq \"work\"].value", "type": "String", "filterable": True,
         "required": True},
        {"name": "displayName", "type": "String", "filterable": False, "required": True}]
    # A group table with no required column leaves the flag unknown.
    assert {r["required"] for r in record["group_attributes"]} == {None}


def test_checklist_items_beyond_the_five_fields():
    result = read_fixture("orbitcrm")
    caps = result.record["capabilities"]
    assert caps["other"] == ["long-lived bearer token authentication"]
    assert caps["single_sign_on"] is None  # the checklist does not name it
    assert any("checklist: 1 item" in gap for gap in result.unread)


def test_a_matching_header_a_french_console_and_one_url_per_region():
    result = read_fixture("quillnote")
    record = result.record
    assert [(r["name"], r["filterable"], r["required"]) for r in record["user_attributes"]] == [
        ("userName", True, True), ("externalId", False, False),
        ("preferredLanguage", False, False)]
    assert record["setup"]["menu_path"] == ["Paramètres", "Intégrations", "Générer"]
    assert record["setup"]["language"] == "fr"
    assert record["auth"]["token_label"] == "Jeton SCIM"
    assert record["tenant_url"]["kind"] == "region_list"
    assert record["tenant_url"]["values"] == ["https://eu.quillnote.example/scim",
                                              "https://us.quillnote.example/scim"]
    assert record["group_table"] == "image" and record["capabilities"]["groups"] is True
    assert "single sign-on configured first" in record["setup"]["prerequisites"]


def test_text_that_is_no_tutorial_is_refused():
    with pytest.raises(NotATutorial):
        import_tutorial("# Shopping list\n\n* bread\n* provisioning of milk\n", "shopping")


def test_a_bad_record_id_is_refused():
    with pytest.raises(ValueError, match="record id"):
        import_tutorial("anything", "Not An Id")
