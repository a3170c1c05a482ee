"""The request journal: every SCIM request a tenant received, newest kept, oldest dropped.

Recording must cost almost nothing on the request path, so an entry keeps the raw bodies
and decodes them only when someone reads the journal.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sandbox.config import JOURNAL_SIZE


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One request and its answer, as received and sent."""

    time: str
    method: str
    path: str
    query: str
    status: int
    duration_ms: float
    operation: str
    request_headers: tuple[tuple[str, str], ...]
    request_body: bytes
    response_body: bytes
    fault: str | None = None  # the id of the fault or stub that answered or delayed it

    def to_dict(self) -> dict[str, Any]:
        return {
            "time": self.time,
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "status": self.status,
            "duration_ms": round(self.duration_ms, 3),
            "operation": self.operation,
            "request": {"headers": dict(self.request_headers),
                        "body": _decode(self.request_body)},
            "response": {"body": _decode(self.response_body)},
            "fault": self.fault,
        }


def _decode(raw: bytes) -> Any:
    if not raw:
        return None
    text = raw.decode("utf-8", errors="replace")
    try:
        return json.loads(text)
    except (ValueError, RecursionError):  # not JSON, or nested past what json can read
        return text


class Journal:
    """A bounded, thread-safe record of one tenant's requests (oldest first)."""

    def __init__(self, size: int = JOURNAL_SIZE) -> None:
        self.size = size
        self._entries: deque[JournalEntry] = deque(maxlen=size)

    def record(self, entry: JournalEntry) -> None:
        self._entries.append(entry)  # deque.append is atomic; old entries fall off

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)

    def entries(
        self,
        operation: str | None = None,
        method: str | None = None,
        status: int | None = None,
        fault: str | None = None,
    ) -> list[JournalEntry]:
        """Entries oldest first; each filter given keeps only the entries with that
        operation, method, status, or fault id (the fault or stub that answered them)."""
        found = list(self._entries)
        if fault is not None:
            found = [e for e in found if e.fault == fault]
        if operation is not None:
            found = [e for e in found if e.operation == operation.lower()]
        if method is not None:
            found = [e for e in found if e.method == method.upper()]
        if status is not None:
            found = [e for e in found if e.status == status]
        return found


def filters_from_query(args: Mapping[str, str]) -> dict[str, Any]:
    """The journal filters of an admin API query string
    (`?operation=&method=&status=&fault=`)."""
    filters: dict[str, Any] = {}
    if args.get("fault"):
        filters["fault"] = args["fault"]
    if args.get("operation"):
        filters["operation"] = args["operation"]
    if args.get("method"):
        filters["method"] = args["method"]
    if args.get("status"):
        try:
            filters["status"] = int(args["status"])
        except ValueError:
            raise ValueError(f"status must be an HTTP status code; got {args['status']!r}") \
                from None
    return filters
