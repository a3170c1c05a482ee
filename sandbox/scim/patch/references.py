"""The reference PATCH Microsoft Entra ID sends for a user's manager.

Entra sets the manager once both users exist, with path `manager` (no schema URN) and the
value as a list of one `{"$ref", "value"}` object. RFC 7643 §4.3 puts `manager` in the
enterprise extension, and the core User schema has no attribute of that name, so the bare
name is read as the extension's attribute where a profile offers it.
"""

from __future__ import annotations

from typing import Any

from sandbox.constants import ENTERPRISE_USER_SCHEMA
from sandbox.scim import errors
from sandbox.scim.schema import Attribute, AttrRef, ResourceSchema

# Attribute names Entra writes without their schema URN although they live in an extension.
# Only names the core schema lacks are listed, so a bare name never hides a core attribute.
BARE_EXTENSION_NAMES = {"manager": ENTERPRISE_USER_SCHEMA}


def bare_extension_ref(schema: ResourceSchema, attr: str, sub: str | None) -> AttrRef | None:
    """The extension attribute a URN-less name such as `manager` means on this resource
    type, or None when the name is not one of them or the profile lacks the extension's
    attribute (an unknown attribute then, as any other)."""
    urn = BARE_EXTENSION_NAMES.get(attr.lower())
    if urn is None or schema.top_level(attr) is not None or schema.extension(urn) is None:
        return None
    return schema.resolve(attr, sub, urn)


def single_value(attr: Attribute, value: Any, name: str) -> Any:
    """A single-valued complex attribute's value as Entra wraps it, in a list: a list of
    one item is left for `unwrap`; a longer list cannot be one value (400 invalidValue
    naming the attribute). Simple attributes keep their type error ("must be a string")."""
    if not attr.is_complex or not isinstance(value, list) or len(value) <= 1:
        return value
    raise errors.invalid_value(
        f"Attribute '{name}' is single-valued; got a list of {len(value)} values"
    )

