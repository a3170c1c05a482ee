"""One user's turn in a cycle (or on demand): scope, match, create or update, deprovision,
and the manager reference.

As Microsoft's "How application provisioning works" describes it: a user in scope is matched
on the Matching attribute and created or updated; a user that leaves scope (unassigned, or
failing a scoping filter), is disabled in the directory or is soft-deleted gets an update with
`active` false; only a hard delete in the directory sends a DELETE. For an app that cannot
keep a disabled account (`ProvisioningConfig.soft_delete` false, a `hard_delete_only` rule),
every one of those sends the DELETE at once. A user disabled in the directory is never
created: Entra provisions only active users.

The manager is a reference: it is never part of a create or an attribute update; once both
users exist, Entra sets it with the PATCH its SCIM endpoint tutorial shows
(`requests.set_manager`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sandbox.entra import requests as shapes
from sandbox.entra.directory import SourceUser
from sandbox.entra.log import SKIPPED, Action, Status
from sandbox.entra.mappings import evaluate, for_update, matching_mapping
from sandbox.entra.paths import get_value
from sandbox.entra.requests import Change, ScimRequest, changes_between
from sandbox.entra.responses import ScimAnswer, resource_id
from sandbox.entra.scoping import ScopeVerdict
from sandbox.entra.sender import Sender
from sandbox.entra.state import Provisioned
from sandbox.entra.steps import CycleSteps, Found

NOT_ACTIVE = ("Disabled or deleted in the source directory: Entra provisions only active "
              "users, so the user is skipped.")


class UserSync:
    """The user half of a cycle; matches, fails and logs through the cycle's `steps`."""

    def __init__(self, sender: Sender, steps: CycleSteps) -> None:
        self.sender = sender
        self.steps = steps
        self.config = sender.config
        self.state = steps.state
        self.match_row = matching_mapping(self.config.user_mappings)
        self.reference_rows = [r for r in self.config.user_mappings if r.path.is_reference]

    # What a turn would do --------------------------------------------------------------

    def removes(self, user: SourceUser | None, object_id: str,
                verdict: ScopeVerdict | None = None) -> bool:
        """Whether this user's turn disables or deletes an account (what the accidental
        deletions threshold counts); `verdict` is the user's scope, when already known."""
        record = self.state.users.get(object_id)
        if record is None or record.out_of_scope:
            return False
        if user is None:  # hard-deleted: its account is deleted, disabled before or not
            return True
        if record.values.get("active") is False:
            return False
        verdict = verdict or self.config.scope.verdict(user)
        return not (verdict.in_scope and user.active)

    # A user in the directory -----------------------------------------------------------

    def sync(self, user: SourceUser, verdict: ScopeVerdict | None = None) -> None:
        verdict = verdict or self.config.scope.verdict(user)
        record = self.state.users.get(user.objectId)
        if not verdict.in_scope:
            if record is None:
                self.not_provisioned(user, verdict.reason)
            elif record.values.get("active") is False:
                record.out_of_scope = True  # already disabled: nothing to send
            elif not record.out_of_scope:
                self.deprovision(user.objectId, record, f"Left scope. {verdict.reason}")
            return
        if record is None and not user.active:
            self.not_provisioned(user, NOT_ACTIVE)
            return
        values = self.values(user)
        if record is None:
            self.provision(user, values)
            return
        record.display_name = user.displayName
        record.out_of_scope = False
        if not user.active and not self.config.soft_delete:
            self.delete(user.objectId, "Disabled or soft-deleted in the source directory; "
                                       "the application keeps no disabled accounts.")
            return
        self.update(user, record, values)

    def not_provisioned(self, user: SourceUser, reason: str) -> None:
        """A user not to be provisioned: skipped (reported once); a create that failed
        before is not retried any more."""
        self.state.escrow.pop(user.objectId, None)
        self.steps.skip_once("User", user.objectId, user.displayName, reason)

    def values(self, user: SourceUser) -> dict[str, Any]:
        """What the mappings give for this user, references left out (see `references`)."""
        return {row.target: evaluate(row, user) for row in self.config.user_mappings
                if not row.path.is_reference}

    def update(self, user: SourceUser, record: Provisioned, values: dict[str, Any],
               request: ScimRequest | None = None) -> None:
        """Send what changed; a match `request` given: log an in-sync skip when nothing did."""
        changes = changes_between(record.values, for_update(self.config.user_mappings, values))
        if changes:
            self.patch(user.objectId, record, changes, _action(changes))
        elif request is not None:
            self.steps.log("User", user.objectId, user.displayName, Action.SKIP,
                           Status.SKIPPED, target_id=record.target_id, request=request,
                           reason=f"{SKIPPED}: matched an account that is already in sync.")

    def match(self, user: SourceUser, values: dict[str, Any]) -> tuple[ScimRequest | None,
                                                                        Found]:
        """The match query on the Matching attribute and what it found; (None, False) when
        the user has no value to match on (logged as a skip)."""
        key = values.get(self.match_row.target)
        if key is None:
            self.steps.skip_once("User", user.objectId, user.displayName,
                                 f"The matching attribute {self.match_row.source} is empty.")
            return None, False
        request = shapes.match_user(self.match_row.target, str(key))
        return request, self.steps.match("User", user.objectId, user.displayName, request)

    def provision(self, user: SourceUser, values: dict[str, Any]) -> None:
        self.state.reported.discard(user.objectId)
        request, found = self.match(user, values)
        self.take(user, values, request, found)

    def take(self, user: SourceUser, values: dict[str, Any], request: ScimRequest | None,
             found: Found) -> None:
        """Act on a match: anchor and update what was found, create when nothing was."""
        if request is not None and isinstance(found, dict):
            record = self.steps.anchor("User", user.objectId, user.displayName, request,
                                       found, values)
            if record is not None:
                # The manager the account already has, so that the right one is not sent
                # again (the SCIM tutorial's Example 4: Entra checks a reference first).
                record.values.update({row.target: get_value(found, row.path)
                                      for row in self.reference_rows})
                self.state.users[user.objectId] = record
                self.update(user, record, values, request)
        elif found is None:
            self.create(user, values)

    def create(self, user: SourceUser, values: dict[str, Any]) -> None:
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

    def patch(self, object_id: str, record: Provisioned, changes: list[Change],
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

    # Leaving -----------------------------------------------------------------------------

    def deprovision(self, object_id: str, record: Provisioned, reason: str) -> None:
        """Out of scope: disable the account, or delete it where the app keeps no disabled
        accounts. Once disabled, the account is left to the app (`out_of_scope`)."""
        if not self.config.soft_delete:
            self.delete(object_id, f"{reason} The application keeps no disabled accounts.")
            return
        if any(row.target == "active" for row in self.config.user_mappings):
            self.patch(object_id, record, [Change("active", True, False)], Action.DISABLE,
                       reason)
            if record.values.get("active") is not False:
                return  # failed: held in escrow, tried again by the next cycle
        else:  # no mapping to `active`: Entra has nothing to send (and never deletes here)
            self.steps.log("User", object_id, record.display_name, Action.SKIP,
                           Status.SKIPPED, target_id=record.target_id,
                           reason=f"{reason} Nothing is mapped to active, so the account "
                                  "is left as it is.")
        record.out_of_scope = True

    def gone(self, object_id: str) -> None:
        """Hard-deleted from the directory: DELETE, unless the user had left scope and was
        disabled then (Entra manages it no more)."""
        record = self.state.users[object_id]
        if record.out_of_scope:
            del self.state.users[object_id]
            return
        self.delete(object_id, "Deleted from the source directory.")

    def delete(self, object_id: str, reason: str) -> None:
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
                       reason=reason)

    # References --------------------------------------------------------------------------

    def references(self, user: SourceUser) -> None:
        """Set or clear the manager once both accounts exist (a later cycle adds a manager
        provisioned after its report)."""
        record = self.state.users.get(user.objectId)
        if record is None or record.out_of_scope or not user.active:
            return
        for row in self.reference_rows:
            source = evaluate(row, user)
            manager = self.state.users.get(source) if source is not None else None
            wanted = manager.target_id if manager is not None else None
            if source is not None and manager is None:
                continue  # not provisioned (yet): nothing to point at
            if wanted == record.values.get(row.target):
                continue
            self._send_reference(user, record, row.target, wanted)

    def _send_reference(self, user: SourceUser, record: Provisioned, target: str,
                        wanted: str | None) -> None:
        if wanted is None:
            request = shapes.remove_manager(record.target_id, self.config.compliant)
        else:
            request = shapes.set_manager(record.target_id, wanted, self.config.tenant_url,
                                         self.config.compliant)
        answer: ScimAnswer = self.sender.send(request)
        if not answer.ok:
            self.steps.fail("User", user.objectId, user.displayName, Action.UPDATE, request,
                            answer, target_id=record.target_id, anchored=True,
                            reference=True)
            return
        record.values[target] = wanted
        self.steps.log("User", user.objectId, user.displayName, Action.UPDATE, Status.SUCCESS,
                       target_id=record.target_id, request=request, answer=answer,
                       reason="Manager " + ("set." if wanted else "cleared."))


def _action(changes: Sequence[Change]) -> str:
    """Disable when the update turns `active` off (the journal's "disable user" too)."""
    active = next((c for c in changes if c.path == "active"), None)
    return Action.DISABLE if active is not None and active.new is False else Action.UPDATE
