"""What an endpoint answered, read the way the provisioning service reads it: the status,
the JSON body, and for an error the SCIM fields RFC 7644 §3.12 defines (`status`,
`scimType`, `detail`), kept as sent so the log can show them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sandbox.constants import LIST_RESPONSE_SCHEMA


@dataclass(slots=True)
class ScimAnswer:
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


def answer_from(status: int, raw: bytes) -> ScimAnswer:
    """Parse an answer; an error's `status`, `scimType` and `detail` are kept as sent."""
    try:
        body = json.loads(raw) if raw.strip() else None
    except ValueError:
        body = None
    answer = ScimAnswer(status, body)
    if not answer.ok:
        fields = body if isinstance(body, dict) else {}
        answer.scim_status = _text(fields.get("status"))
        answer.scim_type = _text(fields.get("scimType"))
        answer.detail = _text(fields.get("detail")) or _snippet(raw)
    return answer


def list_resources(body: Any) -> list[Any] | None:
    """The `Resources` of a ListResponse (empty when it has none), or None when the body is
    no ListResponse at all."""
    if not isinstance(body, dict):
        return None
    keys = {str(k).lower(): v for k, v in body.items()}
    is_list = LIST_RESPONSE_SCHEMA in (keys.get("schemas") or []) or "totalresults" in keys
    resources = keys.get("resources")
    if resources is None:
        return [] if is_list else None
    return resources if isinstance(resources, list) else None


def resource_id(answer: ScimAnswer) -> str | None:
    """The `id` of the resource an answer carries, or None."""
    body = answer.body
    target_id = body.get("id") if isinstance(body, dict) else None
    return str(target_id) if isinstance(target_id, str | int) and target_id != "" else None


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _snippet(raw: bytes, limit: int = 200) -> str | None:
    text = raw.decode("utf-8", errors="replace").strip()
    return (text[:limit] + "…" if len(text) > limit else text) or None
