"""The lookups the store keeps per tenant: what Entra matches on and what must stay unique."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sandbox.store import IndexSpec

USER_NAME = "userName"
EXTERNAL_ID = "externalId"
DISPLAY_NAME = "displayName"
WORK_EMAIL = "emails[type eq work].value"
MEMBERS = "members"  # the groups a resource is in, for the cascade on delete


def _folded(data: dict[str, Any], key: str) -> Iterator[str]:
    value = data.get(key)
    if isinstance(value, str):
        yield value.casefold()


def _exact(data: dict[str, Any], key: str) -> Iterator[str]:
    value = data.get(key)
    if isinstance(value, str):
        yield value


def _work_emails(data: dict[str, Any]) -> Iterator[str]:
    for email in data.get("emails") or ():
        if isinstance(email, dict) and isinstance(email.get("value"), str) \
                and str(email.get("type", "")).lower() == "work":
            yield email["value"].casefold()


def _members(data: dict[str, Any]) -> Iterator[str]:
    for member in data.get("members") or ():
        if isinstance(member, dict) and isinstance(member.get("value"), str):
            yield member["value"]


INDEXES: dict[str, tuple[IndexSpec, ...]] = {
    "User": (
        IndexSpec(USER_NAME, lambda d: _folded(d, "userName")),
        IndexSpec(EXTERNAL_ID, lambda d: _exact(d, "externalId")),
        IndexSpec(WORK_EMAIL, _work_emails),
    ),
    "Group": (
        IndexSpec(DISPLAY_NAME, lambda d: _folded(d, "displayName")),
        IndexSpec(EXTERNAL_ID, lambda d: _exact(d, "externalId")),
        IndexSpec(MEMBERS, _members),
    ),
}

# Attributes whose uniqueness can be checked through an index, and how their key is formed.
UNIQUE_INDEX = {("User", "username"): USER_NAME, ("Group", "displayname"): DISPLAY_NAME}
