"""What a simulation keeps, as plain records: the Attribute Mappings shown, the saved
settings, each cycle's record and the progress of the running cycle.

The runner that changes them (`simulations.py`) holds them under its lock; the pages read them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from sandbox.console.display import plural
from sandbox.console.simulator_input import SimulationError
from sandbox.entra import (
    FLAG,
    ConnectionResult,
    LogEntry,
    default_group_mappings,
    default_mappings,
    split_flags,
)
from sandbox.entra.engine import RetryWait
from sandbox.entra.mapping_edits import MappingEdit
from sandbox.entra.mappings import TARGET_OBJECT_ACTIONS, AttributeMapping, group_actions
from sandbox.entra.on_demand import OnDemandResult
from sandbox.entra.quarantine import DEFAULT_DELETION_THRESHOLD, QuarantinePolicy
from sandbox.entra.schema_discovery import DiscoveredSchemas
from sandbox.entra.scoping import Scope
from sandbox.vendors import Profile


@dataclass(frozen=True, slots=True)
class Mappings:
    """Attribute Mappings as the page shows them: whose table they come from, and the rows."""

    source: str  # "Olfeo SAAS attribute table" or "Entra's defaults for a SCIM app"
    users: tuple[AttributeMapping, ...]
    groups: tuple[AttributeMapping, ...]
    group_actions: frozenset[str] = TARGET_OBJECT_ACTIONS  # the groups' Target Object Actions

    @property
    def matching(self) -> AttributeMapping | None:
        ranked = [m for m in self.users if m.matching_precedence is not None]
        return min(ranked, key=lambda m: m.matching_precedence or 0) if ranked else None


def mappings_for(profile: Profile | None) -> Mappings:
    """The vendor's attribute table and rules when the vendor is known (the same rows
    `simulate --vendor` uses), else Entra's defaults."""
    if profile is None:
        return Mappings("the defaults Entra offers for a non-gallery SCIM application",
                        default_mappings(None), default_group_mappings(None))
    return Mappings(f"{profile.name}'s attribute table", default_mappings(profile),
                    default_group_mappings(profile), group_actions(profile))


@dataclass(frozen=True, slots=True)
class MappingEdits:
    """The admin's edits to the user Attribute Mappings, and the vendor whose rows they edit
    (None: Entra's defaults); they are in effect only for a Tenant URL of that vendor."""

    vendor: str | None = None
    edits: tuple[MappingEdit, ...] = ()

    def for_profile(self, profile: Profile | None) -> tuple[MappingEdit, ...]:
        return self.edits if self.vendor == (profile.id if profile else None) else ()


@dataclass(frozen=True, slots=True)
class Discovery:
    """What `GET /Schemas` discovered when the settings of a gallery app were saved."""

    tenant_url: str
    schemas: DiscoveredSchemas
    time: str

    def serves(self, tenant_url: str) -> bool:
        return same_tenant_url(self.tenant_url, tenant_url)


@dataclass(slots=True)
class Settings:
    """What the Provisioning page saves: Admin Credentials and Settings.

    `auth_method` is the Authentication Method (an `[auth] kind`); empty, it follows the
    vendor of the Tenant URL (bearer for any other URL). Each method reads its own fields:
    `token`; `username` and `password`; `client_id`, `client_secret` and `token_url`; the
    authorization code grant reads none (its tokens come from Authorize).

    Under Settings: the Scope with its scoping filters, and Prevent accidental deletions
    with its threshold (on, at 500, unless the admin changes them)."""

    tenant_url: str = ""
    token: str = field(default="", repr=False)
    notification_email: str = ""
    compliant_flag: bool = False  # aadOptscim062020
    provisioning_on: bool = False
    auth_method: str = ""
    username: str = ""
    password: str = field(default="", repr=False)
    client_id: str = ""
    client_secret: str = field(default="", repr=False)
    token_url: str = ""
    scope: Scope = field(default_factory=Scope)
    prevent_deletions: bool = True
    deletion_threshold: int = DEFAULT_DELETION_THRESHOLD

    @property
    def quarantine_policy(self) -> QuarantinePolicy:
        """The accidental deletions threshold the cycles use (none when the box is clear)."""
        return QuarantinePolicy(
            deletion_threshold=self.deletion_threshold if self.prevent_deletions else None)

    @property
    def scoping_filters_text(self) -> str:
        """The scoping filters as the Settings box shows them: one filter a line."""
        return "\n".join(str(f) for f in self.scope.filters)

    def method(self, profile: Profile | None) -> str:
        """The Authentication Method in effect: the one chosen, else the vendor's kind."""
        return self.auth_method or (profile.auth.kind if profile is not None else "bearer")

    def without_credentials(self, tenant_url: str) -> Settings:
        """These settings for another Tenant URL, with no credential filled in."""
        return replace(self, tenant_url=tenant_url, auth_method="", token="", username="",
                       password="", client_id="", client_secret="", token_url="")

    @property
    def flags(self) -> tuple[str, ...]:
        return (FLAG,) if self.compliant_flag else ()

    @property
    def flag_in_effect(self) -> bool:
        """The checkbox, or the flag appended to the Tenant URL as Entra also reads it."""
        return self.compliant_flag or bool(split_flags(self.tenant_url)[1])

    def check_email(self) -> None:
        email = self.notification_email
        if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
            raise SimulationError("The Notification Email is not an email address.")


# Authorize ---------------------------------------------------------------------------------


def same_tenant_url(one: str, other: str) -> bool:
    """Whether two Tenant URLs are the same endpoint (flags and a last slash aside)."""
    return split_flags(one.strip())[0].rstrip("/") == split_flags(other.strip())[0].rstrip("/")


@dataclass(frozen=True, slots=True)
class PendingAuthorization:
    """An Authorize the admin started and has not come back from: the `state` sent to the
    consent page, which the answer must bring back (RFC 6749 §10.12), and the OAuth client
    the code will be exchanged with."""

    state: str = field(repr=False)
    tenant_url: str
    tenant_id: str
    redirect_uri: str
    token_url: str
    client_id: str
    client_secret: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class Authorization:
    """What an approved Authorize left for one Tenant URL: the OAuth client and the tokens
    its code bought. Kept in the simulation's memory only; the page says "Authorized" and
    shows none of it."""

    tenant_url: str
    tenant_id: str
    token_url: str
    client_id: str
    client_secret: str = field(repr=False)
    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    authorized_at: str = ""  # ISO time, UTC
    access_expires_at: float | None = None  # on the monotonic clock the Entra client uses

    def serves(self, tenant_url: str) -> bool:
        return same_tenant_url(self.tenant_url, tenant_url)


# Cycles ------------------------------------------------------------------------------------


@dataclass(slots=True)
class CycleRecord:
    """One press of Start provisioning: the log, or why the cycle could not run."""

    number: int
    started: str
    duration_s: float = 0.0
    requests: int = 0
    entries: list[LogEntry] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # directory changes made before it
    users: int = 0
    groups: int = 0
    error: str | None = None
    connection: ConnectionResult | None = None  # Test Connection, when it failed

    @property
    def incremental(self) -> bool:
        return self.number > 1

    @property
    def counts(self) -> dict[str, dict[str, int]]:
        table: dict[str, dict[str, int]] = {}
        for entry in self.entries:
            statuses = table.setdefault(entry.action, {})
            statuses[entry.status] = statuses.get(entry.status, 0) + 1
        return table

    @property
    def failures(self) -> int:
        return sum(1 for e in self.entries if e.status == "Failure")


@dataclass(frozen=True, slots=True)
class OnDemandRecord:
    """One Provision on demand: whom the admin asked for, when, and the steps."""

    who: str
    time: str
    result: OnDemandResult


@dataclass(slots=True)
class RunProgress:
    """How far the running cycle is: what the page polls while it runs."""

    running: bool = False
    cycle: int = 0
    done: int = 0
    total: int = 0
    current: str = ""
    requests: int = 0
    stage: str = ""
    wait: RetryWait | None = None  # while a throttled request waits for its retry

    @property
    def waiting(self) -> str:
        """What the cycle waits for and until when, or "" when it is not waiting."""
        wait = self.wait
        if wait is None:
            return ""
        return (f"Waiting for the endpoint: {wait.status} Too Many Requests, retrying at "
                f"{wait.until:%H:%M:%S} UTC")

    @property
    def text(self) -> str:
        """One line for the page: "Cycle 2: Provisioning users and groups · 3 of 10 objects
        processed · 1 request sent · last: Ada Lovelace"."""
        parts = [f"Cycle {self.cycle}: {self.waiting or self.stage}"]
        if self.total:
            parts.append(f"{self.done} of {plural(self.total, 'object')} processed")
        parts.append(f"{plural(self.requests, 'request')} sent")
        if self.current and self.running:
            parts.append(f"last: {self.current}")
        return " · ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        wait = self.wait
        return {"running": self.running, "cycle": self.cycle, "done": self.done,
                "total": self.total, "current": self.current, "requests": self.requests,
                "stage": self.stage, "text": self.text,
                "waiting": None if wait is None else {
                    "status": wait.status, "request": wait.request, "seconds": wait.seconds,
                    "until": wait.until.isoformat(timespec="seconds")}}
