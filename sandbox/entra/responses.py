"""What an endpoint answered, read the way the provisioning service reads it: the status,
the JSON body, and for an error the SCIM fields RFC 7644 §3.12 defines (`status`,
`scimType`, `detail`), kept as sent so the log can show them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse"


@dataclass(slots=True)
class Outcome:
    """What one request came to: the HTTP status (None without an answer), the parsed JSON
    body (None if there was none or it was not JSON) and, for an error, its SCIM fields."""

    http_status: int | None
    body: Any = None
    scim_status: str | None = None
    scim_type: str | None = None
    detail: str | None = None
    timed_out: bool = False  # no answer because the endpoint was too slow

    @property
    def ok(self) -> bool:
        return self.http_status is not None and 200 <= self.http_status < 300


def outcome_from(status: int, raw: bytes) -> Outcome:
    """Parse an answer; an error's `status`, `scimType` and `detail` are kept as sent."""
    try:
        body = json.loads(raw) if raw.strip() else None
    except ValueError:
        body = None
    outcome = Outcome(status, body)
    if not outcome.ok:
        fields = body if isinstance(body, dict) else {}
        outcome.scim_status = _text(fields.get("status"))
        outcome.scim_type = _text(fields.get("scimType"))
        outcome.detail = _text(fields.get("detail")) or _snippet(raw)
    return outcome


def list_resources(body: Any) -> list[Any] | None:
    """The `Resources` of a ListResponse (empty when it has none), or None when the body is
    no ListResponse at all."""
    if not isinstance(body, dict):
        return None
    keys = {str(k).lower(): v for k, v in body.items()}
    is_list = LIST_RESPONSE in (keys.get("schemas") or []) or "totalresults" in keys
    resources = keys.get("resources")
    if resources is None:
        return [] if is_list else None
    return resources if isinstance(resources, list) else None


def resource_id(outcome: Outcome) -> str | None:
    """The `id` of the resource an answer carries, or None."""
    body = outcome.body
    target_id = body.get("id") if isinstance(body, dict) else None
    return str(target_id) if isinstance(target_id, str | int) and target_id != "" else None


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _snippet(raw: bytes, limit: int = 200) -> str | None:
    text = raw.decode("utf-8", errors="replace").strip()
    return (text[:limit] + "…" if len(text) > limit else text) or None
