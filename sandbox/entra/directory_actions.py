"""The changes an admin makes to one user of the source directory between cycles, named
once for the CLI (`simulate --change soft-delete:USER`) and the console's buttons.

Each says when it applies to a user, what it does, and how the pending changes word it;
what Entra's next cycle then sends is `users.py`'s to decide (Microsoft's "How application
provisioning works", deprovisioning).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sandbox.entra.directory import SourceDirectory, SourceUser


@dataclass(frozen=True, slots=True)
class DirectoryAction:
    name: str  # as typed: "soft-delete"
    label: str  # as a button says it: "Soft delete"
    applies: Callable[[SourceUser], bool]
    change: Callable[[SourceDirectory, str], SourceUser]
    words: str  # what was done; "{upn}" is the user's userPrincipalName

    def apply(self, directory: SourceDirectory, user: SourceUser) -> str:
        """Make the change; what was done, in words."""
        self.change(directory, user.objectId)
        return self.words.format(upn=user.userPrincipalName)


DIRECTORY_ACTIONS: dict[str, DirectoryAction] = {action.name: action for action in (
    DirectoryAction("disable", "Disable", lambda u: u.accountEnabled, SourceDirectory.disable,
                    "disabled {upn} (sign-in blocked)"),
    DirectoryAction("enable", "Enable", lambda u: not u.accountEnabled,
                    SourceDirectory.enable, "enabled {upn}"),
    DirectoryAction("soft-delete", "Soft delete", lambda u: not u.softDeleted,
                    SourceDirectory.soft_delete, "soft-deleted {upn} (in the recycle bin)"),
    DirectoryAction("restore", "Restore", lambda u: u.softDeleted, SourceDirectory.restore,
                    "restored {upn} from the recycle bin"),
    DirectoryAction("hard-delete", "Hard delete", lambda u: True, SourceDirectory.hard_delete,
                    "deleted {upn} from the directory for good"),
    DirectoryAction("unassign", "Unassign", lambda u: u.assigned, SourceDirectory.unassign,
                    "unassigned {upn} from the application"),
    DirectoryAction("assign", "Assign", lambda u: not u.assigned, SourceDirectory.assign,
                    "assigned {upn} to the application"),
)}


def sample_changes(directory: SourceDirectory) -> list[str]:
    """The changes `simulate --cycles` makes before each further cycle, each to another
    assigned, active user while there is one: unassign, disable, rename, hard delete.
    Returns what was done, in words."""
    candidates = [u for u in directory.in_scope_users() if u.active]
    done: list[str] = []
    for user, name in zip(candidates, ("unassign", "disable", "rename", "hard-delete"),
                          strict=False):
        if name == "rename":
            renamed = directory.rename(user.objectId, user.givenName, f"{user.surname}-Renamed")
            done.append(f"renamed {user.userPrincipalName} to {renamed.displayName!r}")
        else:
            done.append(DIRECTORY_ACTIONS[name].apply(directory, user))
    return done
