"""`contains`, the subset rule of a stub's `body_contains`, without HTTP."""

from __future__ import annotations

import pytest

from sandbox.service.stubs import contains

USER = {"userName": "ann", "active": True, "age": 3,
        "name": {"givenName": "Ann", "familyName": "Lee"},
        "emails": [{"value": "a@x.org", "type": "work"}, {"value": "b@x.org"}],
        "nickName": None}


@pytest.mark.parametrize("pattern", [
    {}, {"userName": "ann"}, {"USERNAME": "ann"}, {"name": {"givenName": "Ann"}},
    {"emails": [{"type": "work"}]}, {"emails": [{"value": "b@x.org"}, {"type": "work"}]},
    {"emails": []}, {"age": 3.0}, {"nickName": None}, {"active": True},
])
def test_subsets_are_contained(pattern):
    assert contains(USER, pattern)


@pytest.mark.parametrize("pattern", [
    {"userName": "Ann"}, {"missing": None}, {"name": {"givenName": "Bob"}},
    {"emails": [{"type": "home"}]}, {"emails": {"type": "work"}}, {"active": 1},
    {"age": True}, {"age": "3"}, {"name": "Ann"}, {"userName": ["ann"]},
])
def test_anything_else_is_not(pattern):
    assert not contains(USER, pattern)


def test_a_missing_body_contains_nothing():
    assert not contains(None, {"userName": "ann"})
    assert not contains(["ann"], {"userName": "ann"})
