"""Schema definitions as data (RFC 7643 §7) and case-insensitive attribute resolution.

The standard User, enterprise User and Group schemas are the JSON documents in `schemas/`,
generated from scim2-models (see `scripts/generate_schemas.py`). A `ResourceSchema` joins a
resource type's core schema, its extensions and the common attributes of RFC 7643 §3.1, and
answers "which attribute does this client-spelled name mean?".
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from sandbox.constants import ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, SCHEMA_SCHEMA, USER_SCHEMA

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"


STANDARD_SCHEMA_FILES = {
    USER_SCHEMA: "User.json",
    GROUP_SCHEMA: "Group.json",
    ENTERPRISE_USER_SCHEMA: "EnterpriseUser.json",
}


@dataclass(frozen=True, slots=True)
class Attribute:
    """One attribute definition (RFC 7643 §7), with sub-attributes for complex types."""

    name: str
    type: str = "string"
    multi_valued: bool = False
    required: bool = False
    case_exact: bool = False
    mutability: str = "readWrite"
    returned: str = "default"
    uniqueness: str = "none"
    description: str = ""
    canonical_values: tuple[str, ...] = ()
    reference_types: tuple[str, ...] = ()
    sub_attributes: tuple[Attribute, ...] = ()
    _by_lower: dict[str, Attribute] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_lower.update({sub.name.lower(): sub for sub in self.sub_attributes})

    def sub(self, name: str) -> Attribute | None:
        """The sub-attribute spelled `name` in any letter case, or None."""
        return self._by_lower.get(name.lower())

    @property
    def is_complex(self) -> bool:
        return self.type == "complex"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Attribute:
        return cls(
            name=data["name"],
            type=data.get("type", "string"),
            multi_valued=bool(data.get("multiValued", False)),
            required=bool(data.get("required", False)),
            case_exact=bool(data.get("caseExact", False)),
            mutability=data.get("mutability", "readWrite"),
            returned=data.get("returned", "default"),
            uniqueness=data.get("uniqueness", "none"),
            description=data.get("description", ""),
            canonical_values=tuple(data.get("canonicalValues", ())),
            reference_types=tuple(data.get("referenceTypes", ())),
            sub_attributes=tuple(cls.from_dict(s) for s in data.get("subAttributes", ())),
        )

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "multiValued": self.multi_valued,
            "description": self.description,
            "required": self.required,
            "caseExact": self.case_exact,
            "mutability": self.mutability,
            "returned": self.returned,
            "uniqueness": self.uniqueness,
        }
        if self.canonical_values:
            data["canonicalValues"] = list(self.canonical_values)
        if self.reference_types:
            data["referenceTypes"] = list(self.reference_types)
        if self.sub_attributes:
            data["subAttributes"] = [s.to_dict() for s in self.sub_attributes]
        return data


@dataclass(frozen=True, slots=True)
class Schema:
    """A schema document: its URN, name and attributes."""

    id: str
    name: str
    description: str
    attributes: tuple[Attribute, ...]
    _by_lower: dict[str, Attribute] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_lower.update({a.name.lower(): a for a in self.attributes})

    def attribute(self, name: str) -> Attribute | None:
        return self._by_lower.get(name.lower())

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Schema:
        return cls(
            id=data["id"],
            name=data.get("name", ""),
            description=data.get("description", ""),
            attributes=tuple(Attribute.from_dict(a) for a in data.get("attributes", ())),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "schemas": [SCHEMA_SCHEMA],
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "attributes": [a.to_dict() for a in self.attributes],
        }

    def restricted(
        self, keep: set[str] | None = None, overrides: dict[str, dict[str, Any]] | None = None
    ) -> Schema:
        """A copy limited to the attributes named in `keep` (top-level or `attr.sub`), with
        per-attribute field overrides such as `{"title": {"required": True}}`."""
        overrides = {k.lower(): v for k, v in (overrides or {}).items()}
        wanted = {k.lower() for k in keep} if keep is not None else None
        attributes = []
        for attr in self.attributes:
            name = attr.name.lower()
            subs = attr.sub_attributes
            if wanted is not None:
                if name not in wanted and not any(w.startswith(name + ".") for w in wanted):
                    continue
                if name not in wanted:
                    subs = tuple(s for s in subs if f"{name}.{s.name.lower()}" in wanted)
            subs = tuple(_override(s, overrides.get(f"{name}.{s.name.lower()}")) for s in subs)
            attributes.append(_override(replace(attr, sub_attributes=subs, _by_lower={}),
                                        overrides.get(name)))
        return replace(self, attributes=tuple(attributes), _by_lower={})


def _override(attr: Attribute, fields: dict[str, Any] | None) -> Attribute:
    if not fields:
        return attr
    names = {"multiValued": "multi_valued", "caseExact": "case_exact"}
    return replace(attr, _by_lower={}, **{names.get(k, k): v for k, v in fields.items()})


# RFC 7643 §3.1: attributes every resource has, outside any schema's attribute list.
COMMON_ATTRIBUTES: tuple[Attribute, ...] = (
    Attribute("id", case_exact=True, mutability="readOnly", returned="always",
              uniqueness="server", description="Unique identifier issued by the service provider."),
    Attribute("externalId", case_exact=True,
              description="Identifier of the resource as defined by the provisioning client."),
    Attribute(
        "meta", type="complex", mutability="readOnly", description="Resource metadata.",
        sub_attributes=(
            Attribute("resourceType", case_exact=True, mutability="readOnly"),
            Attribute("created", type="dateTime", mutability="readOnly"),
            Attribute("lastModified", type="dateTime", mutability="readOnly"),
            Attribute("location", type="reference", case_exact=True, mutability="readOnly",
                      reference_types=("uri",)),
            Attribute("version", case_exact=True, mutability="readOnly"),
        ),
    ),
    Attribute("schemas", type="reference", multi_valued=True, case_exact=True,
              mutability="readWrite", returned="always", reference_types=("uri",)),
)


@cache
def standard_schema(urn: str) -> Schema:
    """One of the shipped RFC 7643 schemas by URN."""
    try:
        filename = STANDARD_SCHEMA_FILES[urn]
    except KeyError:
        known = sorted(STANDARD_SCHEMA_FILES)
        raise KeyError(f"no standard schema {urn!r}; known: {known}") from None
    return Schema.from_dict(json.loads((SCHEMA_DIR / filename).read_text(encoding="utf-8")))


@dataclass(frozen=True, slots=True)
class AttrRef:
    """A resolved attribute: where it lives (an extension URN, None for the core) and what it is."""

    extension: str | None
    attribute: Attribute
    sub_attribute: Attribute | None = None

    @property
    def target(self) -> Attribute:
        """The attribute whose values a comparison reads: the sub-attribute if one is named."""
        return self.sub_attribute or self.attribute

    @property
    def dotted(self) -> str:
        name = self.attribute.name
        if self.sub_attribute:
            name = f"{name}.{self.sub_attribute.name}"
        return f"{self.extension}:{name}" if self.extension else name


@dataclass(frozen=True, slots=True)
class ResourceSchema:
    """A resource type's core schema plus its extensions: the engine's view of one resource type."""

    name: str
    endpoint: str
    core: Schema
    extensions: tuple[Schema, ...] = ()
    required_extensions: frozenset[str] = frozenset()
    description: str = ""
    common: tuple[Attribute, ...] = COMMON_ATTRIBUTES  # a vendor may not keep externalId
    _ext_by_lower: dict[str, Schema] = field(default_factory=dict, compare=False, repr=False)
    _common_by_lower: dict[str, Attribute] = field(default_factory=dict, compare=False,
                                                   repr=False)
    # Core and common attributes by lower-case name (a common one wins a clash), and the
    # `returned` of each by its exact name: read for every key of every resource.
    _top_by_lower: dict[str, Attribute] = field(default_factory=dict, compare=False,
                                                repr=False)
    _returned_by_name: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._ext_by_lower.update({e.id.lower(): e for e in self.extensions})
        self._common_by_lower.update({a.name.lower(): a for a in self.common})
        self._top_by_lower.update({a.name.lower(): a for a in self.core.attributes})
        self._top_by_lower.update(self._common_by_lower)
        self._returned_by_name.update({a.name: a.returned for a in self._top_by_lower.values()})

    def returned_of(self, name: str) -> str | None:
        """The `returned` characteristic of the core or common attribute spelled exactly
        `name` (as stored), or None for any other name."""
        return self._returned_by_name.get(name)

    @property
    def schema_ids(self) -> list[str]:
        return [self.core.id, *(e.id for e in self.extensions)]

    def extension(self, urn: str) -> Schema | None:
        return self._ext_by_lower.get(urn.lower())

    def top_level(self, name: str) -> Attribute | None:
        """A core or common attribute by name, in any letter case."""
        return self._top_by_lower.get(name.lower())

    def resolve(self, attr: str, sub: str | None = None, urn: str | None = None) -> AttrRef | None:
        """Find the attribute a client means, or None when this resource type has no such one.

        `urn` is the schema prefix the client wrote (core or an extension), if any.
        """
        extension: str | None = None
        if urn is None or urn.lower() == self.core.id.lower():
            attribute = self.top_level(attr)
        else:
            schema = self.extension(urn)
            if schema is None:
                return None
            extension, attribute = schema.id, schema.attribute(attr)
        if attribute is None:
            return None
        if sub is None:
            return AttrRef(extension, attribute)
        sub_attribute = attribute.sub(sub)
        if sub_attribute is None:
            return None
        return AttrRef(extension, attribute, sub_attribute)

    def split_urn(self, path: str) -> tuple[str | None, str]:
        """Split `urn:...:User:name.givenName` into the schema URN and the rest.

        Known schema URNs are matched first, since their last segment holds no colon
        but attribute names never do either.
        """
        lower = path.lower()
        for schema_id in self.schema_ids:
            prefix = schema_id.lower() + ":"
            if lower.startswith(prefix):
                return schema_id, path[len(prefix):]
        if lower.startswith("urn:") and ":" in path:
            urn, _, rest = path.rpartition(":")
            return urn, rest
        return None, path
