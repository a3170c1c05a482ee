"""Escrow and quarantine: what the provisioning service does when the target keeps failing.

Facts from Microsoft's pages "How application provisioning works" (errors and retries,
quarantine), "Application provisioning in quarantine status" and "Enable accidental deletions
prevention":

- a failed action is held in escrow and retried in later cycles until it succeeds;
- credential and SCIM-compliance failures put the job into quarantine whatever their number;
  otherwise escrows are weighed from 5,000 on: more than 40 % of a cycle's events, or more
  than 40,000, quarantine the job; 60,000 escrows do in any case. Manager (reference) failures
  count only toward the last figure;
- in quarantine the next attempts come 6 h, 12 h and 24 h after the quarantine began, then
  daily; after 28 days Entra disables the job (`Quarantine.disabled` says when; the
  simulator has no schedule of its own and runs a cycle whenever it is asked). A cycle
  without the offending failures (after a fix, or Restart provisioning, which also clears
  the escrows) ends the quarantine;
- a cycle that would disable or delete more objects than the accidental deletions threshold
  (500 unless set) stages those removals instead, and the job goes into quarantine for
  `TooManyDeletes` until the admin allows the deletes.

The figures are `QuarantinePolicy` fields, so a test or a trainer can make a small directory
reach them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sandbox.entra.log import LogEntry, Status

# Microsoft Graph's synchronizationQuarantine reasons this simulator uses.
QUARANTINE_EXCEPTION = "EncounteredQuarantineException"
ESCROW_PROPORTION = "EncounteredEscrowProportionThreshold"
TOTAL_ESCROW = "EncounteredTotalEscrowThreshold"
TOO_MANY_DELETES = "TooManyDeletes"
# The portal's banner for a quarantined job.
QUARANTINE_BANNER = ("Provisioning has been quarantined. See quarantine details for more "
                     "information")
DISABLED_AFTER = timedelta(days=28)
DEFAULT_DELETION_THRESHOLD = 500


@dataclass(frozen=True, slots=True)
class QuarantinePolicy:
    """The escrow figures that quarantine a job, and the accidental deletions threshold
    (None: the Prevent accidental deletions box is cleared)."""

    escrow_base: int = 5_000
    escrow_proportion: float = 0.4
    escrow_total: int = 40_000
    escrow_cap: int = 60_000
    deletion_threshold: int | None = DEFAULT_DELETION_THRESHOLD


@dataclass(slots=True)
class Escrowed:
    """A failed action waiting for its retry: what it was, how it failed, how often."""

    object_type: str
    action: str
    error_code: str | None
    attempts: int
    first_failed: str
    reference: bool = False  # a manager update: weighed only against the escrow cap

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Escrowed:
        return cls(str(data["object_type"]), str(data["action"]), data.get("error_code"),
                   int(data["attempts"]), str(data["first_failed"]),
                   bool(data.get("reference", False)))


@dataclass(slots=True)
class Quarantine:
    """Why the job is in quarantine, since when, and when it tries again."""

    reason: str
    detail: str
    began: str
    next_attempt: str
    series_count: int = 1

    @property
    def status_text(self) -> str:
        return QUARANTINE_BANNER

    def disabled(self, now: datetime) -> bool:
        """More than four weeks in quarantine: Entra would have disabled the job by now."""
        return now - datetime.fromisoformat(self.began) > DISABLED_AFTER

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "status_text": QUARANTINE_BANNER}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Quarantine:
        return cls(str(data["reason"]), str(data["detail"]), str(data["began"]),
                   str(data["next_attempt"]), int(data.get("series_count", 1)))


def backoff(series_count: int) -> timedelta:
    """When the next attempt comes, counted from the start of the quarantine."""
    return timedelta(hours={1: 6, 2: 12}.get(series_count, 24 * (series_count - 2)))


def record_failure(escrow: dict[str, Escrowed], entry: LogEntry, reference: bool) -> None:
    held = escrow.get(entry.source_id)
    if held is None:
        escrow[entry.source_id] = Escrowed(entry.object_type, entry.action, entry.error_code,
                                           1, entry.time, reference)
    else:
        held.action, held.error_code = entry.action, entry.error_code
        held.attempts += 1


def judge(entries: list[LogEntry], escrow: dict[str, Escrowed], staged: int,
          policy: QuarantinePolicy, previous: Quarantine | None,
          now: datetime) -> Quarantine | None:
    """The job's quarantine after a cycle: None when the cycle shows none of the causes."""
    cause = _cause(entries, escrow, staged, policy)
    if cause is None:
        return None
    reason, detail = cause
    if previous is None:
        return Quarantine(reason, detail, now.isoformat(timespec="seconds"),
                          (now + backoff(1)).isoformat(timespec="seconds"))
    count = previous.series_count + 1
    began = datetime.fromisoformat(previous.began)
    return Quarantine(reason, detail, previous.began,
                      (began + backoff(count)).isoformat(timespec="seconds"), count)


def _cause(entries: list[LogEntry], escrow: dict[str, Escrowed], staged: int,
           policy: QuarantinePolicy) -> tuple[str, str] | None:
    if staged:
        return TOO_MANY_DELETES, (
            f"This cycle would have disabled or deleted {staged} objects, more than the "
            f"accidental deletions threshold of {policy.deletion_threshold}. Nothing was "
            "removed: allow the deletes, or fix the cause and restart provisioning.")
    events = [e for e in entries if e.method and e.status in (Status.SUCCESS, Status.FAILURE)]
    failed = [e for e in events if e.status == Status.FAILURE]
    refused = [e for e in failed if e.http_status in (None, 401, 403)]
    if events and 2 * len(refused) > len(events):
        statuses = sorted({str(e.http_status or "no answer") for e in refused})
        return QUARANTINE_EXCEPTION, (
            f"{len(refused)} of {len(events)} requests were refused or unanswered "
            f"({', '.join(statuses)}): check the Admin Credentials and the Tenant URL, "
            "then restart provisioning.")
    missing = [e for e in failed if e.http_status == 404 and e.method == "GET"]
    if events and 2 * len(missing) > len(events):
        return QUARANTINE_EXCEPTION, (
            f"{len(missing)} queries got HTTP 404 where a SCIM ListResponse was expected: "
            "the Tenant URL may point at the wrong place.")
    if len(escrow) >= policy.escrow_cap:
        return TOTAL_ESCROW, f"{len(escrow)} failed actions are held in escrow."
    held = [e for e in escrow.values() if not e.reference]
    if len(held) >= policy.escrow_base and len(held) > policy.escrow_total:
        return TOTAL_ESCROW, f"{len(held)} failed actions are held in escrow."
    if len(held) >= policy.escrow_base and \
            len(failed) > policy.escrow_proportion * max(len(events), 1):
        return ESCROW_PROPORTION, (
            f"{len(failed)} of {len(events)} actions of this cycle failed "
            f"({len(held)} held in escrow).")
    return None
