"""Input normalisation (canonical names, types, read-only attributes) and required checks."""

from __future__ import annotations

import pytest

from sandbox.scim.errors import ScimError
from sandbox.scim.resource import (
    check_immutable,
    missing_required,
    normalize_resource,
    parse_datetime,
)
from sandbox.scim.schema import (
    ENTERPRISE_USER_SCHEMA,
    GROUP_SCHEMA,
    USER_SCHEMA,
    ResourceSchema,
    standard_schema,
)

EXT = ENTERPRISE_USER_SCHEMA
USER = ResourceSchema("User", "/Users", standard_schema(USER_SCHEMA), (standard_schema(EXT),))
GROUP = ResourceSchema("Group", "/Groups", standard_schema(GROUP_SCHEMA))


def error_of(body, schema=USER, **kwargs) -> ScimError:
    with pytest.raises(ScimError) as caught:
        normalize_resource(body, schema, **kwargs)
    return caught.value


def test_names_are_canonicalised_in_any_case():
    out = normalize_resource({"USERNAME": "ann", "Name": {"GIVENNAME": "Ann"},
                              "Emails": [{"VALUE": "a@x.org", "Type": "work"}]}, USER)
    assert out == {"schemas": [USER_SCHEMA], "userName": "ann", "name": {"givenName": "Ann"},
                   "emails": [{"value": "a@x.org", "type": "work"}]}


def test_read_only_attributes_are_ignored_on_input():
    out = normalize_resource({"userName": "ann", "id": "x", "meta": {"version": "1"},
                              "groups": [{"value": "g"}]}, USER)
    assert set(out) == {"schemas", "userName"}


def test_boolean_strings_become_booleans():
    assert normalize_resource({"userName": "a", "active": "False"}, USER)["active"] is False
    assert normalize_resource({"userName": "a", "active": "TRUE"}, USER)["active"] is True


def test_extension_as_object_or_as_urn_qualified_keys():
    nested = normalize_resource({"userName": "a", EXT: {"department": "Sales"}}, USER)
    flat = normalize_resource({"userName": "a", f"{EXT}:department": "Sales"}, USER)
    assert nested == flat == {"schemas": [USER_SCHEMA, EXT], "userName": "a",
                              EXT: {"department": "Sales"}}


def test_core_urn_qualified_key():
    out = normalize_resource({f"{USER_SCHEMA}:userName": "ann"}, USER)
    assert out["userName"] == "ann"


def test_nulls_mean_absent():
    out = normalize_resource({"userName": "a", "title": None, "name": {"givenName": None}}, USER)
    assert out == {"schemas": [USER_SCHEMA], "userName": "a"}


@pytest.mark.parametrize(("body", "fragment"), [
    ({"userName": "a", "active": "maybe"}, "'active' must be a boolean"),
    ({"userName": 5}, "'userName' must be a string"),
    ({"userName": "a", "name": "Ann"}, "'name' must be an object"),
    ({"userName": "a", "displayName": ["x"]}, "single-valued"),
    ({"userName": "a", "emails": [{"value": "a", "primary": True},
                                  {"value": "b", "primary": True}]}, "one value of 'emails'"),
    ({"userName": "a", EXT: "Sales"}, "must be a JSON object"),
])
def test_wrong_types_are_invalid_value(body, fragment):
    error = error_of(body)
    assert (error.status, error.scim_type) == (400, "invalidValue")
    assert fragment in error.detail


def test_schemas_must_name_the_core_schema():
    error = error_of({"schemas": [GROUP_SCHEMA], "userName": "a"})
    assert error.scim_type == "invalidValue" and USER_SCHEMA in error.detail
    assert error_of({"schemas": "nope", "userName": "a"}).scim_type == "invalidSyntax"
    assert "urn:example:x" in error_of({"schemas": [USER_SCHEMA, "urn:example:x"],
                                        "userName": "a"}, ignore_unknown=False).detail


def test_unknown_attributes_rejected_or_ignored():
    assert "colour" in error_of({"userName": "a", "colour": "red"},
                                ignore_unknown=False).detail
    assert "colour" not in normalize_resource({"userName": "a", "colour": "red"}, USER)


def test_not_an_object():
    assert error_of(["userName"]).scim_type == "invalidSyntax"


def test_required_attributes():
    assert missing_required({"schemas": [USER_SCHEMA]}, USER) == "userName"
    assert missing_required({"userName": ""}, USER) == "userName"
    assert missing_required({"userName": "a"}, USER) is None
    assert missing_required({"members": []}, GROUP) == "displayName"


def test_immutable_attributes_cannot_change():
    schema = ResourceSchema("User", "/Users",
                            standard_schema(USER_SCHEMA).restricted(
                                None, {"nickName": {"mutability": "immutable"}}))
    check_immutable({"nickName": "a"}, {}, schema)  # may be set once
    check_immutable({"nickName": "a"}, {"nickName": "a"}, schema)  # same value is fine
    with pytest.raises(ScimError) as caught:
        check_immutable({"nickName": "b"}, {"nickName": "a"}, schema)
    assert caught.value.scim_type == "mutability"


def test_parse_datetime():
    assert parse_datetime("2024-05-01T10:00:00Z").tzinfo is not None
    assert parse_datetime("yesterday") is None


def test_a_lenient_vendor_ignores_schemas_it_does_not_offer():
    """Entra names the enterprise extension even to vendors that keep only the core User."""
    core_only = ResourceSchema("User", "/Users", standard_schema(USER_SCHEMA))
    body = {"schemas": [USER_SCHEMA, EXT], "userName": "a", EXT: {"department": "Sales"}}
    assert normalize_resource(body, core_only) == {"schemas": [USER_SCHEMA], "userName": "a"}
    assert error_of(body, core_only, ignore_unknown=False).scim_type == "invalidValue"
