"""The requests, in the exact shapes Microsoft Entra's provisioning service sends them.

Sources, both on Microsoft Learn:

- the SCIM endpoint tutorial, for its request examples of user and group operations:
  https://learn.microsoft.com/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups
- the page on SCIM 2.0 compliance issues, section "Flags to alter the SCIM behavior":
  https://learn.microsoft.com/entra/identity/app-provisioning/application-provisioning-config-problem-scim-compatibility

Putting `aadOptscim062020` on the Tenant URL changes four kinds of request (disabling a
user, adding one string value, replacing several attributes at once, taking a member out of
a group), and that section shows each one in both forms:

- disable a user: `{"op": "Replace", "path": "active", "value": "False"}` by default;
  `{"op": "replace", "path": "active", "value": false}` with the flag.
- add a single value: `{"op": "Add", "path": "nickName", "value": "Babs"}` by default;
  `{"op": "add", ...}` with the flag.
- replace several attributes: one pathed `{"op": "Replace", "path": ..., "value": ...}` per
  attribute by default; with the flag, filtered paths (`emails[type eq "work"].value`) stay
  pathed `replace` ops and all the others go into ONE pathless op with dotted and URN keys:
  `{"op": "replace", "value": {"displayName": .., "name.givenName": ..,
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber": ..}}`.
- remove group members: `{"op": "Remove", "path": "members", "value": [{"value": "<id>"}]}`
  by default; with the flag one `{"op": "remove", "path": "members[value eq \"<id>\"]"}`
  per member.

Everything else is the same either way: create bodies (booleans as JSON booleans), match
queries, member additions (`Add` / `add`), DELETE. Two choices of ours where Microsoft gives
no example: `active` always travels as its own pathed op (the documented disable shape), and
an attribute whose source became empty is removed with a pathed `Remove` / `remove`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from sandbox.constants import GROUP_SCHEMA, PATCH_OP_SCHEMA, USER_SCHEMA
from sandbox.entra.paths import parse_path, same_value, set_value

FLAG = "aadOptscim062020"
# The tutorial's Create Group request names this URN beside the core Group schema.
ADSCIM_GROUP_SCHEMA = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"


@dataclass(frozen=True, slots=True)
class ScimRequest:
    """One request: `path` is below the Tenant URL and carries its query string."""

    method: str
    path: str
    body: dict[str, Any] | None = None

    def encoded(self) -> bytes | None:
        return json.dumps(self.body).encode() if self.body is not None else None


@dataclass(frozen=True, slots=True)
class Change:
    """One attribute to update: its SCIM path, the value the target had, the new value."""

    path: str
    old: Any
    new: Any


def changes_between(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """The mapped attributes whose new value differs from what the target has (or was sent),
    in mapping order."""
    return [Change(path, old.get(path), value) for path, value in new.items()
            if not same_value(value, old.get(path))]


def filter_query(attribute: str, value: str) -> str:
    """`attribute eq "value"`, the value quoted with `"` and `\\` escaped (RFC 7644 §3.4.2.2)."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'{attribute} eq "{escaped}"'


def test_connection(guid: str) -> ScimRequest:
    """Test Connection: a user named by a fresh random GUID, which must come back as a 200
    ListResponse with no results (the SCIM endpoint tutorial's Test Connection step)."""
    return match_user("userName", guid)


def test_connection_groups(guid: str, attribute: str = "displayName") -> ScimRequest:
    """Test Connection's second probe where the app has groups: a group named by a fresh
    random GUID, members left out, as every group lookup of Entra's."""
    return match_group(attribute, guid)


def match_user(attribute: str, value: str) -> ScimRequest:
    """The match query: `GET /Users?filter=userName eq "ann@contoso.com"`, URL-encoded."""
    return ScimRequest("GET", "/Users?filter=" + quote(filter_query(attribute, value), safe=""))


def match_group(attribute: str, value: str) -> ScimRequest:
    """Entra's group lookup leaves the members out:
    `GET /Groups?excludedAttributes=members&filter=displayName eq "Sales"`."""
    return ScimRequest("GET", "/Groups?excludedAttributes=members&filter="
                       + quote(filter_query(attribute, value), safe=""))


def discover_resource_types() -> ScimRequest:
    return ScimRequest("GET", "/ResourceTypes")


def create_user(values: Mapping[str, Any]) -> ScimRequest:
    """POST /Users: the core schema plus every extension a mapped attribute lives in, nested
    attributes as objects, and `meta.resourceType` as Entra sends it. Empty values are left
    out rather than sent as nulls."""
    return ScimRequest("POST", "/Users", _resource(USER_SCHEMA, "User", values))


def create_group(values: Mapping[str, Any]) -> ScimRequest:
    """POST /Groups without members (Entra adds them afterwards with PATCH), its `schemas`
    the core Group URN and the ADSCIM Group URN, as the tutorial's Create Group request."""
    body = _resource(GROUP_SCHEMA, "Group", values)
    body["schemas"].insert(1, ADSCIM_GROUP_SCHEMA)
    return ScimRequest("POST", "/Groups", body)


def update_user(target_id: str, changes: Sequence[Change], compliant: bool) -> ScimRequest:
    return ScimRequest("PATCH", f"/Users/{quote(target_id, safe='')}",
                       _patch(_attribute_ops(changes, compliant)))


def update_group(target_id: str, changes: Sequence[Change], compliant: bool) -> ScimRequest:
    return ScimRequest("PATCH", f"/Groups/{quote(target_id, safe='')}",
                       _patch(_attribute_ops(changes, compliant)))


def add_members(target_id: str, member_ids: Iterable[str], compliant: bool) -> ScimRequest:
    """`{"op": "Add", "path": "members", "value": [{"value": "<id>"}, ...]}` (`add` with the
    flag)."""
    op = {"op": _op("Add", compliant), "path": "members",
          "value": [{"value": member} for member in member_ids]}
    return ScimRequest("PATCH", f"/Groups/{quote(target_id, safe='')}", _patch([op]))


def remove_members(target_id: str, member_ids: Iterable[str], compliant: bool) -> ScimRequest:
    """Without the flag one `Remove` with a value list; with it, one `remove` per member with a
    `members[value eq "<id>"]` path (the "remove a group member" example)."""
    members = list(member_ids)
    if compliant:
        ops = [{"op": "remove", "path": f'members[value eq "{member}"]'} for member in members]
    else:
        ops = [{"op": "Remove", "path": "members",
                "value": [{"value": member} for member in members]}]
    return ScimRequest("PATCH", f"/Groups/{quote(target_id, safe='')}", _patch(ops))


def set_manager(target_id: str, manager_id: str, tenant_url: str,
                compliant: bool = False) -> ScimRequest:
    """The manager reference, as the SCIM endpoint tutorial's user update shows it: an `Add`
    on the path `manager` whose value is a one-element list of `$ref` and `value`."""
    reference = f"{tenant_url.rstrip('/')}/Users/{quote(manager_id, safe='')}"
    op = {"op": _op("Add", compliant), "path": "manager",
          "value": [{"$ref": reference, "value": manager_id}]}
    return ScimRequest("PATCH", f"/Users/{quote(target_id, safe='')}", _patch([op]))


def remove_manager(target_id: str, compliant: bool = False) -> ScimRequest:
    """The manager cleared at the source (Microsoft prints no example: ours)."""
    return ScimRequest("PATCH", f"/Users/{quote(target_id, safe='')}",
                       _patch([{"op": _op("Remove", compliant), "path": "manager"}]))


def delete_user(target_id: str) -> ScimRequest:
    return ScimRequest("DELETE", f"/Users/{quote(target_id, safe='')}")


def delete_group(target_id: str) -> ScimRequest:
    return ScimRequest("DELETE", f"/Groups/{quote(target_id, safe='')}")


def _resource(core: str, resource_type: str, values: Mapping[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {"schemas": [core]}
    for target, value in values.items():
        if value is None:
            continue
        path = parse_path(target)
        if path.urn and path.urn not in body["schemas"]:
            body["schemas"].append(path.urn)
        set_value(body, path, value)
    body["meta"] = {"resourceType": resource_type}
    return body


def _patch(operations: list[dict[str, Any]]) -> dict[str, Any]:
    return {"schemas": [PATCH_OP_SCHEMA], "Operations": operations}


def _op(name: str, compliant: bool) -> str:
    """`Add` / `Replace` / `Remove` by default, RFC 7644's lowercase names with the flag."""
    return name.lower() if compliant else name


def _value(value: Any, compliant: bool) -> Any:
    """Without the flag Entra writes booleans as the strings "True" / "False"."""
    if isinstance(value, bool) and not compliant:
        return "True" if value else "False"
    return value


def _attribute_ops(changes: Sequence[Change], compliant: bool) -> list[dict[str, Any]]:
    ops: list[dict[str, Any]] = []
    merged: dict[str, Any] = {}  # with the flag: the replaces that go into one pathless op
    for change in changes:
        if change.new is None:
            ops.append({"op": _op("Remove", compliant), "path": change.path})
        elif change.old is None:
            ops.append({"op": _op("Add", compliant), "path": change.path,
                        "value": _value(change.new, compliant)})
        elif compliant and change.path != "active" and not parse_path(change.path).filtered:
            merged[change.path] = change.new
        else:
            ops.append({"op": _op("Replace", compliant), "path": change.path,
                        "value": _value(change.new, compliant)})
    if len(merged) == 1:
        ((path, value),) = merged.items()
        ops.append({"op": "replace", "path": path, "value": value})
    elif merged:
        ops.append({"op": "replace", "value": merged})
    return ops
