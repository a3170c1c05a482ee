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
OTHER = "other"

LABELS = (
    TEST_CONNECTION, MATCH_QUERY, CREATE_USER, UPDATE_USER, DISABLE_USER, ENABLE_USER,
    DELETE_USER, CREATE_GROUP, UPDATE_GROUP, DELETE_GROUP, ADD_MEMBERS, REMOVE_MEMBERS,
    SCHEMA_DISCOVERY, OTHER,
)

_DISCOVERY = {"serviceproviderconfig", "serviceproviderconfigs", "resourcetypes", "schemas"}
# Entra's Test Connection asks for a user (or group) named by a fresh random GUID.
_GUID_PROBE = re.compile(
    r'^\s*(username|displayname)\s+eq\s+"?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-'
    r'[0-9a-f]{12}"?\s*$',
    re.IGNORECASE,
)


def classify(method: str, segments: list[str], query: Mapping[str, str], body: Any) -> str:
    """The Entra operation a request is: `segments` is its path below the tenant URL."""
    if not segments:
        return OTHER
    head = segments[0].lower()
    if head in _DISCOVERY:
        return SCHEMA_DISCOVERY
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
        return _user_patch_label(body) if kind == "user" else _group_patch_label(body)
    if method == "PUT":
        return _user_put_label(body) if kind == "user" else UPDATE_GROUP
    return OTHER


def _query_label(params: Mapping[str, Any]) -> str:
    text = next((v for k, v in params.items() if str(k).lower() == "filter"), None)
    if not isinstance(text, str) or not text:
        return OTHER
    return TEST_CONNECTION if _GUID_PROBE.match(text) else MATCH_QUERY


def _operations(body: Any) -> list[dict[str, Any]]:
    if not isinstance(body, dict):
        return []
    ops = next((v for k, v in body.items() if k.lower() == "operations"), None)
    return [op for op in ops if isinstance(op, dict)] if isinstance(ops, list) else []


def _field(op: dict[str, Any], name: str) -> Any:
    return next((v for k, v in op.items() if k.lower() == name), None)


def _as_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def _active_change(op: dict[str, Any]) -> bool | None:
    path, value = _field(op, "path"), _field(op, "value")
    if isinstance(path, str) and path.lower() == "active":
        return _as_bool(value)
    if path is None and isinstance(value, dict):
        found = next((v for k, v in value.items() if k.lower() == "active"), None)
        return _as_bool(found)
    return None


def _user_patch_label(body: Any) -> str:
    for op in _operations(body):
        active = _active_change(op)
        if active is not None:
            return ENABLE_USER if active else DISABLE_USER
    return UPDATE_USER


def _user_put_label(body: Any) -> str:
    active = _as_bool(body.get("active")) if isinstance(body, dict) else None
    return DISABLE_USER if active is False else UPDATE_USER


def _group_patch_label(body: Any) -> str:
    for op in _operations(body):
        path = _field(op, "path")
        if isinstance(path, str) and path.lower().startswith("members"):
            kind = str(_field(op, "op") or "").lower()
            return REMOVE_MEMBERS if kind == "remove" else ADD_MEMBERS
    return UPDATE_GROUP
