"""One provisioning cycle: the users, then (in `groups.py`) the groups.

The sequence is the one the five tutorials and Microsoft's "How application provisioning
works" describe: per assigned user a match query on the Matching attribute (userName by
default) and a create or an update; users with the Default Access role skipped; an account
that is disabled at the source or left scope disabled with PATCH `active`; a user deleted
from the directory deleted. The state holds the anchors and the last exported values, so an
incremental cycle sends only what changed and nothing at all for an unchanged user.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from sandbox.entra import requests as shapes
from sandbox.entra.directory import DEFAULT_ACCESS, SourceDirectory, SourceUser
from sandbox.entra.groups import GroupSync
from sandbox.entra.log import (
    DUPLICATE_TARGETS,
    SERVICE_INCOMPATIBLE,
    SKIPPED,
    Action,
    LogEntry,
    Status,
    error_code,
)
from sandbox.entra.mappings import evaluate, matching_mapping
from sandbox.entra.paths import get_value, parse_path
from sandbox.entra.requests import Change, ScimRequest, changes_between
from sandbox.entra.responses import Outcome, list_resources, resource_id
from sandbox.entra.state import CycleResult, Provisioned, ProvisioningState

if TYPE_CHECKING:
    from sandbox.entra.engine import ProvisioningEngine

Progress = Callable[[int, int, str], None]
Found = dict[str, Any] | bool | None  # a match: the resource, None for none, False: failed


class Cycle:
    """One run through the directory; keeps the log as it goes. `GroupSync` shares its log
    and its match and failure steps."""

    def __init__(self, engine: ProvisioningEngine, state: ProvisioningState,
                 progress: Progress | None) -> None:
        self.engine = engine
        self.config = engine.config
        self.state = state
        self.progress = progress
        self.number = state.cycles + 1
        self.entries: list[LogEntry] = []
        self.first_request = engine.requests_sent
        self.user_match = matching_mapping(self.config.user_mappings)
        self.groups = GroupSync(self)

    def run(self, directory: SourceDirectory) -> CycleResult:
        present = {u.objectId for u in directory.users}
        gone = [oid for oid in self.state.users if oid not in present]
        steps: list[tuple[str, Callable[[], None]]] = [
            *((u.displayName, partial(self._user, u)) for u in directory.users),
            *((self.state.users[o].display_name, partial(self._delete_user, o)) for o in gone),
            *self.groups.steps(directory),
        ]
        for done, (name, step) in enumerate(steps, start=1):
            step()
            if self.progress is not None:
                self.progress(done, len(steps), name)
        self.state.cycles = self.number
        return CycleResult(self.number, self.entries, self.state,
                           self.engine.requests_sent - self.first_request)

    # Users -----------------------------------------------------------------------------

    def _user(self, user: SourceUser) -> None:
        record = self.state.users.get(user.objectId)
        if not user.in_scope:
            if record is None:
                self.skip_once("User", user.objectId, user.displayName, _scope_reason(user))
            elif record.values.get("active") is not False:
                self._patch_user(user.objectId, record, [Change("active", True, False)],
                                 Action.DISABLE, f"Left scope: {_scope_reason(user)}")
            return
        values = self._user_values(user)
        if record is None:
            self._provision_user(user, values)
            return
        record.display_name = user.displayName
        changes = changes_between(record.values, values)
        if changes:
            self._patch_user(user.objectId, record, changes, _user_action(changes))

    def _user_values(self, user: SourceUser) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for row in self.config.user_mappings:
            value = evaluate(row, user)
            if value is not None and row.path.is_reference:
                # A reference is exported as the target's id; a manager not provisioned yet
                # is left out and added by a later cycle, once it exists.
                manager = self.state.users.get(value)
                value = manager.target_id if manager is not None else None
            values[row.target] = value
        return values

    def _provision_user(self, user: SourceUser, values: dict[str, Any]) -> None:
        self.state.reported.discard(user.objectId)
        key = values.get(self.user_match.target)
        if key is None:
            self.skip_once("User", user.objectId, user.displayName,
                           f"The matching attribute {self.user_match.source} is empty.")
            return
        request = shapes.match_user(self.user_match.target, str(key))
        found = self.match("User", user.objectId, user.displayName, request)
        if isinstance(found, dict):
            record = self.anchor("User", user.objectId, user.displayName, request, found,
                                 values)
            if record is None:
                return
            self.state.users[user.objectId] = record
            changes = changes_between(record.values, values)
            if changes:
                self._patch_user(user.objectId, record, changes, _user_action(changes))
            else:
                self.log("User", user.objectId, user.displayName, Action.SKIP, Status.SKIPPED,
                         target_id=record.target_id, request=request,
                         reason=f"{SKIPPED}: matched an account that is already in sync.")
        elif found is None:
            self._create_user(user, values)

    def _create_user(self, user: SourceUser, values: dict[str, Any]) -> None:
        request = shapes.create_user(values)
        outcome = self.engine.send(request)
        target_id = resource_id(outcome)
        if not outcome.ok or target_id is None:
            self.fail("User", user.objectId, user.displayName, Action.CREATE, request, outcome)
            return
        self.state.users[user.objectId] = Provisioned(target_id, user.displayName, values)
        self.log("User", user.objectId, user.displayName, Action.CREATE, Status.SUCCESS,
                 target_id=target_id, request=request, outcome=outcome)

    def _patch_user(self, object_id: str, record: Provisioned, changes: list[Change],
                    action: str, reason: str | None = None) -> None:
        request = shapes.update_user(record.target_id, changes, self.config.compliant)
        outcome = self.engine.send(request)
        if not outcome.ok:
            self.fail("User", object_id, record.display_name, action, request, outcome,
                      target_id=record.target_id, anchored=True)
            return
        record.values.update({c.path: c.new for c in changes})
        if reason is None:
            reason = "Changed: " + ", ".join(c.path for c in changes)
            if action == Action.DISABLE:
                reason = f"The account is disabled in the source directory. {reason}"
        self.log("User", object_id, record.display_name, action, Status.SUCCESS,
                 target_id=record.target_id, request=request, outcome=outcome, reason=reason)

    def _delete_user(self, object_id: str) -> None:
        record = self.state.users[object_id]
        request = shapes.delete_user(record.target_id)
        outcome = self.engine.send(request)
        if not outcome.ok:
            self.fail("User", object_id, record.display_name, Action.DELETE, request, outcome,
                      target_id=record.target_id, anchored=True)
            return
        del self.state.users[object_id]
        for group in self.state.groups.values():  # the endpoint drops its memberships
            if record.target_id in group.members:
                group.members.remove(record.target_id)
        self.log("User", object_id, record.display_name, Action.DELETE, Status.SUCCESS,
                 target_id=record.target_id, request=request, outcome=outcome,
                 reason="Deleted from the source directory.")

    # Steps users and groups share --------------------------------------------------------

    def match(self, kind: str, object_id: str, name: str, request: ScimRequest,
              outcome: Outcome | None = None) -> Found:
        """Send a match query (unless its `outcome` is given) and read it: the one resource
        found, None for none, False after a failure (logged)."""
        if outcome is None:
            outcome = self.engine.send(request)
        if not outcome.ok:
            self.fail(kind, object_id, name, Action.OTHER, request, outcome)
            return False
        resources = list_resources(outcome.body)
        if resources is None or not all(isinstance(r, dict) for r in resources):
            self.incompatible(kind, object_id, name, request,
                              "The match query's answer is not a SCIM ListResponse.")
            return False
        if len(resources) > 1:
            self.fail(kind, object_id, name, Action.OTHER, request, outcome,
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
             outcome: Outcome, *, target_id: str | None = None, anchored: bool = False,
             code: str | None = None, reason: str | None = None) -> None:
        if code is None:
            code = error_code(outcome, anchored=anchored, timeout=outcome.timed_out)
            if outcome.ok:
                reason = reason or "The answer has no resource id."
        self.log(kind, object_id, name, action, Status.FAILURE, target_id=target_id,
                 request=request, outcome=outcome, code=code, reason=reason)

    def log(self, kind: str, object_id: str, name: str, action: str, status: str, *,
            target_id: str | None = None, request: ScimRequest | None = None,
            outcome: Outcome | None = None, code: str | None = None,
            reason: str | None = None) -> None:
        self.entries.append(LogEntry(
            time=self.config.clock().isoformat(timespec="seconds"),
            object_type=kind, source_id=object_id, display_name=name, action=action,
            status=status, target_id=target_id,
            method=request.method if request else None,
            path=request.path if request else None,
            http_status=outcome.http_status if outcome else None,
            error_code=code,
            scim_status=outcome.scim_status if outcome else None,
            scim_type=outcome.scim_type if outcome else None,
            detail=outcome.detail if outcome else None,
            reason=reason, cycle=self.number,
        ))


def _user_action(changes: Sequence[Change]) -> str:
    """Disable when the update turns `active` off (the journal's "disable user" too)."""
    active = next((c for c in changes if c.path == "active"), None)
    return Action.DISABLE if active is not None and active.new is False else Action.UPDATE


def _scope_reason(user: SourceUser) -> str:
    if user.appRole == DEFAULT_ACCESS:
        return ("Assigned with the Default Access role, which doesn't provision: the user "
                "is out of scope and skipped.")
    return "Not assigned to the application: the user is out of scope."
