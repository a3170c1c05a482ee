"""Gallery records as files: the checks every record passes before it is used, and why a
record whose `status` is not `scim` is not served.

Kept apart from the profile-building code so that listing the catalog, which reads each
record's status, imports only this.
"""

from __future__ import annotations

import re
from typing import Any

from sandbox.vendors.profile import ProfileError

RECORD_KEYS = ("id", "app_name", "source", "status", "capabilities", "auth", "tenant_url",
               "setup", "user_table", "user_attributes", "group_table", "group_attributes",
               "quirks")
STATUSES = ("scim", "non_scim", "deprecated", "inbound")
_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
_NOT_SERVED = {
    "non_scim": "Entra provisions it through the app's own API, not SCIM",
    "deprecated": "the tutorial marks the provisioning integration as deprecated",
    "inbound": "an inbound integration: Entra reads people from the app, it does not "
               "provision to it",
}

def check_record(record: Any, source: str) -> None:
    """A ProfileError naming the file and the key when `record` is no usable record."""
    if not isinstance(record, dict):
        raise ProfileError(f"{source}: a gallery record must be a JSON object")
    for key in RECORD_KEYS:
        if key not in record:
            raise ProfileError(f"{source}: key '{key}' is required in a gallery record")
    if not isinstance(record["id"], str) or not _ID.fullmatch(record["id"]):
        raise ProfileError(f"{source}: key 'id' must be lower-case letters, digits and "
                           f"hyphens; got {record['id']!r}")
    if not isinstance(record["app_name"], str) or not record["app_name"].strip():
        raise ProfileError(f"{source}: key 'app_name' must be a non-empty string")
    if record["status"] not in STATUSES:
        raise ProfileError(f"{source}: key 'status' must be one of {', '.join(STATUSES)}; "
                           f"got {record['status']!r}")
    for key in ("capabilities", "auth", "tenant_url", "setup", "source"):
        if not isinstance(record[key], dict):
            raise ProfileError(f"{source}: key '{key}' must be an object")
    for key in ("user_attributes", "group_attributes", "quirks"):
        if not isinstance(record[key], list) or not all(isinstance(x, dict)
                                                        for x in record[key]):
            raise ProfileError(f"{source}: key '{key}' must be a list of objects")


def not_served_reason(record: dict[str, Any]) -> str | None:
    """Why a record is not served (None for a `scim` record)."""
    return _NOT_SERVED.get(record["status"])
