"""The SCIM attribute paths that Entra's attribute mappings target, and how a value at such a
path is written into a request body or read back from a resource.

Entra's mapping targets take four forms (as in the default attribute tables of Microsoft's
SCIM endpoint tutorial, section "Design your user and group schema"): `displayName`,
`name.givenName`, `emails[type eq "work"].value` (an entry of a multi-valued attribute
chosen by its type) and
`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department` (an extension
attribute under its schema URN). Tutorial:
https://learn.microsoft.com/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups

They are read with the server's own path grammar (`sandbox.scim.filter`), so client and
server agree on what a path says; only the writer and the reader of values below are the
client's own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sandbox.constants import ENTERPRISE_USER_SCHEMA
from sandbox.scim.errors import ScimError
from sandbox.scim.filter import Compare, PatchPath, parse_attribute_path


@dataclass(frozen=True, slots=True)
class ScimPath:
    """A mapping target: `urn` (an extension schema, or None), the attribute, the `type` of
    the multi-valued entry it selects (or None), and the sub-attribute (or None)."""

    text: str
    urn: str | None
    attribute: str
    value_type: str | None = None
    sub: str | None = None

    @property
    def filtered(self) -> bool:
        """Whether the path selects an entry by type, e.g. `emails[type eq "work"].value`."""
        return self.value_type is not None

    @property
    def is_reference(self) -> bool:
        """The enterprise `manager`: a complex value `{"value": id}` in a resource body."""
        return self.urn == ENTERPRISE_USER_SCHEMA and self.attribute.lower() == "manager"


@lru_cache(maxsize=256)  # a cycle reads the same few targets for every user
def parse_path(text: str) -> ScimPath:
    """Read a mapping target; ValueError for a form Entra's mappings do not use."""
    if text != text.strip():  # the target is sent as written: no stray blanks in a PATCH path
        raise ValueError(f"unsupported SCIM attribute path {text!r}")
    try:
        parsed = parse_attribute_path(text)
    except ScimError:
        raise ValueError(f"unsupported SCIM attribute path {text!r}") from None
    value_type = _selected_type(parsed)
    if parsed.attr is None or (parsed.value_filter is not None and value_type is None):
        raise ValueError(f"unsupported SCIM attribute path {text!r}")
    return ScimPath(text, parsed.urn, parsed.attr, value_type, parsed.sub)


def _selected_type(path: PatchPath) -> str | None:
    """The `type` a `[type eq "work"]` filter selects; None for no filter or another one
    (Entra's mappings choose a multi-valued entry by its type only)."""
    test = path.value_filter
    if (isinstance(test, Compare) and test.op == "eq" and test.path.urn is None
            and test.path.attr.lower() == "type" and test.path.sub is None
            and isinstance(test.value, str)):
        return test.value
    return None


def set_value(body: dict[str, Any], path: ScimPath, value: Any) -> None:
    """Write `value` at `path` in a resource body (a POST body), creating what is missing.

    A typed entry is added as `{"type": "work", ...}`; the work email is marked primary, as
    in Entra's create-user request (`"emails": [{"primary": true, "type": "work", ...}]`).
    """
    target = body.setdefault(path.urn, {}) if path.urn else body
    if path.is_reference:
        target[path.attribute] = {"value": value}
    elif path.filtered:
        entries = target.setdefault(path.attribute, [])
        entry = next((e for e in entries if e.get("type") == path.value_type), None)
        if entry is None:
            entry = {"type": path.value_type}
            if path.attribute.lower() == "emails" and path.value_type == "work":
                entry["primary"] = True
            entries.append(entry)
        entry[path.sub or "value"] = value
    elif path.sub:
        target.setdefault(path.attribute, {})[path.sub] = value
    else:
        target[path.attribute] = value


def get_value(resource: Mapping[str, Any], path: ScimPath) -> Any:
    """The value at `path` in a resource an endpoint returned, or None; attribute names and
    schema URNs are matched in any letter case (RFC 7643 §2.1)."""
    target: Any = _get(resource, path.urn) if path.urn else resource
    value = _get(target, path.attribute)
    if path.is_reference:
        return _get(value, "value") if isinstance(value, Mapping) else value
    if path.filtered:
        if not isinstance(value, list):
            return None
        entry = next((e for e in value if isinstance(e, Mapping)
                      and str(_get(e, "type") or "").lower() == path.value_type.lower()), None)
        return _get(entry, path.sub or "value") if entry is not None else None
    if path.sub:
        return _get(value, path.sub)
    return value


def same_value(sent: Any, found: Any) -> bool:
    """Whether a target value already equals the mapped one: booleans match their "True" /
    "False" strings, lists match in any order, and absent equals empty."""
    if _empty(sent) and _empty(found):
        return True
    if isinstance(sent, bool) or isinstance(found, bool):
        return str(sent).lower() == str(found).lower()
    if isinstance(sent, list) or isinstance(found, list):
        as_list = [found] if not isinstance(found, list) else found
        wanted = [sent] if not isinstance(sent, list) else sent
        return sorted(map(str, wanted)) == sorted(map(str, as_list))
    return sent == found


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _get(mapping: Any, key: str | None) -> Any:
    if not isinstance(mapping, Mapping) or key is None:
        return None
    if key in mapping:
        return mapping[key]
    lower = key.lower()
    return next((v for k, v in mapping.items() if str(k).lower() == lower), None)
