"""Attribute Mappings: which source attribute (or expression) fills which SCIM attribute, and
which one is the **Matching** attribute.

The defaults are the ones Entra pre-fills for a non-gallery SCIM application (Microsoft's
"Tutorial: Develop and plan provisioning for a SCIM endpoint", default user and group
attribute mappings; the portal's `Switch([IsSoftDeleted], ...)` for `active` and
`Join(" ", [givenName], [surname])` for `name.formatted`). For a vendor, they are cut down to
what its profile keeps, which is its tutorial's attribute table, so that the vendor's required
columns are exactly what is mapped ("Review the user attributes that are synchronized from
Microsoft Entra ID to <vendor> in the Attribute-Mapping section").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sandbox.constants import ENTERPRISE_USER_SCHEMA, VERITAS_USER_SCHEMA
from sandbox.entra.paths import ScimPath, parse_path

if TYPE_CHECKING:
    from sandbox.scim.schema import ResourceSchema
    from sandbox.vendors import Profile

IS_SOFT_DELETED = 'Switch([IsSoftDeleted], , "False", "True", "True", "False")'
FORMATTED_NAME = 'Join(" ", [givenName], [surname])'
MEMBERS = "members"


@dataclass(frozen=True, slots=True)
class AttributeMapping:
    """One row of Attribute Mappings: `source` as the portal shows it (an attribute name or
    an expression), `target` a SCIM path, and `matching_precedence` (1 for the attribute
    used to find an existing account; None when the row is not used for matching)."""

    source: str
    target: str
    matching_precedence: int | None = None

    @property
    def path(self) -> ScimPath:
        return parse_path(self.target)


# Expressions the default mappings use, evaluated on a source object. IsSoftDeleted is true
# for a disabled account (accountEnabled false) as for a deleted or unassigned one
# (Microsoft's "How application provisioning works", Deprovisioning).
_EXPRESSIONS: dict[str, Callable[[Any], Any]] = {
    IS_SOFT_DELETED: lambda user: bool(user.accountEnabled and user.in_scope),
    FORMATTED_NAME: lambda user: " ".join(p for p in (user.givenName, user.surname) if p) or None,
}

# userName is the matching row for every vendor: no tutorial's table gives another attribute
# precedence (Veritas lists userName and the work email as filterable, userName first).
_USER_DEFAULTS = (
    AttributeMapping("userPrincipalName", "userName", matching_precedence=1),
    AttributeMapping(IS_SOFT_DELETED, "active"),
    AttributeMapping("displayName", "displayName"),
    AttributeMapping("jobTitle", "title"),
    AttributeMapping("mail", 'emails[type eq "work"].value'),
    AttributeMapping("preferredLanguage", "preferredLanguage"),
    AttributeMapping("givenName", "name.givenName"),
    AttributeMapping("surname", "name.familyName"),
    AttributeMapping(FORMATTED_NAME, "name.formatted"),
    AttributeMapping("city", 'addresses[type eq "work"].locality'),
    AttributeMapping("country", 'addresses[type eq "work"].country'),
    AttributeMapping("mailNickname", "externalId"),
    AttributeMapping("employeeId", f"{ENTERPRISE_USER_SCHEMA}:employeeNumber"),
    AttributeMapping("department", f"{ENTERPRISE_USER_SCHEMA}:department"),
    AttributeMapping("manager", f"{ENTERPRISE_USER_SCHEMA}:manager"),
)
# Not in Entra's template, so only offered where a profile has the attribute: the mapping a
# Veritas admin adds for its required custom attribute (vendor-docs/004, attribute table).
_PROFILE_EXTRAS = (
    AttributeMapping("proxyAddresses", f"{VERITAS_USER_SCHEMA}:emailAliases"),
)
_GROUP_DEFAULTS = (
    AttributeMapping("displayName", "displayName", matching_precedence=1),
    AttributeMapping("objectId", "externalId"),
    AttributeMapping(MEMBERS, MEMBERS),
)


def default_mappings(profile: Profile | None = None) -> tuple[AttributeMapping, ...]:
    """Entra's default user mappings; for a vendor profile, only the rows whose target the
    vendor keeps, plus the custom-extension rows its table adds."""
    if profile is None:
        return _USER_DEFAULTS
    user_type = profile.resource_types.get("User")
    if user_type is None:
        return ()
    return _kept(user_type.schema, (*_USER_DEFAULTS, *_PROFILE_EXTRAS))


def default_group_mappings(profile: Profile | None = None) -> tuple[AttributeMapping, ...]:
    """Entra's default group mappings (displayName matching, externalId, members); none for
    a vendor without groups."""
    if profile is None:
        return _GROUP_DEFAULTS
    group_type = profile.resource_types.get("Group")
    return _kept(group_type.schema, _GROUP_DEFAULTS) if group_type is not None else ()


def matching_mapping(mappings: Iterable[AttributeMapping]) -> AttributeMapping:
    """The row Entra matches on: the lowest matching precedence."""
    ranked = [m for m in mappings if m.matching_precedence is not None]
    if not ranked:
        raise ValueError("no attribute mapping is marked as the matching attribute")
    return min(ranked, key=lambda m: m.matching_precedence or 0)


def evaluate(mapping: AttributeMapping, source: Any) -> Any:
    """The value a mapping gives for a source object; None (nothing to send) when empty."""
    expression = _EXPRESSIONS.get(mapping.source)
    value = expression(source) if expression else getattr(source, mapping.source, None)
    if isinstance(value, list):
        return list(value) or None
    return None if value == "" else value


def _kept(schema: ResourceSchema, rows: Iterable[AttributeMapping]) -> tuple[AttributeMapping,
                                                                            ...]:
    return tuple(row for row in rows if _has(schema, row.path))


def _has(schema: ResourceSchema, path: ScimPath) -> bool:
    sub = (path.sub or "value") if path.filtered else path.sub
    return schema.resolve(path.attribute, sub, path.urn) is not None
