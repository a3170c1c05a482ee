"""Entra operation labels of requests, as the journal shows them."""

from __future__ import annotations

import pytest

from sandbox.service.operations import classify

GUID = "3c0f6b8e-2d1a-4f5b-9c7e-0a1b2c3d4e5f"


def patch_body(*ops):
    return {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": list(ops)}


@pytest.mark.parametrize(("method", "path", "query", "body", "label"), [
    ("GET", "Users", {"filter": f'userName eq "{GUID}"'}, None, "test connection"),
    ("GET", "users", {"filter": f"USERNAME eq {GUID}"}, None, "test connection"),
    ("GET", "Users", {"filter": 'userName eq "ann@contoso.com"'}, None, "match query"),
    ("GET", "Users", {"filter": "externalId eq jyoung"}, None, "match query"),
    ("GET", "Groups", {"filter": 'displayName eq "Sales"'}, None, "match query"),
    ("POST", "Users/.search", {}, {"filter": 'userName eq "a"'}, "match query"),
    ("POST", "Users", {}, {"userName": "a"}, "create user"),
    ("POST", "Groups", {}, {"displayName": "g"}, "create group"),
    ("PATCH", "Users/1", {}, patch_body({"op": "Replace", "path": "active", "value": "False"}),
     "disable user"),
    ("PATCH", "Users/1", {}, patch_body({"op": "replace", "value": {"active": False}}),
     "disable user"),
    ("PATCH", "Users/1", {}, patch_body({"op": "Replace", "path": "active", "value": True}),
     "enable user"),
    ("PATCH", "Users/1", {}, patch_body({"op": "Replace", "path": "displayName", "value": "x"}),
     "update user"),
    ("PUT", "Users/1", {}, {"userName": "a", "active": False}, "disable user"),
    ("PUT", "Users/1", {}, {"userName": "a", "active": True}, "update user"),
    ("DELETE", "Users/1", {}, None, "delete user"),
    ("DELETE", "Groups/1", {}, None, "delete group"),
    ("PATCH", "Groups/1", {}, patch_body({"op": "Add", "path": "members",
                                          "value": [{"value": "u"}]}), "add members"),
    ("PATCH", "Groups/1", {}, patch_body({"op": "Remove", "path": 'members[value eq "u"]'}),
     "remove members"),
    ("PATCH", "Groups/1", {}, patch_body({"op": "Replace", "path": "displayName",
                                          "value": "x"}), "update group"),
    ("GET", "Schemas", {}, None, "schema discovery"),
    ("GET", "ResourceTypes/User", {}, None, "schema discovery"),
    ("GET", "ServiceProviderConfig", {}, None, "schema discovery"),
    ("GET", "Users", {}, None, "other"),
    ("GET", "Users/1", {}, None, "other"),
    ("GET", "", {}, None, "other"),
    ("PATCH", "Users/1", {}, "not json", "update user"),
])
def test_labels(method, path, query, body, label):
    segments = [s for s in path.split("/") if s]
    assert classify(method, segments, query, body) == label
