"""Tests for SCIM filter parsing, PATCH path parsing and filter compilation."""

from __future__ import annotations

import pytest

from sandbox.scim.errors import ScimError
from sandbox.scim.filter import (
    And,
    AttrPath,
    Compare,
    Not,
    Or,
    PatchPath,
    Present,
    ValuePath,
    compile_filter,
    parse_filter,
    parse_path,
    values_at,
)
from sandbox.scim.schema import (
    ENTERPRISE_USER_SCHEMA,
    GROUP_SCHEMA,
    USER_SCHEMA,
    Attribute,
    ResourceSchema,
    Schema,
    standard_schema,
)

USER = ResourceSchema(
    "User", "/Users", standard_schema(USER_SCHEMA), (standard_schema(ENTERPRISE_USER_SCHEMA),)
)
GROUP = ResourceSchema("Group", "/Groups", standard_schema(GROUP_SCHEMA))
# The standard schemas have no numbers, so a small custom resource type covers them.
WIDGET = ResourceSchema(
    "Widget",
    "/Widgets",
    Schema(
        "urn:example:Widget",
        "Widget",
        "",
        (
            Attribute("count", type="integer"),
            Attribute("price", type="decimal"),
            Attribute("tags", multi_valued=True),
            Attribute("code", case_exact=True),
        ),
    ),
)

ENT = ENTERPRISE_USER_SCHEMA
JYOUNG = {
    "schemas": [USER_SCHEMA, ENT],
    "id": "2819c223-7f76-453a-919d-413861904646",
    "externalId": "12345",
    "userName": "JYoung@Contoso.com",
    "name": {"givenName": "Jo", "familyName": "Young"},
    "displayName": "Jo Young",
    "active": True,
    "emails": [
        {"value": "jyoung@work.example.com", "type": "work", "primary": True},
        {"value": "jo@home.example.org", "type": "home"},
    ],
    "meta": {"resourceType": "User", "lastModified": "2011-05-13T04:42:34Z"},
    ENT: {"employeeNumber": "701984", "manager": {"value": "26118915", "displayName": "Boss"}},
}


def cmp(attr: str, op: str, value: object, raw: str, urn: str | None = None,
        sub: str | None = None) -> Compare:
    return Compare(AttrPath(urn, attr, sub), op, value, raw)


def matches(text: str, resource: dict = JYOUNG, schema: ResourceSchema = USER) -> bool:
    return compile_filter(parse_filter(text), schema)(resource)


def filter_error(text: str, schema: ResourceSchema = USER) -> ScimError:
    """The error a filter raises, whether from parsing or compiling; checks it is a 400."""
    with pytest.raises(ScimError) as caught:
        compile_filter(parse_filter(text), schema)
    assert caught.value.status == 400
    assert caught.value.scim_type == "invalidFilter"
    return caught.value


def path_error(text: str) -> ScimError:
    with pytest.raises(ScimError) as caught:
        parse_path(text, USER)
    assert caught.value.status == 400
    assert caught.value.scim_type == "invalidPath"
    return caught.value


# --- parse_filter: grammar --------------------------------------------------------------------


def test_parse_simple_comparison():
    assert parse_filter('userName eq "bjensen"') == cmp("userName", "eq", "bjensen", '"bjensen"')


@pytest.mark.parametrize("op", ["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"])
def test_parse_every_comparison_operator(op):
    assert parse_filter(f'title {op} "x"') == cmp("title", op, "x", '"x"')


@pytest.mark.parametrize("spelling", ["EQ", "Eq", "eQ"])
def test_operators_are_case_insensitive(spelling):
    assert parse_filter(f'userName {spelling} "x"').op == "eq"


def test_present_operator_case_insensitive():
    assert parse_filter("title PR") == Present(AttrPath(None, "title"))


@pytest.mark.parametrize(
    ("literal", "value"),
    [
        ('"a\\"b"', 'a"b'),
        ('"tab\\tend"', "tab\tend"),
        ("12", 12),
        ("-1.5", -1.5),
        ("1e3", 1000.0),
        ("true", True),
        ("FALSE", False),
        ("Null", None),
    ],
)
def test_parse_literals(literal, value):
    node = parse_filter(f"title eq {literal}")
    assert node.value == value
    assert type(node.value) is type(value)
    assert node.raw == literal


@pytest.mark.parametrize("unquoted", ["jyoung", "jyoung@contoso.com", "00aa-bb", "007"])
def test_unquoted_values_are_strings(unquoted):
    assert parse_filter(f"externalId eq {unquoted}") == cmp("externalId", "eq", unquoted, unquoted)


def test_unquoted_value_ends_at_parenthesis_and_bracket():
    assert parse_filter("(externalId eq jyoung)") == cmp("externalId", "eq", "jyoung", "jyoung")
    node = parse_filter("members[value eq 2819c223]")
    assert node == ValuePath(AttrPath(None, "members"), cmp("value", "eq", "2819c223", "2819c223"))


def test_and_binds_tighter_than_or():
    assert parse_filter("a pr or b pr and c pr") == Or(
        Present(AttrPath(None, "a")),
        And(Present(AttrPath(None, "b")), Present(AttrPath(None, "c"))),
    )


def test_parentheses_override_precedence():
    assert parse_filter("(a pr or b pr) and c pr") == And(
        Or(Present(AttrPath(None, "a")), Present(AttrPath(None, "b"))),
        Present(AttrPath(None, "c")),
    )


def test_chains_are_left_associative():
    a, b, c = (Present(AttrPath(None, n)) for n in "abc")
    assert parse_filter("a pr and b pr and c pr") == And(And(a, b), c)
    assert parse_filter("a pr or b pr or c pr") == Or(Or(a, b), c)


def test_not_binds_tighter_than_and():
    a, b = Present(AttrPath(None, "a")), Present(AttrPath(None, "b"))
    assert parse_filter("not (a pr) and b pr") == And(Not(a), b)


def test_not_without_space_before_parenthesis():
    expected = Not(Present(AttrPath(None, "a")))
    assert parse_filter("not(a pr)") == parse_filter("NOT (a pr)") == expected


def test_logical_keywords_are_case_insensitive():
    a, b, c = (Present(AttrPath(None, n)) for n in "abc")
    assert parse_filter("a pr AND b pr Or c pr") == Or(And(a, b), c)


def test_attribute_named_not_before_an_operator():
    assert parse_filter('not eq "x"') == cmp("not", "eq", "x", '"x"')


def test_parse_value_path():
    node = parse_filter('emails[type eq "work" and primary eq true]')
    assert node == ValuePath(
        AttrPath(None, "emails"),
        And(cmp("type", "eq", "work", '"work"'), cmp("primary", "eq", True, "true")),
    )


def test_parse_entra_value_path_followed_by_sub_attribute_comparison():
    node = parse_filter('emails[type eq "work"].value eq "x@y"')
    assert node == ValuePath(
        AttrPath(None, "emails"),
        And(cmp("type", "eq", "work", '"work"'), cmp("value", "eq", "x@y", '"x@y"')),
    )


def test_parse_entra_value_path_followed_by_sub_attribute_present():
    node = parse_filter('emails[type eq "work"].value pr')
    assert node == ValuePath(
        AttrPath(None, "emails"),
        And(cmp("type", "eq", "work", '"work"'), Present(AttrPath(None, "value"))),
    )


def test_parse_urn_qualified_core_path():
    node = parse_filter(f'{USER_SCHEMA}:name.givenName eq "Jo"')
    assert node.path == AttrPath(USER_SCHEMA, "name", "givenName")


def test_parse_urn_qualified_extension_path():
    node = parse_filter(f"{ENT}:employeeNumber eq 701984")
    assert node.path == AttrPath(ENT, "employeeNumber")
    lower = parse_filter(f"{ENT.upper()}:employeeNumber pr")
    assert lower.path == AttrPath(ENT.upper(), "employeeNumber")


def test_attribute_casing_is_kept_as_written():
    assert parse_filter('name.FamilyName eq "x"').path == AttrPath(None, "name", "FamilyName")


def test_parse_filter_is_memoised():
    text = 'displayName eq "memo-test"'
    first = parse_filter(text)
    hits = parse_filter.cache_info().hits
    assert parse_filter(text) is first
    assert parse_filter.cache_info().hits == hits + 1


# --- parse_filter: errors ---------------------------------------------------------------------


def test_error_unexpected_end_after_operator():
    error = filter_error("userName eq")
    assert error.detail == "Unexpected end of filter after 'eq' in 'userName eq'"


def test_error_unknown_operator_names_it_and_its_position():
    error = filter_error('userName eqq "x"')
    assert "Unknown operator 'eqq' at position 9" in error.detail
    assert "'userName eqq \"x\"'" in error.detail


@pytest.mark.parametrize("text", ["", "   "])
def test_error_empty_filter(text):
    assert "Empty filter" in filter_error(text).detail


def test_error_unclosed_parenthesis():
    detail = filter_error('(userName eq "x"').detail
    assert "'(' at position 0 is never closed" in detail


def test_error_unmatched_closing_parenthesis():
    detail = filter_error('userName eq "x")').detail
    assert "')' at position 15 has no matching '('" in detail


def test_error_unclosed_bracket():
    assert "'[' at position 6 is never closed" in filter_error('emails[type eq "x"').detail


def test_error_unmatched_closing_bracket():
    detail = filter_error('emails[type pr]] and a pr').detail
    assert "']' at position 15 has no matching '['" in detail


def test_error_nested_value_path():
    detail = filter_error('emails[type[value eq "x"] eq "y"]').detail
    assert "Nested value path 'type['" in detail


def test_error_trailing_garbage():
    assert "Unexpected 'foo' at position 16" in filter_error('userName eq "x" foo').detail


def test_error_unterminated_string():
    assert "Unterminated string starting at position 12" in filter_error('userName eq "abc').detail


def test_error_invalid_escape():
    assert 'Invalid escape in string "\\q"' in filter_error('userName eq "\\q"').detail


def test_error_missing_value():
    assert "Expected a value after 'eq' at position 13 but found ')'" in (
        filter_error('(userName eq )').detail
    )


def test_error_not_without_parenthesis():
    detail = filter_error('not userName eq "x"').detail
    assert "Expected '(' after 'not'" in detail
    assert "'userName'" in detail


def test_error_invalid_attribute_path():
    assert "Invalid attribute path 'name.givenName.x'" in filter_error("name.givenName.x pr").detail


def test_error_value_string_in_attribute_position():
    assert "found '\"userName\"'" in filter_error('"userName" eq "x"').detail


def test_error_empty_parentheses():
    assert "at position 1 but found ')'" in filter_error("()").detail


def test_error_value_filter_after_sub_attribute():
    assert "'name.givenName'" in filter_error('name.givenName[x eq "y"]').detail


@pytest.mark.parametrize("opener", ["(", "not ("])
def test_absurd_nesting_is_invalid_filter_not_recursion_error(opener):
    text = opener * 1000 + 'userName eq "x"' + ")" * 1000
    assert "Nesting deeper than 50 levels" in filter_error(text).detail


def test_moderate_nesting_is_fine():
    assert matches("(" * 40 + 'userName eq "jyoung@contoso.com"' + ")" * 40)


def test_non_string_filter_is_invalid_filter():
    with pytest.raises(ScimError) as caught:
        parse_filter(42)
    assert caught.value.scim_type == "invalidFilter"


# --- compile_filter: semantics ----------------------------------------------------------------


def test_eq_on_username_ignores_case():
    assert matches('userName eq "jyoung@contoso.com"')
    assert not matches('userName eq "someone@contoso.com"')


def test_eq_on_case_exact_attributes_respects_case():
    assert matches('id eq "2819c223-7f76-453a-919d-413861904646"')
    assert not matches('id eq "2819C223-7F76-453A-919D-413861904646"')
    assert not matches("externalId eq ABC", {"externalId": "abc"})


def test_ne_is_not_eq_and_true_when_absent():
    assert matches('displayName ne "Someone Else"')
    assert not matches('displayName ne "jo young"')
    assert matches('title ne "Boss"')


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('displayName co "O YO"', True),
        ('displayName co "xyz"', False),
        ('displayName sw "jo"', True),
        ('displayName sw "young"', False),
        ('displayName ew "YOUNG"', True),
        ('displayName ew "jo"', False),
        ('id sw "2819C223"', False),  # caseExact
        ('id sw "2819c223"', True),
    ],
)
def test_substring_operators(text, expected):
    assert matches(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('displayName gt "jo"', True),
        ('displayName gt "JP"', False),
        ('displayName ge "JO YOUNG"', True),
        ('displayName lt "k"', True),
        ('displayName lt "jo young"', False),
        ('displayName le "jo young"', True),
    ],
)
def test_string_ordering_is_lexicographic_after_case_folding(text, expected):
    assert matches(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("count eq 10", True),
        ("count gt 9", True),
        ("count gt 10", False),
        ("count ge 10", True),
        ("count lt 10.5", True),
        ("count le 9", False),
        ("price gt 2", True),
        ("price lt 2.5", False),
        ('price eq "2.5"', True),
        ('count eq "10"', True),
        ("count ne 10", False),
    ],
)
def test_numeric_comparisons(text, expected):
    assert matches(text, {"count": 10, "price": 2.5}, WIDGET) is expected


def test_numeric_comparison_is_not_lexicographic():
    assert matches("count gt 9", {"count": 10}, WIDGET)
    assert not matches("count lt 9", {"count": 10}, WIDGET)


def test_non_numeric_string_against_integer_is_invalid_filter():
    assert "'count'" in filter_error('count eq "ten"', WIDGET).detail
    assert "'count'" in filter_error("count gt abc", WIDGET).detail


def test_substring_operator_on_number_is_invalid_filter():
    assert "'co'" in filter_error("count co 1", WIDGET).detail


def test_number_literal_against_string_attribute_compares_its_text():
    assert matches("externalId eq 12345")
    assert not matches("externalId eq 12345.0")
    assert matches("code eq 007", {"code": "007"}, WIDGET)
    # The text as written, not Python's rendering of the number.
    assert matches("code eq 1E3", {"code": "1E3"}, WIDGET)
    assert not matches("code eq 1E3", {"code": "1000.0"}, WIDGET)
    assert matches("code eq true", {"code": "true"}, WIDGET)


def test_boolean_literal_against_string_attribute_compares_its_text():
    assert matches("title eq true", {"title": "TRUE"})


@pytest.mark.parametrize("literal", ["true", "True", '"true"', '"True"', "TRUE"])
def test_boolean_attribute_accepts_bool_and_bool_strings(literal):
    assert matches(f"active eq {literal}")
    assert not matches(f"active ne {literal}")


def test_boolean_false_does_not_match_missing_or_true():
    assert not matches("active eq false")
    assert not matches("active eq false", {"userName": "x"})
    assert matches("active eq false", {"active": False})


def test_boolean_attribute_rejects_other_literals():
    assert "'active'" in filter_error('active eq "yes"').detail
    assert "'active'" in filter_error("active eq 1").detail


@pytest.mark.parametrize("op", ["gt", "ge", "lt", "le", "co"])
def test_ordering_and_substring_on_boolean_is_invalid_filter(op):
    detail = filter_error(f"active {op} true").detail
    assert f"'{op}'" in detail
    assert "'active'" in detail


@pytest.mark.parametrize("text", ['name eq "x"', 'name gt "x"', 'emails gt "a"', 'emails le "a"'])
def test_comparing_complex_attribute_is_invalid_filter(text):
    assert "complex attribute" in filter_error(text).detail


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('meta.lastModified gt "2011-05-13T04:42:33Z"', True),
        ('meta.lastModified gt "2011-05-13T04:42:34Z"', False),
        ('meta.lastModified ge "2011-05-13T04:42:34Z"', True),
        ('meta.lastModified eq "2011-05-13T06:42:34+02:00"', True),
        ('meta.lastModified lt "2011-05-13T04:42:34.5Z"', True),
        ('meta.lastModified lt "2011-05-13T04:42:34"', False),
        ('meta.lastModified le "2011-05-12T23:59:59-05:00"', True),
        ('meta.lastModified le "2011-05-12T23:59:59-04:00"', False),
        ('meta.lastModified sw "2011-05"', True),
    ],
)
def test_datetime_comparisons_use_parsed_instants(text, expected):
    assert matches(text) is expected


def test_invalid_datetime_literal_is_invalid_filter():
    assert "'meta.lastModified'" in filter_error('meta.lastModified gt "yesterday"').detail
    assert "'meta.lastModified'" in filter_error("meta.lastModified gt 5").detail


def test_eq_null_means_absent_and_ne_null_present():
    assert matches("title eq null")
    assert not matches("title ne null")
    assert matches("displayName ne null")
    assert not matches("displayName eq null")
    assert matches("emails eq null", {"emails": []})


def test_null_with_other_operators_is_invalid_filter():
    assert "'co'" in filter_error("title co null").detail


@pytest.mark.parametrize(
    ("value", "present"),
    [
        (None, False),
        ("", False),
        ([], False),
        ({}, False),
        ("x", True),
        (False, True),
        (0, True),
    ],
)
def test_pr_is_false_for_empty_values(value, present):
    assert matches("title pr", {"title": value}) is present


def test_pr_on_multi_valued_and_complex_attributes():
    assert matches("emails pr")
    assert not matches("emails pr", {"emails": [{}]})
    assert matches("name pr")
    assert not matches("phoneNumbers pr")
    assert matches("emails.type pr")


def test_multi_valued_sub_attribute_matches_any_value():
    assert matches('emails.type eq "home"')
    assert matches('emails.type eq "work"')
    assert not matches('emails.type eq "other"')
    assert matches('tags eq "RED"', {"tags": ["blue", "red"]}, WIDGET)


def test_multi_valued_complex_without_sub_attribute_compares_value():
    assert matches('emails co "@home.example"')
    assert matches('emails eq "JO@home.example.org"')
    assert not matches('emails eq "home"')


def test_value_path_requires_one_value_to_match_everything():
    assert matches('emails[type eq "work" and primary eq true]')
    assert not matches('emails[type eq "home" and primary eq true]')
    assert matches('emails[type eq "home" or primary eq true]')
    assert matches('emails[not (type eq "work")]')


def test_entra_value_path_form_matches_within_one_value():
    assert matches('emails[type eq "work"].value eq "JYOUNG@work.example.com"')
    assert not matches('emails[type eq "home"].value eq "jyoung@work.example.com"')
    assert matches('emails[type eq "home"].value pr')
    assert not matches('emails[type eq "other"].value pr')


def test_value_path_on_group_members_is_case_exact():
    group = {"displayName": "Ops", "members": [{"value": "Abc", "display": "A"}]}
    assert matches('members[value eq "Abc"]', group, GROUP)
    assert matches("members[value eq Abc]", group, GROUP)
    assert not matches('members[value eq "abc"]', group, GROUP)


def test_value_path_on_single_valued_complex_attribute():
    assert matches(f'{ENT}:manager[value eq "26118915"]')
    assert not matches('name[givenName eq "Bob"]')


def test_urn_qualified_core_attribute_matches():
    assert matches(f'{USER_SCHEMA}:name.givenName eq "JO"')
    assert matches(f'{USER_SCHEMA.upper()}:USERNAME sw "jyoung"')


def test_extension_attributes_are_read_under_their_urn():
    assert matches(f"{ENT}:employeeNumber eq 701984")
    assert matches(f'{ENT.lower()}:manager.value eq "26118915"')
    assert not matches(f"{ENT}:employeeNumber eq 701984", {"employeeNumber": "701984"})


def test_attribute_names_resolve_case_insensitively():
    assert matches('USERNAME eq "jyoung@contoso.com"')
    assert matches('name.FamilyName eq "young"')
    assert matches('EMAILS[TYPE eq "work"].VALUE ew "example.com"')


def test_not_negates():
    assert matches('not (userName eq "nobody")')
    assert not matches('not (userName eq "jyoung@contoso.com")')


def test_and_or_combine():
    assert matches('userName sw "j" and (title pr or active eq true)')
    assert not matches('userName sw "j" and (title pr or active eq false)')


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("fooBar eq 1", "'fooBar'"),
        ('name.fooBar eq "x"', "'name.fooBar'"),
        ('emails[fooBar eq "x"]', "'emails.fooBar'"),
        ('emails[type eq "work"].fooBar pr', "'emails.fooBar'"),
        (f"{ENT}:fooBar pr", f"'{ENT}:fooBar'"),
        ("urn:example:Nope:userName pr", "'urn:example:Nope:userName'"),
        ("employeeNumber pr", "'employeeNumber'"),  # extension attributes need their URN
    ],
)
def test_unknown_attribute_is_invalid_filter_naming_it(text, named):
    detail = filter_error(text).detail
    assert detail.startswith("Unknown attribute ")
    assert named in detail


def test_value_path_on_simple_attribute_is_invalid_filter():
    assert "'userName'" in filter_error('userName[value eq "x"]').detail


@pytest.mark.parametrize(
    "resource",
    [
        {"userName": 5, "emails": "x", "active": "yes", "meta": [1], ENT: "x"},
        {"userName": ["a", None, 3], "emails": [None, 7, {"value": 9}],
         "meta": {"lastModified": 5}},
        {"emails": {"value": None}, "meta": {"lastModified": "not a date"}, ENT: {"manager": 3}},
    ],
)
def test_wrongly_typed_stored_data_never_raises(resource):
    filters = [
        'userName eq "x"', 'userName gt "a"', 'emails co "x"', 'emails[type eq "work"]',
        "active eq true", 'meta.lastModified gt "2011-05-13T04:42:34Z"',
        f'{ENT}:manager.value eq "x"', f"{ENT}:employeeNumber pr", "title eq null",
    ]
    assert [matches(text, resource) for text in filters] == [False] * 8 + [True]


def test_long_chains_compile_and_run_without_recursion():
    text = " and ".join(['userName sw "j"'] * 3000)
    assert matches(text)
    assert matches(" or ".join(['title eq "x"'] * 3000 + ["active eq true"]))


# --- parse_path ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("userName", PatchPath(None, "userName")),
        ("name.givenName", PatchPath(None, "name", None, "givenName")),
        (
            'emails[type eq "work"]',
            PatchPath(None, "emails", cmp("type", "eq", "work", '"work"')),
        ),
        (
            'emails[type eq "work"].value',
            PatchPath(None, "emails", cmp("type", "eq", "work", '"work"'), "value"),
        ),
        (
            'members[value eq "2819c223"]',
            PatchPath(None, "members", cmp("value", "eq", "2819c223", '"2819c223"')),
        ),
        (
            "members[value eq 2819c223]",
            PatchPath(None, "members", cmp("value", "eq", "2819c223", "2819c223")),
        ),
        (f"{ENT}:employeeNumber", PatchPath(ENT, "employeeNumber")),
        (f"{ENT}:manager.value", PatchPath(ENT, "manager", None, "value")),
        (f"{USER_SCHEMA}:name.givenName", PatchPath(USER_SCHEMA, "name", None, "givenName")),
        (
            f'{USER_SCHEMA}:emails[value eq "a:b"].display',
            PatchPath(USER_SCHEMA, "emails", cmp("value", "eq", "a:b", '"a:b"'), "display"),
        ),
    ],
)
def test_parse_path_shapes(text, expected):
    assert parse_path(text, USER) == expected


@pytest.mark.parametrize("spelling", [ENT, ENT.lower(), ENT.upper(), f"  {ENT} "])
def test_parse_path_bare_extension_urn_gives_canonical_schema_id(spelling):
    assert parse_path(spelling, USER) == PatchPath(ENT, None)


def test_parse_path_keeps_case_of_urn_and_names_as_written():
    path = parse_path(f"{ENT.lower()}:EmployeeNumber", USER)
    assert path == PatchPath(ENT, "EmployeeNumber")


def test_parse_path_does_not_resolve_attributes():
    assert parse_path("fooBar.baz", USER) == PatchPath(None, "fooBar", None, "baz")


def test_parse_path_value_filter_with_logic():
    path = parse_path('emails[type eq "work" and not (primary eq false)]', USER)
    assert path.value_filter == And(
        cmp("type", "eq", "work", '"work"'), Not(cmp("primary", "eq", False, "false"))
    )


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("", "Empty path"),
        ("   ", "Empty path"),
        ("user name", "'name'"),
        ("name.givenName.x", "'name.givenName.x'"),
        ('emails[type eq "work"', "'[' at position 6 is never closed"),
        ('emails[type eq "work"]x', "'x'"),
        ('emails[type eq "work"].value.x', "'.value.x'"),
        ('name.givenName[type eq "x"]', "'name.givenName'"),
        ('emails[type eqq "work"]', "'eqq'"),
        ("emails[type eq]", "Expected a value after 'eq'"),
        ('emails[type[value eq "x"] eq "y"]', "Nested value path"),
        (f"{USER_SCHEMA}:", "names a schema but no attribute"),
        ('emails[type eq "work', "Unterminated string"),
    ],
)
def test_malformed_paths_are_invalid_path(text, named):
    assert named in path_error(text).detail


# --- values_at --------------------------------------------------------------------------------


def test_values_at_absent_and_single_values():
    assert values_at(JYOUNG, USER.resolve("title")) == []
    assert values_at(JYOUNG, USER.resolve("userName")) == ["JYoung@Contoso.com"]
    assert values_at(JYOUNG, USER.resolve("name", "givenName")) == ["Jo"]
    assert values_at({}, USER.resolve("name", "givenName")) == []


def test_values_at_lists_and_sub_attributes_skip_missing():
    emails = USER.resolve("emails")
    assert values_at(JYOUNG, emails) == JYOUNG["emails"]
    assert values_at(JYOUNG, USER.resolve("emails", "primary")) == [True]
    assert values_at(JYOUNG, USER.resolve("emails", "type")) == ["work", "home"]


def test_values_at_extension_attributes():
    assert values_at(JYOUNG, USER.resolve("manager", "value", ENT)) == ["26118915"]
    assert values_at(JYOUNG, USER.resolve("employeeNumber", None, ENT)) == ["701984"]
    assert values_at({"userName": "x"}, USER.resolve("employeeNumber", None, ENT)) == []
