"""The `capabilities` object: the "Supported capabilities" checklist, or the body's words where a
tutorial has none, and whether groups are provisioned.

Groups are `true` where the checklist names them or a group mapping or table is given;
`false` where the tutorial speaks of users only (its "create, update, and disable ..."
sentence names no groups, or it has no checklist and maps users only); `null` otherwise.
"""

from __future__ import annotations

import re

from sandbox.vendors.importer.markdown_text import Tutorial, plain

_OTHER_ITEMS = [  # checklist items beyond the five fields, in our words
    (r"bearer token", "long-lived bearer token authentication"),
    (r"client credentials", "client credentials authentication"),
]
_DOES = re.compile(r"\bcreate, update,? and (?:disable|deactivate|deprovision|delete)\s+(.+?)"
                   r"(?:\s+(?:in|to|within|on)\s+\S|\s+based\b|[.,;]|$)", re.I)


def checklist(tutorial: Tutorial) -> list[str]:
    """The checklist's items (quote-marked bullets under a capabilities heading)."""
    items = []
    for section in tutorial.find(r"capabilit"):
        for line in section.lines:
            match = re.match(r"^\s*>?\s*[*+-]\s+(.*)", line)
            if match:
                items.append(plain(match.group(1)))
    return items


def _read_items(items: list[str]) -> tuple[dict, list[str], int]:
    found: dict = {}
    other: list[str] = []
    unread = 0
    for item in items:
        known = False
        if re.search(r"\bgroups?\b", item, re.I):
            found["groups"] = known = True
        if re.search(r"\b(create|provision)\b.*\busers?\b", item, re.I):
            found["create_users"] = known = True
        if re.search(r"\b(remove|deactivate|disable|deprovision|delete|suspend)\b.*\busers?\b",
                     item, re.I):
            found["remove_users"] = known = True
        if re.search(r"\b(keep|sync\w*)\b.*\battributes?\b", item, re.I):
            found["sync_user_attributes"] = known = True
        if re.search(r"single sign-on|\bsso\b", item, re.I):
            found["single_sign_on"] = known = True
        for pattern, words in _OTHER_ITEMS:
            if re.search(pattern, item, re.I):
                other.append(words)
                known = True
        unread += not known
    return found, other, unread


def maps_groups(text: str) -> bool:
    """Whether the tutorial gives a group mapping (a step that syncs or reviews groups)."""
    return bool(re.search(r"synchroni[sz]e [^*\n]{0,60}groups to|group attributes", text, re.I))


def _maps_users(text: str) -> bool:
    return bool(re.search(r"synchroni[sz]e [^*\n]{0,60}users to|user attributes", text, re.I))


def read_capabilities(tutorial: Tutorial, has_group_table: bool) -> tuple[dict, int]:
    """The capabilities object and how many checklist items we could not read."""
    items = checklist(tutorial)
    text = tutorial.text
    found, other, unread = _read_items(items)
    does = _DOES.search(plain(text))
    if not items and does:
        found.update(create_users=True, sync_user_attributes=True, remove_users=True)
    if not items and re.search(r"single sign-on|\bsso\b", text, re.I):
        found["single_sign_on"] = True
    groups = found.get("groups")
    users_only = (does and not re.search(r"group", does.group(1), re.I)) or (
        not items and _maps_users(text))
    if groups is None and (has_group_table or maps_groups(text)):
        groups = True
    elif groups is None and users_only:
        groups = False
    capabilities = {key: found.get(key) for key in
                    ("create_users", "remove_users", "sync_user_attributes", "single_sign_on")}
    capabilities["groups"] = groups
    if other:
        capabilities["other"] = other
    return capabilities, unread
