"""Fuzzing the PATCH engine (RFC 7644 §3.5.2) with Hypothesis.

For any body, `apply_patch` on a valid resource either returns a dict or raises a 4xx
ScimError; it never raises anything else, never modifies its input, and the dict it returns
shares no list or dict with the input (the service stores it, so sharing would let a later
change reach the stored original).
"""

from __future__ import annotations

import copy
import json
from typing import Any

from hardening_support import count_example, fuzz_settings, run_counted
from hypothesis import given
from hypothesis import strategies as st
from scim_strategies import patch_bodies

from sandbox.scim.errors import ScimError
from sandbox.scim.patch import apply_patch
from sandbox.scim.schema import (
    ENTERPRISE_USER_SCHEMA,
    GROUP_SCHEMA,
    USER_SCHEMA,
    ResourceSchema,
    standard_schema,
)

ENT = ENTERPRISE_USER_SCHEMA
USER = ResourceSchema("User", "/Users", standard_schema(USER_SCHEMA), (standard_schema(ENT),),
                      required_extensions=frozenset())
GROUP = ResourceSchema("Group", "/Groups", standard_schema(GROUP_SCHEMA))

FULL_USER = {
    "schemas": [USER_SCHEMA, ENT],
    "userName": "ann@example.test",
    "externalId": "ext-ann",
    "name": {"givenName": "Ann", "familyName": "Smith", "middleName": "M"},
    "displayName": "Ann Smith",
    "title": "Engineer",
    "active": True,
    "emails": [{"value": "ann@work.example", "type": "work", "primary": True},
               {"value": "ann@home.example", "type": "home"}],
    "phoneNumbers": [{"value": "+1 555", "type": "mobile"}],
    "addresses": [{"type": "work", "locality": "London", "country": "GB", "primary": True}],
    "roles": [{"value": "admin"}],
    ENT: {"employeeNumber": "7", "department": "R&D",
          "manager": {"value": "boss", "$ref": "../Users/boss", "displayName": "Boss"}},
}
MINIMAL_USER = {"schemas": [USER_SCHEMA], "userName": "bob"}
GROUP_RESOURCE = {
    "schemas": [GROUP_SCHEMA],
    "displayName": "Engineering",
    "externalId": "g-ext",
    "members": [{"value": "id1", "display": "One", "type": "User"}, {"value": "id2"}],
}
BASES = [(FULL_USER, USER), (MINIMAL_USER, USER), (GROUP_RESOURCE, GROUP)]

# -- oracle ----------------------------------------------------------------------------------


def _containers(value: Any) -> list[Any]:
    found, pending = [], [value]
    while pending:
        current = pending.pop()
        if isinstance(current, dict | list):
            found.append(current)
            pending.extend(current.values() if isinstance(current, dict) else current)
    return found


def check_patch(resource: dict, schema: ResourceSchema, body: Any, ignore_unknown: bool) -> None:
    before = copy.deepcopy(resource)
    try:
        result = apply_patch(resource, body, schema, ignore_unknown=ignore_unknown)
    except ScimError as error:
        assert 400 <= error.status < 500, error
        assert isinstance(error.detail, str) and error.detail, error
        assert resource == before, "a failed PATCH changed its input"
        return
    assert resource == before, "PATCH changed its input"
    assert isinstance(result, dict), result
    shared = {id(c) for c in _containers(resource)} & {id(c) for c in _containers(result)}
    assert not shared, "the patched copy shares lists or dicts with the input"
    json.dumps(result)  # still plain JSON data


@fuzz_settings(max_examples=5000)
@given(base=st.sampled_from(BASES), body=patch_bodies(), ignore_unknown=st.booleans())
def _fuzz_patch(base: tuple[dict, ResourceSchema], body: Any, ignore_unknown: bool) -> None:
    count_example()
    resource, schema = base
    check_patch(copy.deepcopy(resource), schema, body, ignore_unknown)


def test_apply_patch_on_arbitrary_operations() -> None:
    run_counted("patch: arbitrary operation lists", 5000, _fuzz_patch)
