"""What the provisioning service remembers between cycles.

Entra keeps, per source object, the anchor of the account it created or matched (the target
`id`) and what it last exported, which is why an incremental cycle "processes only the
changes" (Microsoft's "How application provisioning works": initial and incremental cycles)
and why a user that left scope can be disabled without another match query. This module is
that memory, as plain data that survives a JSON round trip (the console keeps it between two
button presses).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sandbox.entra.log import LogEntry, Status
from sandbox.entra.quarantine import Escrowed, Quarantine


@dataclass(slots=True)
class Provisioned:
    """One source object's account in the target: its id, the last values exported by SCIM
    path, and for a group the target ids of the members added."""

    target_id: str
    display_name: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    members: list[str] = field(default_factory=list)
    # Disabled because it left scope: Entra manages it no more, so a later hard delete in
    # the directory sends nothing (its return to scope enables it again).
    out_of_scope: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"target_id": self.target_id, "display_name": self.display_name,
                "values": dict(self.values), "members": list(self.members),
                "out_of_scope": self.out_of_scope}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Provisioned:
        return cls(str(data["target_id"]), str(data.get("display_name", "")),
                   dict(data.get("values", {})), list(data.get("members", [])),
                   bool(data.get("out_of_scope", False)))


@dataclass(slots=True)
class ProvisioningState:
    """The anchors by source objectId, what was already reported as skipped (Entra does not
    repeat a skip for an unchanged object), whether the endpoint has /Groups, cycles run."""

    users: dict[str, Provisioned] = field(default_factory=dict)
    groups: dict[str, Provisioned] = field(default_factory=dict)
    reported: set[str] = field(default_factory=set)
    groups_supported: bool | None = None
    cycles: int = 0
    # Failed actions awaiting their retry, by source objectId; the job's quarantine; and the
    # admin's "Allow deletes", good for the next cycle.
    escrow: dict[str, Escrowed] = field(default_factory=dict)
    quarantine: Quarantine | None = None
    allow_deletes: bool = False

    def restarted(self) -> ProvisioningState:
        """Restart provisioning: escrows, quarantine and skips reported are cleared; the
        links to the accounts made or matched are kept."""
        return ProvisioningState(self.users, self.groups, set(), self.groups_supported,
                                 self.cycles)

    def to_dict(self) -> dict[str, Any]:
        return {
            "users": {oid: p.to_dict() for oid, p in self.users.items()},
            "groups": {oid: p.to_dict() for oid, p in self.groups.items()},
            "reported": sorted(self.reported),
            "groups_supported": self.groups_supported,
            "cycles": self.cycles,
            "escrow": {oid: e.to_dict() for oid, e in self.escrow.items()},
            "quarantine": self.quarantine.to_dict() if self.quarantine else None,
            "allow_deletes": self.allow_deletes,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ProvisioningState:
        quarantine = data.get("quarantine")
        return cls(
            users={k: Provisioned.from_dict(v) for k, v in data.get("users", {}).items()},
            groups={k: Provisioned.from_dict(v) for k, v in data.get("groups", {}).items()},
            reported=set(data.get("reported", [])),
            groups_supported=data.get("groups_supported"),
            cycles=int(data.get("cycles", 0)),
            escrow={k: Escrowed.from_dict(v) for k, v in data.get("escrow", {}).items()},
            quarantine=Quarantine.from_dict(quarantine) if quarantine else None,
            allow_deletes=bool(data.get("allow_deletes", False)),
        )


@dataclass(slots=True)
class CycleResult:
    """One cycle: its log, the state to pass to the next cycle, and the requests it sent."""

    cycle: int
    entries: list[LogEntry]
    state: ProvisioningState
    requests: int = 0
    staged: int = 0  # removals held back by the accidental deletions threshold

    @property
    def quarantine(self) -> Quarantine | None:
        return self.state.quarantine

    @property
    def counts(self) -> dict[str, dict[str, int]]:
        """Entries by action, then status: `counts["Create"]["Success"]`."""
        table: dict[str, Counter[str]] = {}
        for entry in self.entries:
            table.setdefault(entry.action, Counter())[entry.status] += 1
        return {action: dict(statuses) for action, statuses in table.items()}

    def count(self, action: str | None = None, status: str | None = None) -> int:
        return sum(1 for e in self.entries
                   if (action is None or e.action == action)
                   and (status is None or e.status == status))

    @property
    def failures(self) -> list[LogEntry]:
        return [e for e in self.entries if e.status == Status.FAILURE]

    @property
    def ok(self) -> bool:
        return not self.failures
