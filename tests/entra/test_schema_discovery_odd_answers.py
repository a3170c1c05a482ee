"""`GET /Schemas` answers that are ListResponses but not well-formed schemas (RFC 7643 §7:
`subAttributes` is a list of attribute definitions, `canonicalValues` a list of strings). The
endpoint is the developer's; what it sends must not stop the discovery: the attributes that
cannot be read are left out, the others still become targets."""

from __future__ import annotations

from typing import Any

import pytest

from sandbox.constants import USER_SCHEMA
from sandbox.entra.responses import ScimAnswer
from sandbox.entra.schema_discovery import discover

LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse"


class _Answers:
    """A sender whose every request gets the same 200 answer."""

    config = None
    requests_sent = 0

    def __init__(self, body: Any) -> None:
        self.body = body

    def send(self, request: Any) -> ScimAnswer:
        self.requests_sent += 1
        return ScimAnswer(200, self.body)


def user_schema(*attributes: Any) -> dict[str, Any]:
    schema = {"id": USER_SCHEMA, "attributes": [*attributes, {"name": "nickName"}]}
    return {"schemas": [LIST_RESPONSE], "totalResults": 1, "Resources": [schema]}


@pytest.mark.parametrize("odd", [
    {"name": "emails", "type": "complex", "multiValued": True, "subAttributes": 5},
    {"name": "emails", "type": "complex", "multiValued": True, "subAttributes": "value"},
    {"name": "emails", "type": "complex", "multiValued": True,
     "subAttributes": [{"name": "value"}, {"name": "type", "canonicalValues": 7}]},
    {"name": "emails", "type": "complex", "multiValued": True,
     "subAttributes": [{"name": "value"}, {"name": "type", "canonicalValues": "work"}]},
])
def test_an_unreadable_attribute_is_left_out_and_the_others_kept(odd):
    found = discover(_Answers(user_schema(odd)))
    assert found.problem is None
    assert "nickName" in found.users
    emails = [t for t in found.users if t.startswith("emails")]
    assert emails in ([], ['emails[type eq "work"].value'])


def test_only_text_canonical_types_become_targets():
    emails = {"name": "emails", "type": "complex", "multiValued": True,
              "subAttributes": [{"name": "value"},
                                {"name": "type", "canonicalValues": ["home", 3, None, {"a": 1}]}]}
    found = discover(_Answers(user_schema(emails)))
    assert [t for t in found.users if t.startswith("emails")] == ['emails[type eq "home"].value']
