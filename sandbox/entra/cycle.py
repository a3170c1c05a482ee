"""One provisioning cycle: the users (`users.py`), their managers, then the groups
(`groups.py`), and what the cycle leaves the job in: escrows and quarantine
(`quarantine.py`).

The sequence is the one the five tutorials and Microsoft's "How application provisioning
works" describe. The state holds the anchors and the last exported values, so an incremental
cycle sends only what changed and nothing at all for an unchanged user. Before anything is
sent, the cycle counts the disables and deletes it would make: above the accidental deletions
threshold they are staged (logged, not sent) and the job goes into quarantine.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from sandbox.entra.directory import SourceDirectory, SourceUser
from sandbox.entra.groups import GroupSync
from sandbox.entra.log import Action, Status
from sandbox.entra.quarantine import judge
from sandbox.entra.sender import Sender
from sandbox.entra.state import CycleResult, ProvisioningState
from sandbox.entra.steps import CycleSteps, Step
from sandbox.entra.users import UserSync

# Steps done, steps in all, the name of the object just done.
CycleProgress = Callable[[int, int, str], None]


class Cycle:
    """One run through the directory; the log is kept by `steps`, which the user and group
    halves share."""

    def __init__(self, sender: Sender, state: ProvisioningState,
                 progress: CycleProgress | None) -> None:
        self.sender = sender
        self.config = sender.config
        self.state = state
        self.progress = progress
        self.number = state.cycles + 1
        self.steps = CycleSteps(sender, state, self.number)
        self.first_request = sender.requests_sent
        self.users = UserSync(sender, self.steps)
        self.groups = GroupSync(sender, self.steps)

    def run(self, directory: SourceDirectory) -> CycleResult:
        todo = [*self._user_steps(directory), *self.groups.todo(directory)]
        staged = self._staged(todo)
        for done, step in enumerate(todo, start=1):
            if staged and step.removes:
                self.steps.log(step.kind, step.object_id, step.name, Action.STAGED_DELETE,
                               Status.SKIPPED, reason=_STAGED)
            else:
                step.run()
            if self.progress is not None:
                self.progress(done, len(todo), step.name)
        self._forget_escrows(directory)
        self.state.cycles = self.number
        self.state.quarantine = judge(self.steps.entries, self.state.escrow, staged,
                                      self.config.quarantine_policy, self.state.quarantine,
                                      self.config.clock())
        return CycleResult(self.number, self.steps.entries, self.state,
                           self.sender.requests_sent - self.first_request, staged)

    def _user_steps(self, directory: SourceDirectory) -> list[Step]:
        present = {u.objectId for u in directory.users}
        gone = [oid for oid in self.state.users if oid not in present]
        steps = [
            *(self._user_step(u) for u in directory.users),
            *(Step(self.state.users[o].display_name, partial(self.users.gone, o), "User", o,
                   self.users.removes(None, o)) for o in gone),
        ]
        if self.users.reference_rows:  # managers, once every account exists
            steps += [Step(u.displayName, partial(self.users.references, u), "User",
                           u.objectId) for u in directory.users]
        return steps

    def _user_step(self, user: SourceUser) -> Step:
        """A user's turn, its scope judged once for the threshold's count and the turn."""
        verdict = self.config.scope.verdict(user)
        return Step(user.displayName, partial(self.users.sync, user, verdict), "User",
                    user.objectId, self.users.removes(user, user.objectId, verdict))

    def _staged(self, todo: list[Step]) -> int:
        """The removals held back this cycle: all of them when they pass the threshold and
        the admin has not allowed them (an allowance serves one cycle)."""
        removals = sum(1 for step in todo if step.removes)
        threshold = self.config.quarantine_policy.deletion_threshold
        allowed = self.state.allow_deletes
        self.state.allow_deletes = False
        if threshold is None or allowed or removals <= threshold:
            return 0
        return removals

    def _forget_escrows(self, directory: SourceDirectory) -> None:
        """An object gone from the directory and never provisioned has nothing to retry."""
        known = {u.objectId for u in directory.users} | {g.objectId for g in directory.groups}
        known |= self.state.users.keys() | self.state.groups.keys()
        for object_id in [o for o in self.state.escrow if o not in known]:
            del self.state.escrow[object_id]


_STAGED = ("Staged: this cycle's disables and deletes pass the accidental deletions "
           "threshold; allow the deletes to send them.")
