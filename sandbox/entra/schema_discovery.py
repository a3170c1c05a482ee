"""Schema discovery: `GET /Schemas`, read as the target attributes a mapping may write.

Microsoft's SCIM endpoint tutorial (section "/Schemas (Schema discovery)") says that for some
gallery applications Entra calls `/Schemas` when the provisioning settings are saved (and when
the edit page opens), and that what it discovers only adds target attributes to the mapping
editor, never removes any. This module asks and reads the answer; the caller decides when.

Attributes become mapping targets in the four forms Entra writes (`paths.py`): a core
attribute by name, a sub-attribute of a single-valued complex one (`name.givenName`), the
`value` of a typed multi-valued one (`emails[type eq "work"].value`, for each canonical type
or "work" when none is listed), and an extension attribute under its URN.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sandbox.constants import GROUP_SCHEMA, USER_SCHEMA
from sandbox.entra.paths import parse_path
from sandbox.entra.requests import ScimRequest
from sandbox.entra.responses import list_resources
from sandbox.entra.sender import Sender

SCHEMAS_REQUEST = ScimRequest("GET", "/Schemas")


@dataclass(slots=True)
class DiscoveredSchemas:
    """What `/Schemas` gave: target attributes per resource type (User, Group), or why
    nothing was discovered (`problem`)."""

    users: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    http_status: int | None = None
    problem: str | None = None

    @property
    def count(self) -> int:
        return len(self.users) + len(self.groups)


def discover(sender: Sender) -> DiscoveredSchemas:
    """Ask the endpoint for its schemas and read their attributes as mapping targets."""
    answer = sender.send(SCHEMAS_REQUEST)
    schemas = list_resources(answer.body) if answer.ok else None
    if schemas is None:
        why = (f"HTTP {answer.http_status}" if answer.http_status is not None
               else answer.detail or "no answer")
        return DiscoveredSchemas(http_status=answer.http_status,
                                 problem=f"/Schemas gave no SCIM ListResponse ({why}).")
    found = DiscoveredSchemas(http_status=answer.http_status)
    for schema in schemas:
        if not isinstance(schema, dict):
            continue
        urn = str(schema.get("id", ""))
        targets = list(_targets(urn, schema.get("attributes")))
        if urn == GROUP_SCHEMA:
            found.groups.extend(targets)
        elif urn == USER_SCHEMA or "User" in urn.rsplit(":", 1)[-1]:
            found.users.extend(targets)
    return found


def _targets(urn: str, attributes: Any) -> list[str]:
    core = urn in (USER_SCHEMA, GROUP_SCHEMA)
    found: list[str] = []
    for attribute in attributes if isinstance(attributes, list) else []:
        if not isinstance(attribute, dict) or not attribute.get("name"):
            continue
        if str(attribute.get("mutability", "readWrite")) == "readOnly":
            continue
        name = str(attribute["name"])
        if not core:
            found.append(f"{urn}:{name}")
            continue
        found.extend(_core_targets(name, attribute))
    return [target for target in found if _writable(target)]


def _core_targets(name: str, attribute: dict[str, Any]) -> list[str]:
    definitions = attribute.get("subAttributes") or []
    if not isinstance(definitions, list):  # RFC 7643 §7: a list; anything else is unread
        return []
    subs = [str(s.get("name")) for s in definitions if isinstance(s, dict) and s.get("name")]
    if attribute.get("type") != "complex" or not subs:
        return [name]
    if not attribute.get("multiValued"):
        return [f"{name}.{sub}" for sub in subs]
    if "value" not in subs or "type" not in subs:
        return []
    listed = next((s.get("canonicalValues") for s in definitions
                   if isinstance(s, dict) and s.get("name") == "type"), None)
    kinds = [k for k in listed if isinstance(k, str) and k] if isinstance(listed, list) else []
    return [f'{name}[type eq "{kind}"].value' for kind in (kinds or ["work"])]


def _writable(target: str) -> bool:
    try:
        parse_path(target)
    except ValueError:
        return False
    return True
