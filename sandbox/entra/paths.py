"""The SCIM attribute paths that Entra's attribute mappings target, and how a value at such a
path is written into a request body or read back from a resource.

Entra's mapping targets take four forms (its "Tutorial: Develop and plan provisioning for a
SCIM endpoint", default attribute tables): `displayName`, `name.givenName`,
`emails[type eq "work"].value` (an entry of a multi-valued attribute chosen by its type) and
`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department` (an extension
attribute under its schema URN). Only these forms are needed, so this is a small reader of
them rather than the full RFC 7644 path grammar.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
_FILTERED = re.compile(r'^(?P<attr>[\w$]+)\[type eq "(?P<type>[^"]*)"\](?:\.(?P<sub>[\w$]+))?$')


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
        return self.urn == ENTERPRISE and self.attribute.lower() == "manager"


def parse_path(text: str) -> ScimPath:
    """Read a mapping target; ValueError for a form Entra's mappings do not use."""
    urn: str | None = None
    rest = text
    if text.lower().startswith("urn:"):
        urn, _, rest = text.rpartition(":")
    found = _FILTERED.match(rest)
    if found:
        return ScimPath(text, urn, found["attr"], found["type"], found["sub"])
    attribute, _, sub = rest.partition(".")
    if not attribute.replace("$", "").isidentifier() or (sub and not sub.isidentifier()):
        raise ValueError(f"unsupported SCIM attribute path {text!r}")
    return ScimPath(text, urn, attribute, None, sub or None)


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
