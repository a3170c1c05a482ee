"""What `simulate` reads from its options besides credentials and vendor: the Scope and
scoping filters, the accidental deletions threshold, and the directory changes made before
the second cycle (`--change ACTION:USER`)."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass

import click

from sandbox.entra import SourceDirectory
from sandbox.entra.directory_actions import DIRECTORY_ACTIONS
from sandbox.entra.on_demand import find_user
from sandbox.entra.quarantine import QuarantinePolicy
from sandbox.entra.scoping import Scope, ScopeError


@dataclass(frozen=True, slots=True)
class DirectoryChange:
    action: str
    who: str

    def apply(self, directory: SourceDirectory) -> str:
        user = find_user(directory, self.who)
        if user is None:
            known = ", ".join(u.userPrincipalName for u in directory.users[:3])
            raise click.BadParameter(f"no user {self.who!r} in the source directory (its "
                                     f"users are e.g. {known}; --seed and --users shape it).",
                                     param_hint="--change")
        action = DIRECTORY_ACTIONS[self.action]
        if not action.applies(user):
            raise click.BadParameter(f"{action.label} does not apply to "
                                     f"{user.userPrincipalName} as the directory has the user "
                                     "then.", param_hint="--change")
        return action.apply(directory, user)


def check_changes(directory: SourceDirectory, changes: Sequence[DirectoryChange]) -> None:
    """Make the changes, in order, on a copy of the directory: a change that names no user
    or does not fit the user as the changes before it leave them is a usage error before
    any request is sent, not after the first cycle."""
    trial = copy.deepcopy(directory)
    for change in changes:
        change.apply(trial)


def read_changes(values: Sequence[str]) -> list[DirectoryChange]:
    changes = []
    for value in values:
        action, _, who = value.partition(":")
        if action.lower() not in DIRECTORY_ACTIONS or not who.strip():
            raise click.BadParameter(f"{value!r} is not ACTION:USER; ACTION is one of "
                                     f"{', '.join(DIRECTORY_ACTIONS)}, e.g. "
                                     "unassign:ann@contoso.com.", param_hint="--change")
        changes.append(DirectoryChange(action.lower(), who.strip()))
    return changes


def read_scope(mode: str, filters: Sequence[str]) -> Scope:
    try:
        return Scope.parse(mode, filters)
    except ScopeError as error:
        raise click.BadParameter(str(error), param_hint="--scope-filter") from None


def read_policy(threshold: int) -> QuarantinePolicy:
    """0 clears Prevent accidental deletions."""
    return QuarantinePolicy(deletion_threshold=threshold or None)
