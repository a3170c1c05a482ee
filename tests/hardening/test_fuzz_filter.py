"""Fuzzing the filter parser and compiler (RFC 7644 §3.4.2.2) with Hypothesis.

Properties, for any text:
- `parse_filter` returns a filter node or raises a 400 `invalidFilter` ScimError, nothing else;
- `compile_filter` of a parsed node against the User schema (and a schema with numbers and
  dates) compiles or raises a 400 `invalidFilter` ScimError;
- a compiled predicate never raises and answers a bool on any resource dict, however odd its
  values, and `not (F)` answers the opposite of `F`.
"""

from __future__ import annotations

from typing import Any

from hardening_support import (
    count_example,
    fuzz_settings,
    json_values,
    run_counted,
    weighted,
)
from hypothesis import given
from hypothesis import strategies as st
from scim_strategies import ARBITRARY_TEXT, CLEAN_FILTER_TOKENS, EXTREMES, NEAR_VALID

from sandbox.scim.errors import ScimError
from sandbox.scim.filter import (
    And,
    Compare,
    Not,
    Or,
    Present,
    ValuePath,
    compile_filter,
    parse_filter,
)
from sandbox.scim.schema import (
    ENTERPRISE_USER_SCHEMA,
    USER_SCHEMA,
    Attribute,
    ResourceSchema,
    Schema,
    standard_schema,
)

ENT = ENTERPRISE_USER_SCHEMA
USER = ResourceSchema("User", "/Users", standard_schema(USER_SCHEMA), (standard_schema(ENT),))
# The standard schemas have no integer or decimal attribute; this one covers them.
WIDGET = ResourceSchema(
    "Widget", "/Widgets",
    Schema("urn:example:Widget", "Widget", "", (
        Attribute("count", type="integer"),
        Attribute("price", type="decimal"),
        Attribute("tags", multi_valued=True),
        Attribute("code", case_exact=True),
        Attribute("when", type="dateTime"),
        Attribute("blob", type="binary"),
        Attribute("flag", type="boolean"),
        Attribute("parts", type="complex", multi_valued=True, sub_attributes=(
            Attribute("value", type="integer"), Attribute("type"),
            Attribute("primary", type="boolean"), Attribute("at", type="dateTime"),
        )),
    )),
)
NODE_TYPES = (Compare, Present, And, Or, Not, ValuePath)

# -- resources -------------------------------------------------------------------------------

DATE_STRINGS = st.sampled_from([
    "2011-05-13T04:42:34Z", "2011-05-13T04:42:34.123+02:00", "2011-05-13", "2011-05-13T04:42",
    "0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59-23:59", "not a date", "", "2024-02-30",
])
RESOURCE_KEYS = st.sampled_from([
    "userName", "name", "displayName", "active", "emails", "phoneNumbers", "addresses",
    "groups", "meta", "id", "externalId", "x509Certificates", "roles", "schemas", "title", ENT,
    "count", "price", "tags", "code", "when", "blob", "flag", "parts",
])
SUB_KEYS = st.sampled_from([
    "value", "type", "primary", "display", "givenName", "familyName", "created",
    "lastModified", "employeeNumber", "manager", "displayName", "locality", "at", "$ref",
])
ODD_VALUES = st.one_of(json_values(SUB_KEYS, max_leaves=6), DATE_STRINGS, st.floats(),
                       st.integers(min_value=-(10**400), max_value=10**400))
RESOURCES = st.dictionaries(RESOURCE_KEYS | st.text(max_size=6), ODD_VALUES, max_size=5)

# Besides the generated ones, every filter runs on this fixed corpus: each attribute holding
# each kind of odd value (wrong types, nulls in lists, half-formed complex values, odd dates).
_ODD = [
    None, True, False, 0, -1, 1.5, float("nan"), float("inf"), 10**400, "", "x", "WORK",
    "2011-05-13T04:42:34Z", "0001-01-01T00:00:00+23:59", "2024-02-30", [], [None], {},
    [1, "a", {}, [], None, True], {"value": 1}, {"value": None, "type": ["work"]},
    {"value": "x", "type": "work", "primary": "true"}, {"givenName": {"a": 1}},
    [{"value": "x", "type": "work", "primary": True}, {"value": None}, "str", 7],
    [{"value": 3, "at": "2011-05-13T04:42:34Z", "type": None}, {"at": 5}],
    {"created": "2011-05-13T04:42:34Z", "lastModified": 5, "version": 1},
    {"employeeNumber": ["7"], "manager": "boss", "department": None},
    {"employeeNumber": "7", "manager": {"value": ["x"], "displayName": 1}},
]
_CORPUS_KEYS = [
    "userName", "name", "displayName", "active", "emails", "phoneNumbers", "addresses",
    "groups", "meta", "id", "externalId", "x509Certificates", "roles", "schemas", "title", ENT,
    "count", "price", "tags", "code", "when", "blob", "flag", "parts",
]
CORPUS = [{key: value} for key in _CORPUS_KEYS for value in _ODD] + [
    {key: value for key in _CORPUS_KEYS} for value in _ODD
] + [{}]


# -- oracles ---------------------------------------------------------------------------------


def checked_parse(text: str) -> Any:
    """The node, or None after checking the error is a 400 invalidFilter."""
    try:
        node = parse_filter(text)
    except ScimError as error:
        assert error.status == 400, error
        assert error.scim_type == "invalidFilter", error
        assert isinstance(error.detail, str) and error.detail, error
        return None
    assert isinstance(node, NODE_TYPES), node
    return node


def checked_compile(node: Any, schema: ResourceSchema) -> Any:
    try:
        return compile_filter(node, schema)
    except ScimError as error:
        assert error.status == 400, error
        assert error.scim_type == "invalidFilter", error
        return None


def check_filter_text(text: str, sample: list[dict], corpus: list[dict]) -> None:
    node = checked_parse(text)
    if node is None:
        return
    for schema in (USER, WIDGET):
        predicate = checked_compile(node, schema)
        if predicate is None:
            continue
        negated = compile_filter(Not(node), schema)
        for resource in [*sample, *corpus]:
            answer = predicate(resource)
            assert isinstance(answer, bool), (text, resource, answer)
            assert negated(resource) is (not answer), (text, resource)


# -- the fuzz targets ------------------------------------------------------------------------


@fuzz_settings(max_examples=5000)
@given(text=ARBITRARY_TEXT)
def _fuzz_arbitrary_text(text: str) -> None:
    count_example()
    check_filter_text(text, [], [{}])


@fuzz_settings(max_examples=3000)
@given(text=weighted((2, NEAR_VALID), (1, EXTREMES)),
       sample=st.lists(RESOURCES, max_size=2))
def _fuzz_grammar_shaped(text: str, sample: list[dict]) -> None:
    count_example()
    check_filter_text(text, sample, CORPUS[::20])


@fuzz_settings(max_examples=3000)
@given(tokens=CLEAN_FILTER_TOKENS, sample=st.lists(RESOURCES, min_size=1, max_size=2))
def _fuzz_valid_filters_on_junk_resources(tokens: list[str], sample: list[dict]) -> None:
    count_example()
    check_filter_text(" ".join(tokens), sample, CORPUS)


def test_parse_filter_on_arbitrary_text() -> None:
    run_counted("filter: arbitrary text", 5000, _fuzz_arbitrary_text)


def test_parse_and_compile_grammar_shaped_filters() -> None:
    run_counted("filter: near-valid and extreme", 3000, _fuzz_grammar_shaped)


def test_compiled_predicates_never_raise_on_junk_resources() -> None:
    run_counted("filter: predicates on junk resources", 3000,
                _fuzz_valid_filters_on_junk_resources)
