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


@dataclass(slots=True)
class Provisioned:
    """One source object's account in the target: its id, the last values exported by SCIM
    path, and for a group the target ids of the members added."""

    target_id: str
    display_name: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    members: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"target_id": self.target_id, "display_name": self.display_name,
                "values": dict(self.values), "members": list(self.members)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Provisioned:
        return cls(str(data["target_id"]), str(data.get("display_name", "")),
                   dict(data.get("values", {})), list(data.get("members", [])))


@dataclass(slots=True)
class ProvisioningState:
    """The anchors by source objectId, what was already reported as skipped (Entra does not
    repeat a skip for an unchanged object), whether the endpoint has /Groups, cycles run."""

    users: dict[str, Provisioned] = field(default_factory=dict)
    groups: dict[str, Provisioned] = field(default_factory=dict)
    reported: set[str] = field(default_factory=set)
    groups_supported: bool | None = None
    cycles: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "users": {oid: p.to_dict() for oid, p in self.users.items()},
            "groups": {oid: p.to_dict() for oid, p in self.groups.items()},
            "reported": sorted(self.reported),
            "groups_supported": self.groups_supported,
            "cycles": self.cycles,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ProvisioningState:
        return cls(
            users={k: Provisioned.from_dict(v) for k, v in data.get("users", {}).items()},
            groups={k: Provisioned.from_dict(v) for k, v in data.get("groups", {}).items()},
            reported=set(data.get("reported", [])),
            groups_supported=data.get("groups_supported"),
            cycles=int(data.get("cycles", 0)),
        )


@dataclass(slots=True)
class CycleResult:
    """One cycle: its log, the state to pass to the next cycle, and the requests it sent."""

    cycle: int
    entries: list[LogEntry]
    state: ProvisioningState
    requests: int = 0

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
