"""PATCH (RFC 7644 §3.5.2) on plain resource dicts, including Microsoft Entra's dialects."""

from __future__ import annotations

import copy

import pytest

from sandbox.scim.errors import ScimError
from sandbox.scim.patch import PATCH_OP_SCHEMA, apply_patch
from sandbox.scim.schema import (
    ENTERPRISE_USER_SCHEMA,
    GROUP_SCHEMA,
    USER_SCHEMA,
    Attribute,
    ResourceSchema,
    Schema,
    standard_schema,
)

EXT = ENTERPRISE_USER_SCHEMA
USER = ResourceSchema(
    "User", "/Users", standard_schema(USER_SCHEMA), (standard_schema(ENTERPRISE_USER_SCHEMA),)
)
GROUP = ResourceSchema("Group", "/Groups", standard_schema(GROUP_SCHEMA))


def make_user() -> dict:
    return {
        "schemas": [USER_SCHEMA, EXT],
        "id": "u1",
        "userName": "ann",
        "name": {"givenName": "Ann", "familyName": "Smith", "middleName": "M"},
        "active": True,
        "emails": [{"value": "ann@work.example", "type": "work", "primary": True}],
        EXT: {"employeeNumber": "7", "manager": {"value": "boss", "$ref": "../Users/boss"}},
    }


def make_group() -> dict:
    return {
        "schemas": [GROUP_SCHEMA],
        "id": "g1",
        "displayName": "Engineering",
        "members": [{"value": "id1", "display": "One"}, {"value": "id2"}],
    }


def body(*operations: dict) -> dict:
    return {"schemas": [PATCH_OP_SCHEMA], "Operations": list(operations)}


def patch(resource: dict, *operations: dict, schema: ResourceSchema = USER, **kwargs) -> dict:
    """Apply `operations` and check the input was left alone."""
    before = copy.deepcopy(resource)
    result = apply_patch(resource, body(*operations), schema, **kwargs)
    assert resource == before
    return result


def fails(resource: dict, *operations: dict, schema: ResourceSchema = USER, **kwargs) -> ScimError:
    """Apply `operations`, expecting a ScimError, and check the input was left alone."""
    before = copy.deepcopy(resource)
    with pytest.raises(ScimError) as info:
        apply_patch(resource, body(*operations), schema, **kwargs)
    assert resource == before
    return info.value


def assert_error(error: ScimError, scim_type: str, *fragments: str) -> None:
    assert error.status == 400
    assert error.scim_type == scim_type
    for fragment in fragments:
        assert fragment in error.detail


# --- the request body ---------------------------------------------------------------------


def test_body_must_be_an_object():
    with pytest.raises(ScimError) as info:
        apply_patch(make_user(), [], USER)  # type: ignore[arg-type]
    assert_error(info.value, "invalidSyntax", "JSON object")


def test_schemas_without_patchop_urn_is_invalid_syntax():
    user = make_user()
    before = copy.deepcopy(user)
    with pytest.raises(ScimError) as info:
        apply_patch(
            user,
            {"schemas": [USER_SCHEMA], "Operations": [{"op": "remove", "path": "title"}]},
            USER,
        )
    assert_error(info.value, "invalidSyntax", PATCH_OP_SCHEMA)
    assert user == before


def test_schemas_may_be_omitted_and_operations_key_is_case_insensitive():
    result = apply_patch(
        make_user(), {"operations": [{"op": "replace", "path": "title", "value": "Dr"}]}, USER
    )
    assert result["title"] == "Dr"


@pytest.mark.parametrize("operations", [None, [], "add", {"op": "add"}])
def test_operations_must_be_a_non_empty_list(operations):
    raw = {"schemas": [PATCH_OP_SCHEMA]}
    if operations is not None:
        raw["Operations"] = operations
    with pytest.raises(ScimError) as info:
        apply_patch(make_user(), raw, USER)
    assert_error(info.value, "invalidSyntax", "'Operations' must be a non-empty list")


def test_operation_must_be_an_object():
    error = fails(make_user(), "add")  # type: ignore[arg-type]
    assert_error(error, "invalidSyntax", "Operations[0] must be an object")


def test_unknown_op_is_named_in_the_error():
    error = fails(make_user(), {"op": "merge", "path": "title", "value": "x"})
    assert_error(error, "invalidSyntax", "'merge'", "add, replace or remove")


def test_missing_op_is_invalid_syntax():
    error = fails(make_user(), {"path": "title", "value": "x"})
    assert_error(error, "invalidSyntax", "no 'op'")


@pytest.mark.parametrize("op", ["Add", "Replace", "REPLACE", "replace"])
def test_entra_capitalised_op_names_are_accepted(op):
    assert patch(make_user(), {"op": op, "path": "title", "value": "Dr"})["title"] == "Dr"


def test_entra_operation_keys_in_any_case_and_extra_name_key_ignored():
    # Microsoft Entra sends `"name": "addMember"` next to op/path/value.
    operation = {"Op": "Add", "PATH": "members", "Value": [{"value": "id3"}], "name": "addMember"}
    result = patch(make_group(), operation, schema=GROUP)
    assert [m["value"] for m in result["members"]] == ["id1", "id2", "id3"]


def test_failed_patch_after_successful_operations_leaves_input_untouched():
    error = fails(
        make_user(),
        {"op": "replace", "path": "displayName", "value": "Ann S"},
        {"op": "remove", "path": "emails"},
        {"op": "replace", "path": "active", "value": "maybe"},
    )
    assert_error(error, "invalidValue", "active")


def test_result_is_a_new_dict_sharing_nothing_with_the_input():
    user = make_user()
    result = patch(user, {"op": "replace", "path": "title", "value": "Dr"})
    result["emails"][0]["value"] = "changed"
    result[EXT]["employeeNumber"] = "changed"
    assert user == make_user()


# --- pathless add / replace (Microsoft Entra) -----------------------------------------------


def test_entra_pathless_replace_active_false():
    result = patch(make_user(), {"op": "Replace", "value": {"active": False}})
    assert result["active"] is False


def test_entra_pathless_replace_with_dotted_keys_merges_into_name():
    value = {"name.givenName": "Ann", "name.familyName": "Lee"}
    result = patch(make_user(), {"op": "replace", "value": value})
    assert result["name"] == {"givenName": "Ann", "familyName": "Lee", "middleName": "M"}


def test_entra_pathless_replace_with_urn_qualified_extension_key():
    value = {f"{EXT}:employeeNumber": "42"}
    result = patch(make_user(), {"op": "replace", "value": value})
    assert result[EXT]["employeeNumber"] == "42"
    assert result[EXT]["manager"] == {"value": "boss", "$ref": "../Users/boss"}


def test_entra_pathless_replace_with_extension_urn_object_is_merged():
    value = {EXT: {"department": "R&D", "employeeNumber": "43"}}
    result = patch(make_user(), {"op": "replace", "value": value})
    assert result[EXT] == {
        "employeeNumber": "43",
        "department": "R&D",
        "manager": {"value": "boss", "$ref": "../Users/boss"},
    }


def test_pathless_extension_object_creates_extension_and_declares_its_schema():
    user = make_user()
    del user[EXT]
    user["schemas"] = [USER_SCHEMA]
    result = patch(user, {"op": "add", "value": {EXT: {"costCenter": "CC1"}}})
    assert result[EXT] == {"costCenter": "CC1"}
    assert result["schemas"] == [USER_SCHEMA, EXT]


def test_pathless_keys_are_canonicalised():
    value = {"Active": False, "DISPLAYNAME": "Ann S", "Name.FamilyName": "Lee"}
    result = patch(make_user(), {"op": "replace", "value": value})
    assert result["active"] is False
    assert result["displayName"] == "Ann S"
    assert result["name"]["familyName"] == "Lee"
    assert "Active" not in result and "DISPLAYNAME" not in result


def test_pathless_core_urn_qualified_key():
    value = {f"{USER_SCHEMA}:displayName": "Ann S"}
    assert patch(make_user(), {"op": "replace", "value": value})["displayName"] == "Ann S"


def test_pathless_unknown_key_is_invalid_path():
    error = fails(make_user(), {"op": "replace", "value": {"active": False, "shoeSize": 9}})
    assert_error(error, "invalidPath", "'shoeSize'")


def test_pathless_unknown_key_is_skipped_with_ignore_unknown():
    value = {"active": False, "shoeSize": 9, "urn:example:custom:1.0:User:x": "y"}
    result = patch(make_user(), {"op": "replace", "value": value}, ignore_unknown=True)
    assert result["active"] is False
    assert "shoeSize" not in result
    assert "urn:example:custom:1.0:User" not in result


def test_pathless_value_must_be_an_object():
    error = fails(make_user(), {"op": "add", "value": "Ann"})
    assert_error(error, "invalidValue", "without a path needs an object")


def test_entra_pathless_null_removes_the_attribute():
    value = {"title": None, "name.middleName": None, f"{EXT}:employeeNumber": None}
    user = make_user() | {"title": "Dr"}
    result = patch(user, {"op": "replace", "value": value})
    assert "title" not in result
    assert result["name"] == {"givenName": "Ann", "familyName": "Smith"}
    assert "employeeNumber" not in result[EXT]


# --- boolean strings (Microsoft Entra) --------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [("False", False), ("true", True), ("FALSE", False)])
def test_entra_boolean_strings_become_booleans(text, expected):
    result = patch(make_user(), {"op": "Replace", "path": "active", "value": text})
    assert result["active"] is expected


def test_entra_boolean_string_inside_pathless_value():
    result = patch(make_user(), {"op": "Replace", "value": {"active": "False"}})
    assert result["active"] is False


def test_entra_boolean_string_for_primary_sub_attribute():
    item = {"value": "ann@home.example", "type": "home", "primary": "True"}
    result = patch(make_user(), {"op": "add", "path": "emails", "value": [item]})
    assert result["emails"][1]["primary"] is True


def test_non_boolean_string_for_boolean_is_invalid_value():
    error = fails(make_user(), {"op": "replace", "path": "active", "value": "yes"})
    assert_error(error, "invalidValue", "'active'", "a boolean")


# --- group members (Microsoft Entra) --------------------------------------------------------


def test_entra_add_members_appends_without_duplicating():
    value = [{"value": "id2"}, {"value": "id3"}, {"value": "id3"}]
    result = patch(make_group(), {"op": "Add", "path": "members", "value": value}, schema=GROUP)
    assert result["members"] == [{"value": "id1", "display": "One"}, {"value": "id2"},
                                 {"value": "id3"}]


def test_entra_add_members_to_group_without_members():
    group = make_group()
    del group["members"]
    value = [{"value": "id1"}, {"value": "id2"}]
    result = patch(group, {"op": "Add", "path": "members", "value": value}, schema=GROUP)
    assert result["members"] == value


def test_entra_remove_member_by_filter():
    operation = {"op": "Remove", "path": 'members[value eq "id1"]'}
    assert patch(make_group(), operation, schema=GROUP)["members"] == [{"value": "id2"}]


def test_entra_remove_absent_member_by_filter_is_a_no_op():
    operation = {"op": "Remove", "path": 'members[value eq "nobody"]'}
    assert patch(make_group(), operation, schema=GROUP) == make_group()


def test_entra_remove_members_with_value_list_removes_only_those():
    operation = {"op": "Remove", "path": "members", "value": [{"value": "id1"}]}
    assert patch(make_group(), operation, schema=GROUP)["members"] == [{"value": "id2"}]


def test_remove_members_with_single_object_value():
    operation = {"op": "remove", "path": "members", "value": {"value": "id2"}}
    result = patch(make_group(), operation, schema=GROUP)
    assert result["members"] == [{"value": "id1", "display": "One"}]


def test_remove_last_members_drops_the_key():
    operation = {"op": "remove", "path": "members", "value": [{"value": "id1"}, {"value": "id2"}]}
    assert "members" not in patch(make_group(), operation, schema=GROUP)


def test_rfc_remove_members_without_value_removes_all():
    result = patch(make_group(), {"op": "remove", "path": "members"}, schema=GROUP)
    assert "members" not in result
    assert result["displayName"] == "Engineering"


def test_changing_an_immutable_member_value_is_a_mutability_error():
    operation = {"op": "replace", "path": 'members[value eq "id1"].value', "value": "id9"}
    error = fails(make_group(), operation, schema=GROUP)
    assert_error(error, "mutability", "members.value", "immutable")


def test_member_display_can_be_replaced_through_a_filter():
    operation = {"op": "replace", "path": 'members[value eq "id2"].display', "value": "Two"}
    result = patch(make_group(), operation, schema=GROUP)
    assert result["members"][1] == {"value": "id2", "display": "Two"}


# --- filtered paths ----------------------------------------------------------------------------


def test_entra_replace_filtered_email_value_on_matching_item():
    operation = {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "a@b.c"}
    result = patch(make_user(), operation)
    assert result["emails"] == [{"value": "a@b.c", "type": "work", "primary": True}]


def test_entra_replace_filtered_email_value_creates_the_item_on_first_write():
    user = make_user()
    del user["emails"]
    operation = {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "a@b.c"}
    assert patch(user, operation)["emails"] == [{"type": "work", "value": "a@b.c"}]


def test_entra_add_filtered_phone_number_creates_item():
    operation = {"op": "Add", "path": 'phoneNumbers[type eq "mobile"].value', "value": "+1 555"}
    result = patch(make_user(), operation)
    assert result["phoneNumbers"] == [{"type": "mobile", "value": "+1 555"}]


def test_entra_replace_filtered_address_locality_creates_then_updates():
    operation = {"op": "Replace", "path": 'addresses[type eq "work"].locality', "value": "Paris"}
    created = patch(make_user(), operation)
    assert created["addresses"] == [{"type": "work", "locality": "Paris"}]
    operation = {"op": "Replace", "path": 'addresses[type eq "work"].locality', "value": "Lyon"}
    assert patch(created, operation)["addresses"] == [{"type": "work", "locality": "Lyon"}]


def test_filter_of_eq_joined_by_and_seeds_the_new_item():
    path = 'emails[type eq "home" and display eq "Home"].value'
    result = patch(make_user(), {"op": "replace", "path": path, "value": "h@b.c"})
    assert result["emails"][1] == {"type": "home", "display": "Home", "value": "h@b.c"}


@pytest.mark.parametrize(
    "path",
    ['emails[value co "nobody"].type', 'emails[type eq "x" or type eq "y"].value',
     'emails[not (type eq "work")].display'],
)
def test_filter_without_match_that_is_not_plain_eq_is_no_target(path):
    error = fails(make_user(), {"op": "replace", "path": path, "value": "other"})
    assert_error(error, "noTarget", "emails")


def test_replace_filtered_item_without_sub_attribute_replaces_it_whole():
    value = {"value": "w@b.c", "type": "work"}
    result = patch(make_user(), {"op": "replace", "path": 'emails[type eq "work"]', "value": value})
    assert result["emails"] == [value]


def test_add_filtered_item_without_sub_attribute_merges_into_it():
    value = {"display": "Work"}
    result = patch(make_user(), {"op": "add", "path": 'emails[type eq "work"]', "value": value})
    assert result["emails"] == [
        {"value": "ann@work.example", "type": "work", "primary": True, "display": "Work"}
    ]


def test_remove_filtered_sub_attribute_keeps_the_item():
    result = patch(make_user(), {"op": "remove", "path": 'emails[type eq "work"].primary'})
    assert result["emails"] == [{"value": "ann@work.example", "type": "work"}]


def test_remove_last_filtered_item_drops_the_attribute():
    assert "emails" not in patch(make_user(), {"op": "remove", "path": 'emails[type eq "work"]'})


def test_sub_attribute_of_multi_valued_without_filter_applies_to_every_value():
    user = make_user()
    user["emails"].append({"value": "ann@home.example", "type": "home", "display": "H"})
    result = patch(user, {"op": "remove", "path": "emails.type"})
    assert [e.get("type") for e in result["emails"]] == [None, None]
    result = patch(user, {"op": "replace", "path": "emails.display", "value": "Mail"})
    assert [e["display"] for e in result["emails"]] == ["Mail", "Mail"]


def test_value_filter_on_single_valued_attribute_is_invalid_path():
    error = fails(make_user(), {"op": "replace", "path": 'name[givenName eq "Ann"]', "value": {}})
    assert_error(error, "invalidPath", "single-valued")


# --- manager (Microsoft Entra) ----------------------------------------------------------------


def test_entra_add_manager_as_bare_string():
    user = make_user()
    del user[EXT]["manager"]
    operation = {"op": "Add", "path": f"{EXT}:manager", "value": "mgr-id"}
    assert patch(user, operation)[EXT]["manager"] == {"value": "mgr-id"}


def test_entra_add_manager_as_object_merges_into_existing():
    operation = {"op": "Add", "path": f"{EXT}:manager", "value": {"value": "mgr-id"}}
    assert patch(make_user(), operation)[EXT]["manager"] == {
        "value": "mgr-id", "$ref": "../Users/boss"
    }


def test_manager_read_only_display_name_is_a_mutability_error():
    operation = {"op": "replace", "path": f"{EXT}:manager", "value": {"displayName": "Boss"}}
    assert_error(fails(make_user(), operation), "mutability", "displayName", "readOnly")


def test_entra_null_manager_removes_it():
    operation = {"op": "Replace", "path": f"{EXT}:manager", "value": None}
    result = patch(make_user(), operation)
    assert result[EXT] == {"employeeNumber": "7"}


def test_removing_the_last_extension_attribute_drops_the_extension():
    result = patch(
        make_user(),
        {"op": "remove", "path": f"{EXT}:manager"},
        {"op": "remove", "path": f"{EXT}:employeeNumber"},
    )
    assert EXT not in result
    assert result["schemas"] == [USER_SCHEMA]


def test_remove_bare_extension_urn_drops_the_extension():
    result = patch(make_user(), {"op": "remove", "path": EXT})
    assert EXT not in result
    assert result["schemas"] == [USER_SCHEMA]


# --- null values and single-element lists (Microsoft Entra) -----------------------------------


def test_entra_null_value_with_path_removes_the_attribute():
    user = make_user() | {"title": "Dr"}
    assert "title" not in patch(user, {"op": "Replace", "path": "title", "value": None})


@pytest.mark.parametrize("value", [[{"value": "Ann S"}], ["Ann S"]])
def test_entra_single_element_list_for_single_valued_attribute_is_unwrapped(value):
    result = patch(make_user(), {"op": "Replace", "path": "displayName", "value": value})
    assert result["displayName"] == "Ann S"


def test_two_element_list_for_single_valued_attribute_is_invalid_value():
    error = fails(make_user(), {"op": "replace", "path": "displayName", "value": ["a", "b"]})
    assert_error(error, "invalidValue", "'displayName'", "a string")


# --- RFC 7644 §3.5.2 semantics ----------------------------------------------------------------


def test_add_to_multi_valued_appends_and_skips_exact_duplicates():
    existing = {"value": "ann@work.example", "type": "work", "primary": True}
    home = {"value": "ann@home.example", "type": "home"}
    result = patch(make_user(), {"op": "add", "path": "emails", "value": [existing, home]})
    assert result["emails"] == [existing, home]


def test_add_single_item_to_multi_valued_is_wrapped():
    home = {"value": "ann@home.example", "type": "home"}
    result = patch(make_user(), {"op": "add", "path": "emails", "value": home})
    assert result["emails"][1] == home


def test_add_to_single_valued_complex_merges_sub_attributes():
    result = patch(make_user(), {"op": "add", "path": "name", "value": {"honorificPrefix": "Dr"}})
    assert result["name"] == {
        "givenName": "Ann", "familyName": "Smith", "middleName": "M", "honorificPrefix": "Dr"
    }


def test_replace_single_valued_complex_keeps_unmentioned_sub_attributes():
    result = patch(make_user(), {"op": "replace", "path": "name", "value": {"givenName": "Anne"}})
    assert result["name"] == {"givenName": "Anne", "familyName": "Smith", "middleName": "M"}


def test_replace_multi_valued_without_filter_replaces_the_list():
    home = {"value": "ann@home.example", "type": "home"}
    result = patch(make_user(), {"op": "replace", "path": "emails", "value": [home]})
    assert result["emails"] == [home]


def test_replace_simple_attribute_and_sub_attribute_paths():
    result = patch(
        make_user(),
        {"op": "replace", "path": "userName", "value": "ann.s"},
        {"op": "add", "path": "name.formatted", "value": "Ann Smith"},
    )
    assert result["userName"] == "ann.s"
    assert result["name"]["formatted"] == "Ann Smith"


def test_client_spelled_paths_are_canonicalised():
    result = patch(
        make_user(),
        {"op": "replace", "path": "name.FamilyName", "value": "Lee"},
        {"op": "add", "path": "EMAILS", "value": {"Value": "x@y.z", "TYPE": "other"}},
    )
    assert result["name"]["familyName"] == "Lee"
    assert result["emails"][1] == {"value": "x@y.z", "type": "other"}
    assert "EMAILS" not in result


def test_remove_attribute():
    result = patch(make_user(), {"op": "remove", "path": "emails"})
    assert "emails" not in result


def test_remove_sub_attribute_and_last_sub_attribute_drops_complex():
    result = patch(make_user(), {"op": "remove", "path": "name.middleName"})
    assert result["name"] == {"givenName": "Ann", "familyName": "Smith"}
    result = patch(
        result,
        {"op": "remove", "path": "name.givenName"},
        {"op": "remove", "path": "name.familyName"},
    )
    assert "name" not in result


def test_remove_absent_attribute_is_a_no_op():
    assert patch(make_user(), {"op": "remove", "path": "nickName"}) == make_user()


def test_remove_without_path_is_no_target():
    error = fails(make_user(), {"op": "remove", "value": {"active": False}})
    assert_error(error, "noTarget", "'remove'", "path")


@pytest.mark.parametrize("op", ["add", "replace"])
def test_add_or_replace_without_value_is_invalid_value(op):
    error = fails(make_user(), {"op": op, "path": "title"})
    assert_error(error, "invalidValue", f"'{op}'", "'value'")


@pytest.mark.parametrize(
    "path",
    ["shoeSize", "name.shoeSize", "urn:example:custom:1.0:User:shoeSize", f"{EXT}:shoeSize"],
)
def test_unknown_path_is_invalid_path_named_as_written(path):
    error = fails(make_user(), {"op": "replace", "path": path, "value": "x"})
    assert_error(error, "invalidPath", f"'{path}'")


@pytest.mark.parametrize("op", ["add", "replace", "remove"])
def test_unknown_path_is_skipped_with_ignore_unknown(op):
    result = patch(
        make_user(),
        {"op": op, "path": "shoeSize", "value": 9},
        {"op": "replace", "path": "title", "value": "Dr"},
        ignore_unknown=True,
    )
    assert "shoeSize" not in result
    assert result["title"] == "Dr"


def test_unknown_sub_attribute_in_complex_value():
    operation = {"op": "add", "path": "name", "value": {"givenName": "Anne", "nick": "A"}}
    assert_error(fails(make_user(), operation), "invalidPath", "'name.nick'")
    result = patch(make_user(), operation, ignore_unknown=True)
    assert result["name"]["givenName"] == "Anne"
    assert "nick" not in result["name"]


@pytest.mark.parametrize(
    ("op", "path"),
    [("replace", "id"), ("add", "meta"), ("remove", "meta.created"), ("add", "groups"),
     ("remove", "groups"), ("replace", "ID")],
)
def test_read_only_attribute_is_a_mutability_error(op, path):
    error = fails(make_user(), {"op": op, "path": path, "value": "x"})
    assert_error(error, "mutability", "readOnly")


def test_read_only_attribute_in_pathless_value_is_a_mutability_error():
    error = fails(make_user(), {"op": "replace", "value": {"id": "u2"}})
    assert_error(error, "mutability", "'id'")


def test_immutable_attribute_can_be_added_when_absent_but_not_changed():
    core = standard_schema(USER_SCHEMA).restricted(overrides={"title": {"mutability": "immutable"}})
    schema = ResourceSchema("User", "/Users", core)
    added = patch(make_user(), {"op": "add", "path": "title", "value": "Dr"}, schema=schema)
    assert added["title"] == "Dr"
    assert patch(added, {"op": "replace", "path": "title", "value": "Dr"}, schema=schema) == added
    error = fails(added, {"op": "replace", "path": "title", "value": "Prof"}, schema=schema)
    assert_error(error, "mutability", "'title'", "immutable")
    error = fails(added, {"op": "remove", "path": "title"}, schema=schema)
    assert_error(error, "mutability", "'title'")


@pytest.mark.parametrize("path", ['emails[type eq "work"', "emails[type eq]", "name..givenName"])
def test_unparseable_path_is_invalid_path(path):
    error = fails(make_user(), {"op": "replace", "path": path, "value": "x"})
    assert error.status == 400
    assert error.scim_type == "invalidPath"


def test_adding_a_primary_value_demotes_the_previous_primary():
    home = {"value": "ann@home.example", "type": "home", "primary": True}
    result = patch(make_user(), {"op": "add", "path": "emails", "value": [home]})
    assert result["emails"] == [
        {"value": "ann@work.example", "type": "work", "primary": False},
        home,
    ]


def test_primary_set_through_a_filter_demotes_the_others():
    user = make_user()
    user["emails"].append({"value": "ann@home.example", "type": "home"})
    operation = {"op": "replace", "path": 'emails[type eq "home"].primary', "value": True}
    result = patch(user, operation)
    assert [e["primary"] for e in result["emails"]] == [False, True]


def test_replacing_a_list_with_two_primaries_keeps_the_last():
    value = [{"value": "a@b.c", "primary": True}, {"value": "d@e.f", "primary": True}]
    result = patch(make_user(), {"op": "replace", "path": "emails", "value": value})
    assert [e["primary"] for e in result["emails"]] == [False, True]


# --- value types ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        ("displayName", 5, "a string"),
        ("active", 1, "a boolean"),
        ("name", "Ann", "an object"),
        ("emails", ["ann@example.com"], "an object"),
        ("profileUrl", True, "a string"),
        ("name.givenName", {"x": 1}, "a string"),
        (f"{EXT}:employeeNumber", 42, "a string"),
    ],
)
def test_wrong_value_type_is_invalid_value(path, value, expected):
    error = fails(make_user(), {"op": "replace", "path": path, "value": value})
    assert_error(error, "invalidValue", expected)


def test_wrong_type_inside_multi_valued_item_names_the_sub_attribute():
    value = [{"value": "x@y.z", "primary": "sometimes"}]
    error = fails(make_user(), {"op": "add", "path": "emails", "value": value})
    assert_error(error, "invalidValue", "'emails.primary'", "a boolean")


def test_null_item_in_multi_valued_value_is_invalid_value():
    error = fails(make_user(), {"op": "add", "path": "emails", "value": [None]})
    assert_error(error, "invalidValue", "'emails'", "null")


NUMBERS = ResourceSchema(
    "Thing",
    "/Things",
    Schema(
        id="urn:example:params:scim:schemas:core:2.0:Thing",
        name="Thing",
        description="",
        attributes=(Attribute("count", type="integer"), Attribute("ratio", type="decimal")),
    ),
)


@pytest.mark.parametrize(
    ("path", "value", "ok"),
    [("count", 3, True), ("count", 2.5, False), ("count", True, False), ("count", "3", False),
     ("ratio", 2.5, True), ("ratio", 2, True), ("ratio", False, False), ("ratio", "2.5", False)],
)
def test_integer_and_decimal_type_checks(path, value, ok):
    operation = {"op": "add", "path": path, "value": value}
    if ok:
        assert patch({"id": "t1"}, operation, schema=NUMBERS)[path] == value
    else:
        error = fails({"id": "t1"}, operation, schema=NUMBERS)
        expected = "an integer" if path == "count" else "a number"
        assert_error(error, "invalidValue", f"'{path}'", expected)


def test_unknown_sub_attribute_in_path_filter_is_invalid_path():
    operation = {"op": "replace", "path": 'emails[kind eq "work"].value', "value": "a@b.c"}
    error = fails(make_user(), operation)
    assert_error(error, "invalidPath", 'emails[kind eq "work"].value', "kind")


def test_remove_bare_core_urn_is_invalid_path():
    error = fails(make_user(), {"op": "remove", "path": USER_SCHEMA})
    assert_error(error, "invalidPath", "core schema")


def test_pathless_core_urn_object_applies_its_attributes():
    value = {USER_SCHEMA: {"displayName": "Ann S", "name": {"givenName": "Anne"}}}
    result = patch(make_user(), {"op": "replace", "value": value})
    assert result["displayName"] == "Ann S"
    assert result["name"]["givenName"] == "Anne"
    assert USER_SCHEMA not in result


def test_extension_object_value_may_name_its_own_schema():
    """scim2-models' clients send `{"schemas": [<extension>], ...}` as an extension's value."""
    result = patch(make_user(), {"op": "replace", "path": EXT,
                                 "value": {"schemas": [EXT], "department": "Sales"}})
    assert result[EXT]["department"] == "Sales"
    assert "schemas" not in result[EXT]
