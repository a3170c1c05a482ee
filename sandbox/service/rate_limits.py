"""A tenant's request rate: at most N requests in any window of S seconds, by the sandbox's
clock (so a test can move time instead of waiting).

Two things may bound it: the profile's `rate_limit` rules (every tenant of the vendor), and
the tenant's own `rate_limit` setting (`{"requests": N, "per_seconds": S}`, kept in its
record), which overrides the rules while it is set. A refused request does not count: a
client that waits as `Retry-After` says gets through.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Protocol

from sandbox.scim.errors import TooManyRequests, invalid_value
from sandbox.vendors import Profile

MAX_REQUESTS = 1_000_000
MAX_PER_SECONDS = 7 * 24 * 3600  # a week: far longer than any vendor's documented window
RATE_LIMIT_EXAMPLE = '{"requests": 25, "per_seconds": 1}'


class RateWindow:
    """The times of the last `requests` admitted requests of one tenant."""

    def __init__(self, requests: int, per_seconds: int, vendor: str,
                 source: str = "rule rate_limit") -> None:
        self.requests = requests
        self.per_seconds = per_seconds
        self.vendor = vendor
        self.source = source
        self._window = timedelta(seconds=per_seconds)
        self._admitted: deque[datetime] = deque(maxlen=requests)
        self._lock = threading.RLock()  # `admit` holds it around `check`

    def admit(self, now: datetime) -> None:
        """Count a request made at `now`, or raise a 429 saying when the next one may go."""
        with self._lock:
            self.check(now)
            self._admitted.append(now)  # the deque drops the oldest past `requests`

    def check(self, now: datetime) -> None:
        """Raise the 429 that a request at `now` would get; count nothing."""
        with self._lock:
            # A request counted later than `now` was made before the clock was set back:
            # it counts as made now, so the wait never exceeds the window.
            if self._admitted and self._admitted[-1] > now:
                clamped = [min(moment, now) for moment in self._admitted]  # still in order
                self._admitted = deque(clamped, maxlen=self.requests)
            if len(self._admitted) < self.requests:
                return
            wait = (self._admitted[0] + self._window - now).total_seconds()
            if wait > 0:
                seconds = max(1, math.ceil(wait))
                raise TooManyRequests(
                    f"Too many requests: {self.vendor} accepts at most {self.requests} "
                    f"in {self.per_seconds} seconds per tenant ({self.source}); retry "
                    f"after {seconds} seconds.", seconds)


class TenantRate:
    """What bounds one tenant's requests: its own setting when it has one, else its
    profile's rules. The setting's window is made again whenever the setting changes, so a
    new limit starts with an empty window."""

    def __init__(self, profile: Profile) -> None:
        self._vendor = profile.name
        self.rule_windows = tuple(RateWindow(rule.requests, rule.per_seconds, profile.name)
                                  for rule in profile.rules_of("rate_limit")
                                  if rule.requests and rule.per_seconds)
        self._own: tuple[dict[str, int], RateWindow] | None = None
        self._lock = threading.Lock()

    def admit(self, clock: Callable[[], datetime], setting: dict[str, int] | None) -> None:
        """Count one request, or raise a 429 (`TooManyRequests`) with the seconds to wait."""
        if setting:
            self._window_for(setting).admit(clock())
        elif self.rule_windows:
            now = clock()
            with self._lock:  # every rule lets the request through, or none counts it
                for window in self.rule_windows:
                    window.check(now)
                for window in self.rule_windows:
                    window.admit(now)

    def _window_for(self, setting: dict[str, int]) -> RateWindow:
        with self._lock:
            if self._own is None or self._own[0] != setting:
                window = RateWindow(setting["requests"], setting["per_seconds"], self._vendor,
                                    "tenant setting rate_limit")
                self._own = (dict(setting), window)
            return self._own[1]


def rate_limit_problem(value: Any) -> str | None:
    """Why `value` cannot be a tenant's `rate_limit` setting, or None when it can (None
    itself can: it removes the setting)."""
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) != {"requests", "per_seconds"}:
        return (f"'rate_limit' must be an object with exactly 'requests' and 'per_seconds', "
                f"e.g. {RATE_LIMIT_EXAMPLE}, or null to remove it")
    for field, top in (("requests", MAX_REQUESTS), ("per_seconds", MAX_PER_SECONDS)):
        number = value[field]
        if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= top:
            return f"'rate_limit.{field}' must be a whole number from 1 to {top}; got {number!r}"
    return None


def checked_rate_limit(value: Any) -> dict[str, int] | None:
    """`value` as a tenant's `rate_limit` setting, or a 400 invalidValue naming the field."""
    problem = rate_limit_problem(value)
    if problem is not None:
        raise invalid_value(problem[0].upper() + problem[1:] + ".")
    return None if value is None else {"requests": value["requests"],
                                       "per_seconds": value["per_seconds"]}


class _Tenant(Protocol):
    record: dict[str, Any]
    store: Any


def set_rate_limit(tenant: _Tenant, value: Any) -> None:
    """Give a tenant its own `rate_limit` (None removes it, so the profile's rules apply
    again); kept in the tenant's record, so a durable store and snapshots keep it."""
    setting = checked_rate_limit(value)
    with tenant.store.lock:
        # The store merges a record's fields into the stored one, so "none" is a null value.
        record = {**tenant.record, "rate_limit": setting}
        tenant.store.update_tenant(record)
        tenant.record = record
