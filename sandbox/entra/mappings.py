"""Attribute Mappings: which source attribute (or expression) fills which SCIM attribute, and
which one is the **Matching** attribute.

Without a profile they are the defaults Entra pre-fills for a non-gallery SCIM application
(`mapping_rows`). For a vendor profile they are what an admin sets up while following the
vendor's tutorial, whose Attribute-Mapping step has them look over what Entra sends to the
vendor: Entra's defaults cut down to the vendor's table, a generated source for every other
attribute it needs, and the rows shaped by its rules (`profile_mappings`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sandbox.entra.mapping_rows import (
    ALWAYS,
    FORMATTED_NAME,
    GROUP_DEFAULTS,
    IS_SOFT_DELETED,
    MEMBERS,
    ON_CREATE_ONLY,
    USER_DEFAULTS,
    AttributeMapping,
    evaluate,
    for_update,
    matching_mapping,
)
from sandbox.entra.profile_mappings import (
    TARGET_OBJECT_ACTIONS,
    group_actions,
    keeps_disabled_accounts,
    profile_group_mappings,
    profile_user_mappings,
)

if TYPE_CHECKING:
    from sandbox.vendors import Profile

__all__ = [
    "ALWAYS",
    "FORMATTED_NAME",
    "IS_SOFT_DELETED",
    "MEMBERS",
    "ON_CREATE_ONLY",
    "TARGET_OBJECT_ACTIONS",
    "AttributeMapping",
    "default_group_mappings",
    "default_mappings",
    "evaluate",
    "for_update",
    "group_actions",
    "matching_mapping",
    "profile_settings",
]


def default_mappings(profile: Profile | None = None) -> tuple[AttributeMapping, ...]:
    """Entra's default user mappings; for a vendor profile, the rows its tutorial asks for."""
    return USER_DEFAULTS if profile is None else profile_user_mappings(profile)


def default_group_mappings(profile: Profile | None = None) -> tuple[AttributeMapping, ...]:
    """Entra's default group mappings (displayName matching, externalId, members); for a
    vendor profile, the rows its tutorial asks for, and none for a vendor without groups."""
    return GROUP_DEFAULTS if profile is None else profile_group_mappings(profile)


def profile_settings(profile: Profile | None) -> dict[str, Any]:
    """The Provisioning blade's settings a vendor's tutorial leads to, as keyword arguments
    of `ProvisioningConfig`: mappings, the groups' Target Object Actions, soft delete."""
    return {"user_mappings": default_mappings(profile),
            "group_mappings": default_group_mappings(profile),
            "group_actions": group_actions(profile),
            "soft_delete": keeps_disabled_accounts(profile)}
