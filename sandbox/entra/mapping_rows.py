"""One row of Attribute Mappings, how it is evaluated on a source object, and the rows Entra
pre-fills for a non-gallery SCIM application.

The defaults are the user and group mappings that Microsoft's SCIM endpoint tutorial gives
as Entra's own (section "Design your user and group schema"), with the portal's
`Switch([IsSoftDeleted], ...)` for `active` and `Join(" ", [givenName], [surname])` for
`name.formatted`. Tutorial:
https://learn.microsoft.com/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups

Which of them a vendor keeps, and what is added for the rest of its table, is decided in
`profile_mappings`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sandbox.constants import ENTERPRISE_USER_SCHEMA
from sandbox.entra.paths import ScimPath, parse_path

IS_SOFT_DELETED = 'Switch([IsSoftDeleted], , "False", "True", "True", "False")'
FORMATTED_NAME = 'Join(" ", [givenName], [surname])'
MEMBERS = "members"
# Entra's "Apply this mapping" choices for a row.
ALWAYS = "Always"
ON_CREATE_ONLY = "Only during object creation"


@dataclass(frozen=True, slots=True)
class AttributeMapping:
    """One row of Attribute Mappings: `source` as the portal shows it (an attribute name or
    an expression), `target` a SCIM path, `matching_precedence` (1 for the attribute used
    to find an existing account; None when the row is not used for matching) and `apply`
    (Always, or Only during object creation). `compute`, when set, gives the row's value
    for a source object (an expression or a generated source attribute)."""

    source: str
    target: str
    matching_precedence: int | None = None
    apply: str = ALWAYS
    compute: Callable[[Any], Any] | None = field(default=None, compare=False, repr=False)

    @property
    def path(self) -> ScimPath:
        return parse_path(self.target)

    @property
    def on_create_only(self) -> bool:
        return self.apply == ON_CREATE_ONLY


# Expressions the default mappings use, evaluated on a source object. IsSoftDeleted is true
# for a disabled account (accountEnabled false) as for a soft-deleted one (Microsoft's "How
# application provisioning works", Deprovisioning); leaving scope is the cycle's to handle.
_EXPRESSIONS: dict[str, Callable[[Any], Any]] = {
    IS_SOFT_DELETED: lambda user: bool(user.active),
    FORMATTED_NAME: lambda user: " ".join(p for p in (user.givenName, user.surname) if p) or None,
}

# userName is the matching row: no tutorial's table gives another attribute precedence
# (Veritas lists userName and the work email as filterable, userName first).
USER_DEFAULTS = (
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
GROUP_DEFAULTS = (
    AttributeMapping("displayName", "displayName", matching_precedence=1),
    AttributeMapping("objectId", "externalId"),
    AttributeMapping(MEMBERS, MEMBERS),
)


def expression_text(mapping: AttributeMapping) -> str:
    """The row's source as an argument of an expression: `[jobTitle]`, or the expression."""
    return mapping.source if "(" in mapping.source else f"[{mapping.source}]"


def matching_mapping(mappings: Iterable[AttributeMapping]) -> AttributeMapping:
    """The row Entra matches on: the lowest matching precedence."""
    ranked = [m for m in mappings if m.matching_precedence is not None]
    if not ranked:
        raise ValueError("no attribute mapping is marked as the matching attribute")
    return min(ranked, key=lambda m: m.matching_precedence or 0)


def for_update(rows: Iterable[AttributeMapping], values: dict[str, Any]) -> dict[str, Any]:
    """The values an update compares and sends: without the rows applied only during object
    creation (Entra neither sends nor checks them once the account exists)."""
    once = {row.target for row in rows if row.on_create_only}
    return {target: value for target, value in values.items() if target not in once}


def evaluate(mapping: AttributeMapping, source: Any) -> Any:
    """The value a mapping gives for a source object; None (nothing to send) when empty."""
    if mapping.compute is not None:
        value = mapping.compute(source)
    else:
        expression = _EXPRESSIONS.get(mapping.source)
        value = expression(source) if expression else getattr(source, mapping.source, None)
    if isinstance(value, list):
        return list(value) or None
    return None if value == "" else value
