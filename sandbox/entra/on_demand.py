"""Provision on demand: one user, at once, in the steps Entra's on-demand page shows.

Microsoft's page "On-demand provisioning" names them: Test connection (shown only when it
fails), Import user, Determine if user is in scope, Match user between source and target
system, Perform action. Each step has a status, a sentence, and details (what was imported,
the scope checks, the accounts matched, the request sent and its answer). A user disabled or
deleted in the directory cannot be provisioned on demand; an unassigned user that was
provisioned is disabled. The state comes back updated, as a cycle's does.
"""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass, field
from typing import Any

from sandbox.entra.directory import DEFAULT_ACCESS, SourceDirectory, SourceUser
from sandbox.entra.log import LogEntry, Status
from sandbox.entra.requests import ScimRequest
from sandbox.entra.responses import ScimAnswer, list_resources
from sandbox.entra.scoping import ALL
from sandbox.entra.sender import Sender
from sandbox.entra.state import ProvisioningState
from sandbox.entra.steps import CycleSteps
from sandbox.entra.users import UserSync

TEST_CONNECTION = "Test connection"
IMPORT_USER = "Import user"
IN_SCOPE = "Determine if user is in scope"
MATCH_USER = "Match user between source and target system"
PERFORM_ACTION = "Perform action"


@dataclass(slots=True)
class OnDemandStep:
    title: str
    status: str  # Success, Failure or Skipped
    summary: str
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class OnDemandResult:
    """The steps run (the run stops at the first that fails or skips), the log entries the
    action wrote, and the state to keep."""

    steps: list[OnDemandStep]
    entries: list[LogEntry]
    state: ProvisioningState

    @property
    def ok(self) -> bool:
        return all(step.status != Status.FAILURE for step in self.steps)

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "steps": [asdict(step) for step in self.steps],
                "entries": [entry.to_dict() for entry in self.entries]}


class _Recorder:
    """The engine as a `Sender`, keeping each request with its answer for the details."""

    def __init__(self, sender: Sender) -> None:
        self.sender = sender
        self.config = sender.config
        self.exchanges: list[tuple[ScimRequest, ScimAnswer]] = []

    @property
    def requests_sent(self) -> int:
        return self.sender.requests_sent

    def send(self, request: ScimRequest) -> ScimAnswer:
        answer = self.sender.send(request)
        self.exchanges.append((request, answer))
        return answer


def find_user(directory: SourceDirectory, who: str) -> SourceUser | None:
    """The user an admin searched for: by userPrincipalName, mail, objectId or display
    name, case aside."""
    wanted = who.strip().lower()
    for user in directory.users:
        if wanted in (user.userPrincipalName.lower(), user.mail.lower(),
                      user.objectId.lower(), user.displayName.lower()):
            return user
    return None


def provision_on_demand(engine: Any, directory: SourceDirectory, who: str,
                        state: ProvisioningState | None = None) -> OnDemandResult:
    """Run the on-demand steps for one user against `engine` (a `ProvisioningEngine`)."""
    working = copy.deepcopy(state) if state is not None else ProvisioningState()
    recorder = _Recorder(engine)
    steps = CycleSteps(recorder, working, working.cycles)
    run = _Run(recorder, steps, UserSync(recorder, steps))
    connection = engine.test_connection()
    if not connection.ok:
        run.add(TEST_CONNECTION, Status.FAILURE, connection.message, connection.to_dict())
    else:
        run.user(directory, who)
    return OnDemandResult(run.done, steps.entries, working)


class _Run:
    def __init__(self, recorder: _Recorder, steps: CycleSteps, users: UserSync) -> None:
        self.recorder = recorder
        self.steps = steps
        self.users = users
        self.config = recorder.config
        self.done: list[OnDemandStep] = []

    def add(self, title: str, status: str, summary: str,
            details: dict[str, Any] | None = None) -> bool:
        self.done.append(OnDemandStep(title, status, summary, details or {}))
        return status == Status.SUCCESS

    def user(self, directory: SourceDirectory, who: str) -> None:
        user = find_user(directory, who)
        values = self.users.values(user) if user is not None and user.active else {}
        if not self._imported(user, who, values):
            return
        assert user is not None
        record = self.users.state.users.get(user.objectId)
        verdict = self.config.scope.verdict(user)
        if not verdict.in_scope:
            if record is None or record.out_of_scope:
                self.add(IN_SCOPE, Status.SKIPPED, verdict.reason, self._scope_details(user))
                return
            self.add(IN_SCOPE, Status.SUCCESS, f"{verdict.reason} The account provisioned "
                     "before is deprovisioned.", self._scope_details(user))
            self.add(MATCH_USER, Status.SUCCESS, "Matched by the anchor kept from an earlier "
                     "provisioning.", {"target_id": record.target_id})
            self._act(lambda: self.users.deprovision(user.objectId, record,
                                                     f"Left scope. {verdict.reason}"))
            return
        self.add(IN_SCOPE, Status.SUCCESS, verdict.reason, self._scope_details(user))
        request, found = self.users.match(user, values)
        if not self._matched(request, found):
            return

        def act() -> None:
            self.users.take(user, values, request, found)
            self.users.references(user)
        self._act(act)

    def _imported(self, user: SourceUser | None, who: str, values: dict[str, Any]) -> bool:
        """The Import user step; `values` are what the mappings give for the user."""
        if user is None or not user.active:
            why = ("is not in the source directory" if user is None else
                   "is disabled or deleted in the source directory")
            return self.add(IMPORT_USER, Status.FAILURE, f"{who!r} {why}: only active users "
                            "can be provisioned on demand.")
        match = self.users.match_row
        if values.get(match.target) is None:
            return self.add(IMPORT_USER, Status.FAILURE, f"The user has no value for the "
                            f"matching attribute {match.source}.")
        imported = {name: value for name, value in asdict(user).items()
                    if value not in (None, "", [])}
        return self.add(IMPORT_USER, Status.SUCCESS, f"Imported {user.displayName} "
                        f"({user.userPrincipalName}) from the source directory.", imported)

    def _scope_details(self, user: SourceUser) -> dict[str, Any]:
        scope = self.config.scope
        return {
            "Active in source system": user.active,
            "Assigned to application": user.assigned,
            "Scope sync all": scope.mode == ALL,
            "User has required role": user.appRole != DEFAULT_ACCESS,
            "Scoping filters": [{"filter": str(f), "passes": f.failing(user) is None}
                                for f in scope.filters],
        }

    def _matched(self, request: ScimRequest | None, found: Any) -> bool:
        details: dict[str, Any] = {"request": _line(request)} if request else {}
        if request is None or found is False:
            last = self.steps.entries[-1] if self.steps.entries else None
            if last is not None:
                details.update(error_code=last.error_code, http_status=last.http_status,
                               detail=last.detail or last.reason)
            return self.add(MATCH_USER, Status.FAILURE, "The match query failed.", details)
        if found is None:
            return self.add(MATCH_USER, Status.SUCCESS, "No account in the target matches: "
                            "one is created.", details)
        answer = self.recorder.exchanges[-1][1]
        details["matched"] = list_resources(answer.body) or []
        return self.add(MATCH_USER, Status.SUCCESS, f"Matched the account {found.get('id')} "
                        "in the target.", details)

    def _act(self, action: Any) -> None:
        first_entry, first_exchange = len(self.steps.entries), len(self.recorder.exchanges)
        action()
        entries = self.steps.entries[first_entry:]
        sent = [{"request": _line(request), "body": request.body,
                 "http_status": answer.http_status, "answer": answer.body}
                for request, answer in self.recorder.exchanges[first_exchange:]]
        if not entries:
            self.add(PERFORM_ACTION, Status.SKIPPED, "Nothing to change: the account is "
                     "already in sync.", {"requests": sent})
            return
        failed = [e for e in entries if e.status == Status.FAILURE]
        status = Status.FAILURE if failed else entries[0].status
        if all(e.status == Status.SKIPPED for e in entries):
            self.add(PERFORM_ACTION, status, "Nothing to change: the account is already in "
                     "sync.", {"action": entries[0].action, "target_id": entries[0].target_id,
                               "requests": sent})
            return
        words = "; ".join(f"{e.action} {e.status.lower()}" + (f" ({e.error_code})"
                                                                 if e.error_code else "")
                          for e in entries)
        self.add(PERFORM_ACTION, status, words + ".",
                 {"action": entries[0].action, "target_id": entries[0].target_id,
                  "requests": sent, "reasons": [e.reason for e in entries if e.reason]})


def _line(request: ScimRequest | None) -> str:
    return f"{request.method} {request.path}" if request else ""
