"""A record's attribute tables become the profile's resource types, as docs/profiles.md
("Gallery records as profiles") says: names matched to the RFC 7643 schemas in any case,
extension schemas generated with the table's types, rows that name nothing dropped and said
so, defaults where a table has no filtering column or no readable table at all, and groups
exactly where the record says so."""

from __future__ import annotations

import pytest
from gallery_rows import row

from sandbox.constants import ENTERPRISE_USER_SCHEMA
from sandbox.vendors.gallery_profile import profile_from_record

EXT = "urn:ietf:params:scim:schemas:extension:acme:2.0:User"


def _user(profile):
    return profile.resource_types["User"]


def _names(schema):
    return {a.name for a in schema.attributes}


def test_core_names_are_matched_in_any_case_and_written_as_the_rfc_spells_them(make_record):
    profile = profile_from_record(make_record(user_attributes=[
        row("Username", required=True, filterable=True), row("DisplayName"),
        row("EXTERNALID"), row('phonenumbers[type eq "work"].value', required=True),
        row("Name.GivenName")]))
    user = _user(profile)
    assert _names(user.schema.core) == {"userName", "displayName", "phoneNumbers", "name"}
    assert [a.name for a in user.schema.common] == ["id", "externalId", "meta", "schemas"]
    assert [r.written for r in user.required] == ["userName",
                                                   'phoneNumbers[type eq "work"].value']
    assert user.filterable == ("userName",)
    phone = user.schema.core.attribute("phoneNumbers")
    # A value path keeps the named part, the filter's part and `primary`.
    assert {s.name for s in phone.sub_attributes} == {"value", "type", "primary"}
    assert {s.name for s in user.schema.core.attribute("name").sub_attributes} == {"givenName"}


def test_curly_quotes_and_a_missing_quote_in_a_value_filter_are_read_as_straight_ones(
        make_record):
    profile = profile_from_record(make_record(user_attributes=[
        row("userName"), row("emails[type eq \u201cwork\u201d].value", required=True),
        row(f"{EXT}:ids[authority eq \u2018teams].value", required=True)]))
    user = _user(profile)
    assert [r.written for r in user.required] == [
        'emails[type eq "work"].value', f'{EXT}:ids[authority eq "teams"].value']


def test_a_value_path_without_a_part_means_its_value(make_record):
    profile = profile_from_record(make_record(user_attributes=[
        row("userName"), row('emails[type eq "work"]', required=True)]))
    assert [r.written for r in _user(profile).required] == ['emails[type eq "work"].value']


@pytest.mark.parametrize(("written", "scim_type"), [
    ("String", "string"), ("Boolean", "boolean"), ("Integer", "integer"),
    ("DateTime", "dateTime"), ("Reference", "reference"), ("Binary", "binary"),
    ("Decimal", "decimal"), ("string", "string"), ("", "string"), ("Text (255)", "string"),
])
def test_a_custom_urn_makes_an_extension_attribute_of_the_tables_type(
        make_record, written, scim_type):
    profile = profile_from_record(make_record(user_attributes=[
        row("userName"), row(f"{EXT}:badge", written)]))
    user = _user(profile)
    extension = user.schema.extension(EXT)
    assert extension is not None and extension.id in [s.id for s in profile.all_schemas()]
    badge = extension.attribute("badge")
    assert badge.type == scim_type and not badge.multi_valued
    if scim_type == "reference":
        assert badge.reference_types == ("external",)


def test_dotted_and_value_path_rows_of_an_extension_make_complex_attributes(make_record):
    profile = profile_from_record(make_record(user_attributes=[
        row("userName"), row(f"{EXT}:licenses.chart", "Boolean"),
        row(f"{EXT}:licenses.board", "Boolean", required=True),
        row(f'{EXT}:ids[authority eq "zoom"].value'),
        row(f'{EXT}:ids[authority eq "teams"].value')]))
    extension = _user(profile).schema.extension(EXT)
    licenses = extension.attribute("licenses")
    assert licenses.type == "complex" and not licenses.multi_valued
    assert {(s.name, s.type) for s in licenses.sub_attributes} == {("chart", "boolean"),
                                                                  ("board", "boolean")}
    ids = extension.attribute("ids")
    assert ids.type == "complex" and ids.multi_valued
    assert {s.name for s in ids.sub_attributes} == {"authority", "value"}
    assert [r.written for r in _user(profile).required] == [f"{EXT}:licenses.board"]


def test_enterprise_rows_keep_their_rfc_types_and_bring_the_enterprise_extension(
        make_record):
    profile = profile_from_record(make_record(user_attributes=[
        row("userName"), row(f"{ENTERPRISE_USER_SCHEMA}:Department", "Integer", required=True),
        row(f"{ENTERPRISE_USER_SCHEMA}:manager", "Reference")]))
    user = _user(profile)
    enterprise = user.schema.extension(ENTERPRISE_USER_SCHEMA)
    assert _names(enterprise) == {"department", "manager"}
    assert enterprise.attribute("department").type == "string"
    assert enterprise.attribute("manager").type == "complex"
    assert [r.written for r in user.required] == [f"{ENTERPRISE_USER_SCHEMA}:department"]
    assert "schemas" not in profile.raw  # nothing generated for a standard schema


def test_duplicate_rows_are_one_attribute_flagged_when_any_row_says_so(make_record):
    profile = profile_from_record(make_record(user_attributes=[
        row("userName", filterable=True), row("title"), row("Title", required=True),
        row("userName", filterable=True, required=True)]))
    user = _user(profile)
    assert sorted(r.written for r in user.required) == ["title", "userName"]
    assert user.filterable == ("userName",)
    assert "2 user attributes" in profile.description


def test_rows_that_name_no_attribute_are_left_out_and_the_profile_says_so(make_record):
    profile = profile_from_record(make_record(user_attributes=[
        row("userName"), row("company", required=True), row("name.displayName"),
        row('roles[primary eq "True".type]'), row("title")]))
    user = _user(profile)
    assert _names(user.schema.core) == {"userName", "title"}
    assert user.required == ()
    for dropped in ("company", "name.displayName", 'roles[primary eq "True".type]'):
        assert dropped in profile.doc["dropped_rows"]
        assert dropped in profile.description


@pytest.mark.parametrize("flag", [None, False])
def test_a_table_that_marks_nothing_filterable_filters_on_username(make_record, flag):
    profile = profile_from_record(make_record(user_attributes=[
        row("userName", filterable=flag), row("externalId", filterable=flag)]))
    assert _user(profile).filterable == ("userName",)
    assert "matching attribute" in profile.doc["filterable"]


def test_the_matching_attribute_a_record_names_is_filterable(make_record):
    profile = profile_from_record(make_record(
        user_attributes=[row("userName", filterable=True), row('emails[type eq "work"].value')],
        matching={"user": 'emails[type eq "work"].value', "group": None}))
    assert _user(profile).filterable == ("userName", 'emails[type eq "work"].value')


def test_username_is_kept_even_when_a_table_lacks_it(make_record):
    profile = profile_from_record(make_record(user_attributes=[row("title", filterable=True)]))
    assert _names(_user(profile).schema.core) == {"userName", "title"}
    assert _user(profile).unique == ("userName",)


@pytest.mark.parametrize("shown", ["image", "none"])
def test_no_readable_table_keeps_the_whole_core_user_schema(make_record, shown):
    profile = profile_from_record(make_record(user_table=shown, user_attributes=[]))
    user = _user(profile)
    assert {"userName", "name", "emails", "addresses", "nickName", "roles"} <= _names(
        user.schema.core)
    assert user.schema.extensions == ()
    assert user.filterable == ("userName", "externalId")
    assert user.required == ()
    assert "no readable user table" in profile.description


def test_groups_where_the_record_says_so_with_its_group_table(make_record):
    profile = profile_from_record(make_record(groups=True, group_table="parsed",
                                              group_attributes=[row("displayName"),
                                                                row("externalID")]))
    group = profile.resource_types["Group"]
    # A group is provisioned with its members, even when the table does not list them.
    assert _names(group.schema.core) == {"displayName", "members"}
    assert "externalId" in [a.name for a in group.schema.common]
    assert group.filterable == ("displayName",)
    assert group.unique == ("displayName",)
    assert "groups" in _names(_user(profile).schema.core)  # derived from memberships


def test_groups_without_a_group_table_have_the_core_group_schema(make_record):
    profile = profile_from_record(make_record(groups=True, group_table="image"))
    group = profile.resource_types["Group"]
    assert _names(group.schema.core) == {"displayName", "members"}
    assert group.filterable == ("displayName", "externalId")


@pytest.mark.parametrize(("groups", "group_table", "served"), [
    (False, "parsed", False),  # the record's word wins over a table
    (None, "parsed", True),  # silent, but a group table is shown
    (None, "image", True),
    (None, "none", False),  # silent and no table: users only, as Velpic
])
def test_groups_when_the_record_is_not_plain_about_them(make_record, groups, group_table,
                                                        served):
    profile = profile_from_record(make_record(groups=groups, group_table=group_table,
                                              group_attributes=[row("displayName")]))
    assert ("Group" in profile.resource_types) is served
    assert (_user(profile).schema.core.attribute("groups") is not None) is served


def test_where_the_app_cannot_filter_on_username_entra_matches_on_external_id(make_record):
    profile = profile_from_record(make_record(
        user_attributes=[row("userName", filterable=None), row("active", filterable=None)],
        quirks=[{"kind": "no_filter_on", "attribute": "userName", "summary": "x"}]))
    user = _user(profile)
    assert user.filterable == ("externalId",)
    assert "externalId" in [a.name for a in user.schema.common]


def test_a_table_filtering_only_on_id_also_filters_on_the_matching_attribute(make_record):
    profile = profile_from_record(make_record(groups=True, group_table="parsed",
                                              group_attributes=[
                                                  row("id", filterable=True, required=True),
                                                  row("displayName", required=True),
                                                  row("members", "Reference", required=True)]))
    group = profile.resource_types["Group"]
    assert group.filterable == ("id", "displayName")
    # The app assigns the id, and Entra adds members after it has created the group.
    assert [r.written for r in group.required] == ["displayName"]
