"""`parse_attribute_path`: the PATCH path grammar without a schema, for readers that have none
(the Entra client's mapping targets). URNs end at the last `:` before the attribute name."""

from __future__ import annotations

import pytest

from sandbox.scim.errors import ScimError
from sandbox.scim.filter import (
    And,
    AttrPath,
    Compare,
    PatchPath,
    parse_attribute_path,
    parse_path,
)
from sandbox.scim.schema import (
    ENTERPRISE_USER_SCHEMA,
    USER_SCHEMA,
    ResourceSchema,
    standard_schema,
)

ENT = ENTERPRISE_USER_SCHEMA
VERITAS = "urn:ietf:params:scim:schemas:extension:veritas:2.0:User"
USER = ResourceSchema(
    "User", "/Users", standard_schema(USER_SCHEMA), (standard_schema(ENTERPRISE_USER_SCHEMA),)
)


def cmp(attr: str, op: str, value: object, raw: str) -> Compare:
    return Compare(AttrPath(None, attr), op, value, raw)


SHAPES = [
    ("displayName", PatchPath(None, "displayName")),
    ("name.givenName", PatchPath(None, "name", None, "givenName")),
    ('emails[type eq "work"]', PatchPath(None, "emails", cmp("type", "eq", "work", '"work"'))),
    ('emails[type eq "work"].value',
     PatchPath(None, "emails", cmp("type", "eq", "work", '"work"'), "value")),
    ('addresses[type eq "work"].locality',
     PatchPath(None, "addresses", cmp("type", "eq", "work", '"work"'), "locality")),
    (f"{ENT}:department", PatchPath(ENT, "department")),
    (f"{ENT}:manager.value", PatchPath(ENT, "manager", None, "value")),
    (f"{USER_SCHEMA}:name.givenName", PatchPath(USER_SCHEMA, "name", None, "givenName")),
    (f'{USER_SCHEMA}:emails[value eq "a:b"].display',
     PatchPath(USER_SCHEMA, "emails", cmp("value", "eq", "a:b", '"a:b"'), "display")),
]


@pytest.mark.parametrize(("text", "expected"), SHAPES)
def test_attribute_path_shapes(text, expected):
    assert parse_attribute_path(text) == expected


@pytest.mark.parametrize(("text", "expected"), SHAPES)
def test_attribute_path_reads_as_the_schema_bound_parser_where_the_schema_knows_the_urn(
        text, expected):
    assert parse_attribute_path(text) == parse_path(text, USER)


def test_attribute_path_takes_an_extension_no_schema_declares():
    """A schema-bound parse cannot split a URN it does not know; without one, the last `:`
    before the name is where the URN ends."""
    assert parse_attribute_path(f"{VERITAS}:emailAliases") == PatchPath(VERITAS, "emailAliases")


def test_attribute_path_keeps_urn_and_names_as_written():
    path = parse_attribute_path(f"{ENT.lower()}:EmployeeNumber")
    assert path == PatchPath(ENT.lower(), "EmployeeNumber")


def test_attribute_path_reads_entra_spellings_of_the_value_filter():
    path = parse_attribute_path('emails[TYPE EQ work and primary eq true].value')
    assert path == PatchPath(None, "emails", And(cmp("TYPE", "eq", "work", "work"),
                                                 cmp("primary", "eq", True, "true")), "value")


def test_attribute_path_ignores_surrounding_blanks():
    assert parse_attribute_path("  name.familyName ") == PatchPath(None, "name", None,
                                                                   "familyName")


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("", "Empty path"),
        ("   ", "Empty path"),
        ("urn:example:", "names a schema but no attribute"),
        ("user name", "'name'"),
        ("name.givenName.x", "'name.givenName.x'"),
        ('emails[type eq "work"', "'[' at position 6 is never closed"),
        ("emails[type eq]", "Expected a value"),
        ('emails[type eq "work"]x', "Unexpected 'x'"),
        (f"{ENT}:9lives", "Invalid attribute path"),
    ],
)
def test_attribute_path_errors_are_invalid_path(text, named):
    with pytest.raises(ScimError) as caught:
        parse_attribute_path(text)
    assert caught.value.status == 400
    assert caught.value.scim_type == "invalidPath"
    assert named in caught.value.detail


def test_attribute_path_refuses_a_non_string():
    with pytest.raises(ScimError) as caught:
        parse_attribute_path(42)  # type: ignore[arg-type]
    assert caught.value.scim_type == "invalidPath"
    assert caught.value.detail == "Path must be a string"
