"""The steps users and groups share in a cycle: the match query and taking over what it
found, the skip reported once, the failures, and the log they all write to."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sandbox.entra.log import (
    DUPLICATE_TARGETS,
    SERVICE_INCOMPATIBLE,
    Action,
    LogEntry,
    Status,
    error_code,
)
from sandbox.entra.paths import get_value, parse_path
from sandbox.entra.quarantine import record_failure
from sandbox.entra.requests import ScimRequest
from sandbox.entra.responses import ScimAnswer, list_resources
from sandbox.entra.sender import Sender
from sandbox.entra.state import Provisioned, ProvisioningState

Found = dict[str, Any] | bool | None  # a match: the resource, None for none, False: failed


@dataclass(frozen=True, slots=True)
class Step:
    """One object's turn in a cycle: the name progress shows, what to run, the object, and
    whether it disables or deletes an account (what the deletions threshold counts)."""

    name: str
    run: Callable[[], None]
    kind: str
    object_id: str
    removes: bool = False


class CycleSteps:
    """One cycle's log (`entries`) and the steps that write to it."""

    def __init__(self, sender: Sender, state: ProvisioningState, number: int) -> None:
        self.sender = sender
        self.config = sender.config
        self.state = state
        self.number = number
        self.entries: list[LogEntry] = []

    def match(self, kind: str, object_id: str, name: str, request: ScimRequest,
              answer: ScimAnswer | None = None) -> Found:
        """Send a match query (unless its `answer` is given) and read it: the one resource
        found, None for none, False after a failure (logged)."""
        if answer is None:
            answer = self.sender.send(request)
        if not answer.ok:
            self.fail(kind, object_id, name, Action.OTHER, request, answer)
            return False
        resources = list_resources(answer.body)
        if resources is None or not all(isinstance(r, dict) for r in resources):
            self.incompatible(kind, object_id, name, request,
                              "The match query's answer is not a SCIM ListResponse.")
            return False
        if len(resources) > 1:
            self.fail(kind, object_id, name, Action.OTHER, request, answer,
                      code=DUPLICATE_TARGETS,
                      reason=f"{len(resources)} accounts match {request.path}.")
            return False
        return resources[0] if resources else None

    def anchor(self, kind: str, object_id: str, name: str, request: ScimRequest,
               found: dict[str, Any], values: dict[str, Any]) -> Provisioned | None:
        """Take over a matched resource: its id, and its current values of the mapped
        attributes (so that only the differences are sent)."""
        target_id = found.get("id")
        if not isinstance(target_id, str | int) or target_id == "":
            self.incompatible(kind, object_id, name, request, "The matched resource has no id.")
            return None
        current = {path: get_value(found, parse_path(path)) for path in values}
        return Provisioned(str(target_id), name, current)

    def skip_once(self, kind: str, object_id: str, name: str, reason: str) -> None:
        """Log a skip, once per object: Entra does not repeat it for an unchanged object."""
        if object_id in self.state.reported:
            return
        self.state.reported.add(object_id)
        self.log(kind, object_id, name, Action.SKIP, Status.SKIPPED, reason=reason)

    def incompatible(self, kind: str, object_id: str, name: str, request: ScimRequest,
                     reason: str) -> None:
        self.log(kind, object_id, name, Action.OTHER, Status.FAILURE, request=request,
                 code=SERVICE_INCOMPATIBLE, reason=reason)

    def fail(self, kind: str, object_id: str, name: str, action: str, request: ScimRequest,
             answer: ScimAnswer, *, target_id: str | None = None, anchored: bool = False,
             code: str | None = None, reason: str | None = None,
             reference: bool = False) -> None:
        """Log a failure; the action goes into escrow, to be retried by the next cycle."""
        if code is None:
            code = error_code(answer, anchored=anchored, timeout=answer.timed_out)
            if answer.ok:
                reason = reason or "The answer has no resource id."
        self.log(kind, object_id, name, action, Status.FAILURE, target_id=target_id,
                 request=request, answer=answer, code=code, reason=reason)
        record_failure(self.state.escrow, self.entries[-1], reference)

    def log(self, kind: str, object_id: str, name: str, action: str, status: str, *,
            target_id: str | None = None, request: ScimRequest | None = None,
            answer: ScimAnswer | None = None, code: str | None = None,
            reason: str | None = None) -> None:
        self.entries.append(LogEntry(
            time=self.config.clock().isoformat(timespec="seconds"),
            object_type=kind, source_id=object_id, display_name=name, action=action,
            status=status, target_id=target_id,
            method=request.method if request else None,
            path=request.path if request else None,
            http_status=answer.http_status if answer else None,
            error_code=code,
            scim_status=answer.scim_status if answer else None,
            scim_type=answer.scim_type if answer else None,
            detail=answer.detail if answer else None,
            reason=reason, cycle=self.number,
            retry=held.attempts if (held := self.state.escrow.get(object_id)) else 0,
        ))
        if status == Status.SUCCESS:
            self.state.escrow.pop(object_id, None)
