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
from typing import Any

from sandbox.entra import requests as shapes
from sandbox.entra.directory import DEFAULT_ACCESS, SourceDirectory, SourceUser
from sandbox.entra.groups import GroupSync
from sandbox.entra.log import SKIPPED, Action, Status
from sandbox.entra.mappings import evaluate, for_update, matching_mapping
from sandbox.entra.requests import Change, changes_between
from sandbox.entra.responses import resource_id
from sandbox.entra.sender import Sender
from sandbox.entra.state import CycleResult, Provisioned, ProvisioningState
from sandbox.entra.steps import CycleSteps

# Steps done, steps in all, the name of the object just done.
CycleProgress = Callable[[int, int, str], None]


class Cycle:
    """One run through the directory; the log is kept by `steps`, which `GroupSync` shares
    for its match and failure steps."""

    def __init__(self, sender: Sender, state: ProvisioningState,
                 progress: CycleProgress | None) -> None:
        self.sender = sender
        self.config = sender.config
        self.state = state
        self.progress = progress
        self.number = state.cycles + 1
        self.steps = CycleSteps(sender, state, self.number)
        self.first_request = sender.requests_sent
        self.user_match = matching_mapping(self.config.user_mappings)
        self.groups = GroupSync(sender, self.steps)

    def run(self, directory: SourceDirectory) -> CycleResult:
        present = {u.objectId for u in directory.users}
        gone = [oid for oid in self.state.users if oid not in present]
        todo: list[tuple[str, Callable[[], None]]] = [
            *((u.displayName, partial(self._user, u)) for u in directory.users),
            *((self.state.users[o].display_name, partial(self._delete_user, o)) for o in gone),
            *self.groups.todo(directory),
        ]
        for done, (name, step) in enumerate(todo, start=1):
            step()
            if self.progress is not None:
                self.progress(done, len(todo), name)
        self.state.cycles = self.number
        return CycleResult(self.number, self.steps.entries, self.state,
                           self.sender.requests_sent - self.first_request)

    # Users -----------------------------------------------------------------------------

    def _user(self, user: SourceUser) -> None:
        record = self.state.users.get(user.objectId)
        if not user.in_scope:
            if record is None:
                self.steps.skip_once("User", user.objectId, user.displayName, _scope_reason(user))
            elif record.values.get("active") is not False:
                self._patch_user(user.objectId, record, [Change("active", True, False)],
                                 Action.DISABLE, f"Left scope: {_scope_reason(user)}")
            return
        values = self._user_values(user)
        if record is None:
            self._provision_user(user, values)
            return
        record.display_name = user.displayName
        changes = changes_between(record.values, for_update(self.config.user_mappings, values))
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
            self.steps.skip_once("User", user.objectId, user.displayName,
                                 f"The matching attribute {self.user_match.source} is empty.")
            return
        request = shapes.match_user(self.user_match.target, str(key))
        found = self.steps.match("User", user.objectId, user.displayName, request)
        if isinstance(found, dict):
            record = self.steps.anchor("User", user.objectId, user.displayName, request,
                                       found, values)
            if record is None:
                return
            self.state.users[user.objectId] = record
            changes = changes_between(record.values,
                                      for_update(self.config.user_mappings, values))
            if changes:
                self._patch_user(user.objectId, record, changes, _user_action(changes))
            else:
                self.steps.log("User", user.objectId, user.displayName, Action.SKIP,
                               Status.SKIPPED, target_id=record.target_id, request=request,
                               reason=f"{SKIPPED}: matched an account that is already in sync.")
        elif found is None:
            self._create_user(user, values)

    def _create_user(self, user: SourceUser, values: dict[str, Any]) -> None:
        request = shapes.create_user(values)
        answer = self.sender.send(request)
        target_id = resource_id(answer)
        if not answer.ok or target_id is None:
            self.steps.fail("User", user.objectId, user.displayName, Action.CREATE, request,
                            answer)
            return
        self.state.users[user.objectId] = Provisioned(target_id, user.displayName, values)
        self.steps.log("User", user.objectId, user.displayName, Action.CREATE, Status.SUCCESS,
                       target_id=target_id, request=request, answer=answer)

    def _patch_user(self, object_id: str, record: Provisioned, changes: list[Change],
                    action: str, reason: str | None = None) -> None:
        request = shapes.update_user(record.target_id, changes, self.config.compliant)
        answer = self.sender.send(request)
        if not answer.ok:
            self.steps.fail("User", object_id, record.display_name, action, request, answer,
                            target_id=record.target_id, anchored=True)
            return
        record.values.update({c.path: c.new for c in changes})
        if reason is None:
            reason = "Changed: " + ", ".join(c.path for c in changes)
            if action == Action.DISABLE:
                reason = f"The account is disabled in the source directory. {reason}"
        self.steps.log("User", object_id, record.display_name, action, Status.SUCCESS,
                       target_id=record.target_id, request=request, answer=answer,
                       reason=reason)

    def _delete_user(self, object_id: str) -> None:
        record = self.state.users[object_id]
        request = shapes.delete_user(record.target_id)
        answer = self.sender.send(request)
        if not answer.ok:
            self.steps.fail("User", object_id, record.display_name, Action.DELETE, request,
                            answer, target_id=record.target_id, anchored=True)
            return
        del self.state.users[object_id]
        for group in self.state.groups.values():  # the endpoint drops its memberships
            if record.target_id in group.members:
                group.members.remove(record.target_id)
        self.steps.log("User", object_id, record.display_name, Action.DELETE, Status.SUCCESS,
                       target_id=record.target_id, request=request, answer=answer,
                       reason="Deleted from the source directory.")


def _user_action(changes: Sequence[Change]) -> str:
    """Disable when the update turns `active` off (the journal's "disable user" too)."""
    active = next((c for c in changes if c.path == "active"), None)
    return Action.DISABLE if active is not None and active.new is False else Action.UPDATE


def _scope_reason(user: SourceUser) -> str:
    if user.appRole == DEFAULT_ACCESS:
        return ("Assigned with the Default Access role, which doesn't provision: the user "
                "is out of scope and skipped.")
    return "Not assigned to the application, so outside the provisioning scope."
