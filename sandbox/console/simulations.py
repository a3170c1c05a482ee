"""The Entra simulator's memory and its cycle runner, in plain Python (no Flask).

A simulation is what one admin has set up on the simulated Provisioning page: the Admin
Credentials and settings, the fake source directory, the provisioning state Entra keeps
between cycles, and the log of each cycle. It lives in the app's memory only (never in the
store: it is the Entra side, not the vendor's), in a registry bounded in size, keyed by an id
the console keeps in the visitor's session.

The records it keeps (settings, cycle records, progress) are in `simulation_state`; the
config a cycle runs by is made in `simulation_config`; the admin's other actions (one user's
change, on demand, allow deletes, restart) are in `simulation_actions`.
A cycle runs in a background thread so that the page can show its progress; the thread works
on copies and hands its result back under the simulation's lock.
"""

from __future__ import annotations

import copy
import hmac
import logging
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sandbox.console.display import plural
from sandbox.console.simulation_config import provisioning_config
from sandbox.console.simulation_state import (
    Authorization,
    CycleRecord,
    Discovery,
    MappingEdits,
    OnDemandRecord,
    PendingAuthorization,
    RunProgress,
    Settings,
)
from sandbox.console.simulator_input import SimulationError, check_tenant_url
from sandbox.entra import (
    ProvisioningEngine,
    ProvisioningState,
    SourceDirectory,
    Transport,
    sample_changes,
)
from sandbox.entra.engine import RetryWait
from sandbox.vendors import Profile

log = logging.getLogger("sandbox.console")

SIMULATION_LIMIT = 32  # simulations kept per app; the least recently used goes first
CYCLES_KEPT = 20  # cycle logs kept per simulation, newest kept
USERS_RANGE = (1, 200)
GROUPS_RANGE = (0, 10)
LOCALES = ("en_US", "en_GB", "fr_FR", "de_DE", "es_ES", "nl_NL")


class Simulation:
    """One admin's simulated enterprise application; every change goes through its lock."""

    def __init__(self, simulation_id: str) -> None:
        self.id = simulation_id
        self.lock = threading.RLock()
        self.settings = Settings()
        self.directory_spec: dict[str, Any] = {"users": 10, "groups": 2, "seed": 1,
                                               "locale": "en_US"}
        self.directory = SourceDirectory.fake(users=10, groups=2, seed=1)
        self.state: ProvisioningState | None = None
        self.cycles: list[CycleRecord] = []
        self.pending_changes: list[str] = []  # made since the last cycle
        self.progress = RunProgress()
        # Authorize (OAuth authorization code grant): the one awaiting the consent page's
        # answer, and the tokens an approved one left. Never shown, never logged.
        self.pending_authorization: PendingAuthorization | None = None
        self.authorization: Authorization | None = None
        self.on_demand: OnDemandRecord | None = None  # the last Provision on demand
        self.mapping_edits = MappingEdits()
        self.discovered: Discovery | None = None  # /Schemas, read when a gallery app saves
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self.progress.running

    @property
    def last_cycle(self) -> CycleRecord | None:
        return self.cycles[-1] if self.cycles else None

    def anchor_of(self, object_id: str, kind: str = "User") -> str | None:
        """The target id Entra holds for a source object, once provisioned."""
        state = self.state  # read once: a restart may clear it while a page renders
        if state is None:
            return None
        records = state.users if kind == "User" else state.groups
        record = records.get(object_id)
        return record.target_id if record is not None else None

    # Changes the admin makes ---------------------------------------------------------------

    def save(self, settings: Settings) -> None:
        settings.tenant_url = settings.tenant_url.strip()
        if settings.tenant_url:
            check_tenant_url(settings.tenant_url)
        settings.check_email()
        with self.lock:
            rescoped = settings.scope != self.settings.scope
            if rescoped and self.running:
                # The cycle's end replaces the state and clears the pending changes: the
                # restart a new scope calls for would be lost.
                raise SimulationError("A provisioning cycle is running; wait until it "
                                      "finishes before you change the Scope or the scoping "
                                      "filters.")
            self.settings = settings
            if rescoped:
                self.restart_after("changed the scope: " + "; ".join(settings.scope.describe()))

    def restart_after(self, words: str) -> None:
        """A change of scope or mappings, which restarts provisioning in Entra (the next
        cycle evaluates every object again), kept among the pending changes. Called under
        the lock."""
        if self.state is not None:
            self.state = self.state.restarted()
        self.pending_changes.append(words)

    def new_directory(self, users: int, groups: int, seed: int, locale: str) -> None:
        """A fresh fake directory. The provisioning state stays: objects Entra had
        provisioned that are not in the new directory are deleted by the next cycle."""
        _check_range("Users", users, USERS_RANGE)
        _check_range("Groups", groups, GROUPS_RANGE)
        if locale not in LOCALES:
            raise SimulationError(f"Choose a locale among {', '.join(LOCALES)}.")
        with self.lock:
            self.refuse_while_running()
            try:
                directory = SourceDirectory.fake(users=users, groups=groups, seed=seed,
                                                 locale=locale)
            except ValueError as error:
                raise SimulationError(str(error)) from None
            self.directory = directory
            self.directory_spec = {"users": users, "groups": groups, "seed": seed,
                                   "locale": locale}
            self.pending_changes.append(
                f"replaced the directory: {plural(users, 'user')}, {plural(groups, 'group')} "
                f"(seed {seed})")

    def simulate_changes(self) -> list[str]:
        """Unassign one assigned user, disable, rename and delete others (`sample_changes`)."""
        with self.lock:
            self.refuse_while_running()
            done = sample_changes(self.directory)
            if not done:
                raise SimulationError("No assigned, enabled user is left to change.")
            self.pending_changes.extend(done)
            return done

    def begin_authorization(self, pending: PendingAuthorization) -> None:
        """Remember an Authorize sent to a consent page (a new one replaces an older one)."""
        with self.lock:
            self.pending_authorization = pending

    def finish_authorization(self, state: str) -> PendingAuthorization | None:
        """The Authorize whose `state` the answer brings back, now finished; None when no
        Authorize is waiting or the state is not its own (a forged or stale answer), which
        leaves the waiting one as it was."""
        with self.lock:
            pending = self.pending_authorization
            if pending is None or not state or not hmac.compare_digest(
                    state.encode(), pending.state.encode()):
                return None
            self.pending_authorization = None
            return pending

    def keep_authorization(self, authorization: Authorization) -> None:
        with self.lock:
            self.authorization = authorization

    def refuse_while_running(self) -> None:
        if self.running:
            raise SimulationError("A provisioning cycle is running; wait until it finishes.")

    # Start provisioning ----------------------------------------------------------------

    def start_cycle(self, transport: Transport, profile: Profile | None, *,
                    background: bool = True) -> int:
        """Start one cycle with the saved settings; returns its number. SimulationError
        when provisioning is Off, the credentials are missing, or a cycle is running. The
        engine signs `transport` in by the Admin Credentials."""
        with self.lock:
            settings = copy.copy(self.settings)
            if not settings.provisioning_on:
                raise SimulationError("Provisioning Status is Off. Set it to On and Save "
                                      "before you start provisioning.")
            config = provisioning_config(settings, profile, self.authorization,
                                         self.mapping_edits)
            self.refuse_while_running()
            engine = ProvisioningEngine(config, transport)
            number = (self.state.cycles if self.state else 0) + 1
            self.progress = RunProgress(running=True, cycle=number, stage="Test Connection")
            record = CycleRecord(number, _now(), changes=list(self.pending_changes),
                                 users=len(self.directory.users),
                                 groups=len(self.directory.groups))
            directory = copy.deepcopy(self.directory)
            state = copy.deepcopy(self.state)
        if background:
            self._thread = threading.Thread(
                target=self._run, args=(engine, directory, state, record),
                name=f"entra-simulation-{self.id[:6]}", daemon=True)
            self._thread.start()
        else:
            self._run(engine, directory, state, record)
        return number

    def wait(self, timeout: float | None = None) -> None:
        """Wait for a background cycle to end (for tests and shutdown)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _run(self, engine: ProvisioningEngine, directory: SourceDirectory,
             state: ProvisioningState | None, record: CycleRecord) -> None:
        started = time.monotonic()

        def progress(done: int, total: int, name: str) -> None:
            with self.lock:
                self.progress.done, self.progress.total = done, total
                self.progress.current = name
                self.progress.requests = engine.requests_sent

        def waiting(wait: RetryWait | None) -> None:
            with self.lock:
                self.progress.wait = wait
                self.progress.requests = engine.requests_sent

        engine.on_wait = waiting
        new_state = state
        quarantined: ProvisioningState | None = None
        try:
            connection = engine.test_connection()
            if not connection.ok:
                # As Entra does, a cycle that cannot reach the application stops before any
                # object is processed, and reports why.
                record.connection = connection
                record.error = f"Test Connection failed: {connection.message}"
                quarantined = engine.stopped_at_connection(connection, state)
            else:
                with self.lock:
                    self.progress.stage = "Provisioning users and groups"
                result = engine.run_cycle(directory, state, progress)
                record.entries = result.entries
                new_state = result.state
        except Exception as error:  # the page must show it; the thread must not die silently
            log.exception("Entra simulation %s: the cycle stopped", self.id)
            record.error = f"The cycle stopped: {error}"
        record.requests = engine.requests_sent
        record.duration_s = round(time.monotonic() - started, 3)
        with self.lock:
            if record.error is None:
                self.state = new_state
                self.pending_changes.clear()
            elif quarantined is not None:
                self.state = quarantined
            self.cycles.append(record)
            del self.cycles[:-CYCLES_KEPT]
            self.progress.running = False
            self.progress.wait = None
            self.progress.requests = record.requests
            self.progress.stage = "Finished"


def _check_range(label: str, value: int, bounds: tuple[int, int]) -> None:
    low, high = bounds
    if not low <= value <= high:
        raise SimulationError(f"{label} must be between {low} and {high}.")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class SimulationRegistry:
    """The app's simulations by id, at most `limit`; the least recently used is dropped
    first (a cycle still running keeps its own reference and finishes harmlessly)."""

    def __init__(self, limit: int = SIMULATION_LIMIT,
                 factory: Callable[[str], Simulation] = Simulation) -> None:
        self.limit = limit
        self._factory = factory
        self._items: OrderedDict[str, Simulation] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, simulation_id: str | None) -> Simulation | None:
        if not simulation_id:
            return None
        with self._lock:
            found = self._items.get(simulation_id)
            if found is not None:
                self._items.move_to_end(simulation_id)
            return found

    def create(self) -> Simulation:
        simulation = self._factory(secrets.token_urlsafe(12))
        with self._lock:
            self._items[simulation.id] = simulation
            while len(self._items) > self.limit:
                self._items.popitem(last=False)
        return simulation

    def get_or_create(self, simulation_id: str | None) -> Simulation:
        return self.get(simulation_id) or self.create()
