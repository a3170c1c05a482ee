"""Name a SCIM request by the Microsoft Entra provisioning step it is.

The journal labels every request so that a test author can ask "did my client disable
ann?" rather than decode PATCH bodies. The shapes are the ones Entra's provisioning service
sends (Test Connection with a random GUID, match queries by a filterable attribute, PATCH
`active` as a boolean or a "True"/"False" string, member PATCHes on groups).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sandbox.scim.errors import ScimError
from sandbox.scim.filter import Compare, parse_filter
from sandbox.scim.patch import PatchOperation, PatchRequest

TEST_CONNECTION = "test connection"
MATCH_QUERY = "match query"
CREATE_USER = "create user"
UPDATE_USER = "update user"
DISABLE_USER = "disable user"
ENABLE_USER = "enable user"
DELETE_USER = "delete user"
CREATE_GROUP = "create group"
UPDATE_GROUP = "update group"
DELETE_GROUP = "delete group"
ADD_MEMBERS = "add members"
REMOVE_MEMBERS = "remove members"
SCHEMA_DISCOVERY = "schema discovery"
BULK = "bulk"  # RFC 7644 §3.7; Entra never sends one, other clients may
OTHER = "other"

LABELS = (
    TEST_CONNECTION, MATCH_QUERY, CREATE_USER, UPDATE_USER, DISABLE_USER, ENABLE_USER,
    DELETE_USER, CREATE_GROUP, UPDATE_GROUP, DELETE_GROUP, ADD_MEMBERS, REMOVE_MEMBERS,
    SCHEMA_DISCOVERY, BULK, OTHER,
)

_DISCOVERY = {"serviceproviderconfig", "serviceproviderconfigs", "resourcetypes", "schemas"}
# Entra's Test Connection asks for a user (or group) named by a fresh random GUID.
_GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
_PROBED = ("username", "displayname")


def classify(method: str, segments: list[str], query: Mapping[str, str], body: Any) -> str:
    """The Entra operation a request is: `segments` is its path below the tenant URL; a
    PATCH's `body` may be given already read as a `PatchRequest`."""
    if not segments:
        return OTHER
    head = segments[0].lower()
    if head in _DISCOVERY:
        return SCHEMA_DISCOVERY
    if head == "bulk" and method == "POST" and len(segments) == 1:
        return BULK
    kind = {"users": "user", "groups": "group"}.get(head)
    if kind is None:
        return OTHER
    if len(segments) == 1:
        if method in ("GET", "HEAD"):
            return _query_label(query)
        if method == "POST":
            return CREATE_USER if kind == "user" else CREATE_GROUP
        return OTHER
    if segments[1].lower() == ".search":
        return _query_label(body if isinstance(body, dict) else {})
    if method == "DELETE":
        return DELETE_USER if kind == "user" else DELETE_GROUP
    if method == "PATCH":
        request = body if isinstance(body, PatchRequest) else PatchRequest.read(body)
        return _user_patch_label(request) if kind == "user" else _group_patch_label(request)
    if method == "PUT":
        return _user_put_label(body) if kind == "user" else UPDATE_GROUP
    return OTHER


def _query_label(params: Mapping[str, Any]) -> str:
    text = next((v for k, v in params.items() if str(k).lower() == "filter"), None)
    if not isinstance(text, str) or not text:
        return OTHER
    return TEST_CONNECTION if _is_guid_probe(text) else MATCH_QUERY


def _is_guid_probe(text: str) -> bool:
    try:
        node = parse_filter(text)
    except ScimError:
        return False
    return (isinstance(node, Compare) and node.op == "eq" and node.path.urn is None
            and node.path.sub is None and node.path.attr.lower() in _PROBED
            and isinstance(node.value, str) and _GUID.fullmatch(node.value) is not None)


def _as_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def _active_change(operation: PatchOperation) -> bool | None:
    path, value = operation.path, operation.value
    if path is not None and path.lower() == "active":
        return _as_bool(value)
    if path is None and isinstance(value, dict):
        found = next((v for k, v in value.items() if k.lower() == "active"), None)
        return _as_bool(found)
    return None


def _user_patch_label(request: PatchRequest | None) -> str:
    for operation in request.operations if request else ():
        active = _active_change(operation)
        if active is not None:
            return ENABLE_USER if active else DISABLE_USER
    return UPDATE_USER


def _user_put_label(body: Any) -> str:
    active = _as_bool(body.get("active")) if isinstance(body, dict) else None
    return DISABLE_USER if active is False else UPDATE_USER


def _group_patch_label(request: PatchRequest | None) -> str:
    for operation in request.operations if request else ():
        if operation.path is not None and operation.path.lower().startswith("members"):
            return REMOVE_MEMBERS if operation.op == "remove" else ADD_MEMBERS
    return UPDATE_GROUP
