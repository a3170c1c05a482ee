"""The provisioning engine: Test Connection, and how one request is sent (headers, the
Tenant URL, one retry after a 429).

Its configuration (the Provisioning blade) is in `config.py`; the cycle itself is in
`cycle.py` (users) and `groups.py` (groups and memberships), which reach the engine only
through the `Sender` protocol of `sender.py`.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sandbox.constants import SCIM_JSON
from sandbox.entra import requests as shapes
from sandbox.entra.config import ProvisioningConfig
from sandbox.entra.credentials import signed_in
from sandbox.entra.cycle import Cycle, CycleProgress
from sandbox.entra.directory import SourceDirectory
from sandbox.entra.log import (
    CONNECTION_OK,
    INVALID_CREDENTIALS,
    Action,
    LogEntry,
    Status,
    error_code,
)
from sandbox.entra.mappings import matching_mapping
from sandbox.entra.on_demand import OnDemandResult, provision_on_demand
from sandbox.entra.quarantine import judge
from sandbox.entra.requests import ScimRequest
from sandbox.entra.responses import ScimAnswer, answer_from, list_resources
from sandbox.entra.state import CycleResult, ProvisioningState
from sandbox.entra.transport import Transport, TransportError, urllib_transport

USER_AGENT = "scim-sandbox-entra-simulator"


@dataclass(frozen=True, slots=True)
class RetryWait:
    """The pause before a throttled request's one retry, for whoever shows progress: the
    engine reports it when the pause starts, and reports None when it is over."""

    request: str  # "POST /Users"
    status: int  # 429
    seconds: float  # the Retry-After honoured (capped)
    until: datetime  # when the retry goes out, by the config's clock


WaitListener = Callable[[RetryWait | None], None]


@dataclass(slots=True)
class ConnectionResult:
    """What **Test Connection** reports."""

    ok: bool
    message: str
    error_code: str | None = None
    http_status: int | None = None
    scim_status: str | None = None
    scim_type: str | None = None
    detail: str | None = None
    request: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class ProvisioningEngine:
    """`ProvisioningEngine(config, transport).test_connection()` and `.run_cycle(directory)`.

    Every request signs in by the config's Admin Credentials: the engine wraps `transport`
    itself (`credentials.signed_in`); callers pass the plain transport."""

    def __init__(self, config: ProvisioningConfig, transport: Transport | None = None,
                 on_wait: WaitListener | None = None) -> None:
        self.config = config
        self.transport = signed_in(transport or urllib_transport(), config.credentials)
        self.requests_sent = 0
        self.on_wait = on_wait

    def test_connection(self) -> ConnectionResult:
        """GET /Users?filter=userName eq "<random GUID>" (on the matching attribute, as
        Microsoft's SCIM endpoint tutorial says Test Connection queries it), then, where the
        app has groups, GET /Groups?excludedAttributes=members&filter=displayName eq
        "<random GUID>"; success is a 200 ListResponse from each."""
        rows = self.config.user_mappings
        guid = str(uuid.uuid4())
        if any(row.matching_precedence is not None for row in rows):
            probes = [shapes.match_user(matching_mapping(rows).target, guid)]
        else:
            probes = [shapes.test_connection(guid)]
        groups = self.config.group_mappings
        if self.config.provision_groups and groups:
            attribute = (matching_mapping(groups).target
                         if any(row.matching_precedence is not None for row in groups)
                         else "displayName")
            probes.append(shapes.test_connection_groups(str(uuid.uuid4()), attribute))
        result = ConnectionResult(False, "")
        for request in probes:
            result = self._probe(request)
            if not result.ok:
                return result
        return result

    def _probe(self, request: ScimRequest) -> ConnectionResult:
        """One Test Connection query and what it says about the connection. A 404 on the
        /Groups probe says the app has no groups (the cycle reads it the same way, see
        groups.py), which is no fault of the connection."""
        answer = self.send(request)
        line = f"{request.method} {request.path}"
        no_groups = request.path.startswith("/Groups") and answer.http_status == 404
        if no_groups or (answer.ok and list_resources(answer.body) is not None):
            return ConnectionResult(True, CONNECTION_OK, http_status=answer.http_status,
                                    request=line)
        code = error_code(answer, test_connection=True, timeout=answer.timed_out)
        if answer.http_status in (401, 403):
            message = INVALID_CREDENTIALS
        elif answer.http_status is None:
            message = f"Unable to connect to the Tenant URL: {answer.detail}"
        else:
            message = ("We received this unexpected response from your application: HTTP "
                       f"{answer.http_status} instead of a 200 SCIM ListResponse.")
        return ConnectionResult(False, message, code, answer.http_status, answer.scim_status,
                                answer.scim_type, answer.detail, line)

    def run_cycle(self, directory: SourceDirectory, state: ProvisioningState | None = None,
                  progress: CycleProgress | None = None) -> CycleResult:
        """One cycle: initial without a state, incremental with the state of the last one.
        The state passed in is not changed; the result carries the new one."""
        working = copy.deepcopy(state) if state is not None else ProvisioningState()
        return Cycle(self, working, progress).run(directory)

    def stopped_at_connection(self, connection: ConnectionResult,
                              state: ProvisioningState | None) -> ProvisioningState:
        """The state after a cycle that stopped at a failed Test Connection: a refused
        (401/403), unanswered or missing (404) probe quarantines the job, as invalid
        credentials do in Entra (EncounteredQuarantineException); any other failure leaves
        the quarantine as it was. Nothing else in the state changes."""
        method, _, path = connection.request.partition(" ")
        now = self.config.clock()
        probe = LogEntry(now.isoformat(timespec="seconds"), "User", "", "Test connection",
                         Action.OTHER, Status.FAILURE, method=method or "GET", path=path,
                         http_status=connection.http_status,
                         error_code=connection.error_code, detail=connection.detail)
        kept = copy.deepcopy(state) if state is not None else ProvisioningState()
        quarantine = judge([probe], {}, 0, self.config.quarantine_policy, kept.quarantine, now)
        if quarantine is not None:
            kept.quarantine = quarantine
        return kept

    def provision_on_demand(self, directory: SourceDirectory, who: str,
                            state: ProvisioningState | None = None) -> OnDemandResult:
        """One user (found by userPrincipalName, mail, objectId or display name), at once,
        in the steps of Entra's on-demand page; the state passed in is not changed."""
        return provision_on_demand(self, directory, who, state)

    def send(self, request: ScimRequest) -> ScimAnswer:
        """Send one request; a 429 is retried once after its Retry-After (capped)."""
        answer, headers = self._exchange(request)
        if answer.http_status == 429:
            seconds = self._retry_after(headers)
            self._report_wait(RetryWait(f"{request.method} {request.path}", 429, seconds,
                                        self.config.clock() + timedelta(seconds=seconds)))
            try:
                self.config.sleep(seconds)
            finally:
                self._report_wait(None)
            answer, _ = self._exchange(request)
        return answer

    def _report_wait(self, wait: RetryWait | None) -> None:
        if self.on_wait is not None:
            self.on_wait(wait)

    def _exchange(self, request: ScimRequest) -> tuple[ScimAnswer, dict[str, str]]:
        body = request.encoded()
        headers = {"Authorization": f"Bearer {self.config.token}", "Accept": SCIM_JSON,
                   "User-Agent": USER_AGENT}
        if body is not None:
            headers["Content-Type"] = SCIM_JSON
        url = self.config.tenant_url.rstrip("/") + request.path
        self.requests_sent += 1
        try:
            status, answer_headers, raw = self.transport(request.method, url, headers, body)
        except TransportError as error:
            return ScimAnswer(None, detail=str(error), timed_out=error.timeout), {}
        return answer_from(status, raw), answer_headers

    def _retry_after(self, headers: dict[str, str]) -> float:
        value = next((v for k, v in headers.items() if k.lower() == "retry-after"), "1")
        try:
            seconds = float(value)
        except ValueError:  # an HTTP date: wait the shortest time rather than parse clocks
            seconds = 1.0
        return max(0.0, min(seconds, self.config.max_retry_after))
