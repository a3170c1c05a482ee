"""The provisioning engine: its configuration (the Provisioning blade), Test Connection, and
how one request is sent (headers, the Tenant URL, one retry after a 429).

The cycle itself is in `cycle.py` (users) and `groups.py` (groups and memberships).
"""

from __future__ import annotations

import copy
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sandbox.entra import requests as shapes
from sandbox.entra.cycle import Cycle, Progress
from sandbox.entra.directory import SourceDirectory
from sandbox.entra.log import CONNECTION_OK, INVALID_CREDENTIALS, error_code
from sandbox.entra.mappings import AttributeMapping, default_group_mappings, default_mappings
from sandbox.entra.requests import FLAG, ScimRequest
from sandbox.entra.responses import Outcome, list_resources, outcome_from
from sandbox.entra.state import CycleResult, ProvisioningState
from sandbox.entra.transport import Transport, TransportError, urllib_transport

KNOWN_FLAGS = {FLAG.lower(): FLAG}
USER_AGENT = "scim-sandbox-entra-simulator"
SCIM_JSON = "application/scim+json"


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(slots=True)
class ProvisioningConfig:
    """The Provisioning blade: Admin Credentials (Tenant URL, Secret Token), the Attribute
    Mappings, whether groups are provisioned, and the SCIM behaviour flags."""

    tenant_url: str
    token: str
    user_mappings: tuple[AttributeMapping, ...] = field(default_factory=default_mappings)
    group_mappings: tuple[AttributeMapping, ...] = field(default_factory=default_group_mappings)
    flags: frozenset[str] = frozenset()
    provision_groups: bool = True
    member_batch_size: int = 50  # members per PATCH; our choice, Microsoft gives no number
    max_retry_after: float = 5.0  # seconds: a 429's Retry-After is honoured up to this, once
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], datetime] = _utc_now

    @classmethod
    def from_tenant_url(cls, tenant_url: str, token: str, **options: Any) -> ProvisioningConfig:
        """Read the flags an admin appends to the Tenant URL, as Entra does
        (`https://host/scim?aadOptscim062020`), and keep the URL without them."""
        url, in_url = split_flags(tenant_url)
        flags = {KNOWN_FLAGS.get(f.lower(), f) for f in options.pop("flags", ())}
        return cls(url, token, flags=frozenset(flags | in_url), **options)

    @property
    def compliant(self) -> bool:
        """Whether `aadOptscim062020` asks for RFC-compliant PATCH requests."""
        return any(flag.lower() == FLAG.lower() for flag in self.flags)


def split_flags(tenant_url: str) -> tuple[str, frozenset[str]]:
    """`https://h/scim?aadOptscim062020` → (`https://h/scim`, {"aadOptscim062020"})."""
    parts = urlsplit(tenant_url)
    params = parse_qsl(parts.query, keep_blank_values=True)
    flags = frozenset(KNOWN_FLAGS[k.lower()] for k, _ in params if k.lower() in KNOWN_FLAGS)
    kept = [(k, v) for k, v in params if k.lower() not in KNOWN_FLAGS]
    return urlunsplit(parts._replace(query=urlencode(kept))), flags


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
    """`ProvisioningEngine(config, transport).test_connection()` and `.run_cycle(directory)`."""

    def __init__(self, config: ProvisioningConfig, transport: Transport | None = None,
                 on_wait: WaitListener | None = None) -> None:
        self.config = config
        self.transport = transport or urllib_transport()
        self.requests_sent = 0
        self.on_wait = on_wait

    def test_connection(self) -> ConnectionResult:
        """GET /Users?filter=userName eq "<random GUID>"; success is a 200 ListResponse."""
        request = shapes.test_connection(str(uuid.uuid4()))
        outcome = self.send(request)
        line = f"{request.method} {request.path}"
        if outcome.ok and list_resources(outcome.body) is not None:
            return ConnectionResult(True, CONNECTION_OK, http_status=outcome.http_status,
                                    request=line)
        code = error_code(outcome, test_connection=True, timeout=outcome.timed_out)
        if outcome.http_status in (401, 403):
            message = INVALID_CREDENTIALS
        elif outcome.http_status is None:
            message = f"Unable to connect to the Tenant URL: {outcome.detail}"
        else:
            message = ("We received this unexpected response from your application: HTTP "
                       f"{outcome.http_status} instead of a 200 SCIM ListResponse.")
        return ConnectionResult(False, message, code, outcome.http_status, outcome.scim_status,
                                outcome.scim_type, outcome.detail, line)

    def run_cycle(self, directory: SourceDirectory, state: ProvisioningState | None = None,
                  progress: Progress | None = None) -> CycleResult:
        """One cycle: initial without a state, incremental with the state of the last one.
        The state passed in is not changed; the result carries the new one."""
        working = copy.deepcopy(state) if state is not None else ProvisioningState()
        return Cycle(self, working, progress).run(directory)

    def send(self, request: ScimRequest) -> Outcome:
        """Send one request; a 429 is retried once after its Retry-After (capped)."""
        outcome, headers = self._exchange(request)
        if outcome.http_status == 429:
            seconds = self._retry_after(headers)
            self._report_wait(RetryWait(f"{request.method} {request.path}", 429, seconds,
                                        self.config.clock() + timedelta(seconds=seconds)))
            try:
                self.config.sleep(seconds)
            finally:
                self._report_wait(None)
            outcome, _ = self._exchange(request)
        return outcome

    def _report_wait(self, wait: RetryWait | None) -> None:
        if self.on_wait is not None:
            self.on_wait(wait)

    def _exchange(self, request: ScimRequest) -> tuple[Outcome, dict[str, str]]:
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
            return Outcome(None, detail=str(error), timed_out=error.timeout), {}
        return outcome_from(status, raw), answer_headers

    def _retry_after(self, headers: dict[str, str]) -> float:
        value = next((v for k, v in headers.items() if k.lower() == "retry-after"), "1")
        try:
            seconds = float(value)
        except ValueError:  # an HTTP date: wait the shortest time rather than parse clocks
            seconds = 1.0
        return max(0.0, min(seconds, self.config.max_retry_after))
