"""The sandbox's own clock: real time, unless a test froze it or moved it on.

Token lifetimes are days long and access tokens an hour; a test cannot wait for them. So every
tenant reads time through one `SandboxClock` per registry, which the admin API
(`POST /_sandbox/clock`) can freeze at a moment or move forward; `DELETE` gives real time back.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from sandbox.service.clock import Clock, utc_now


class SandboxClock:
    """A callable clock (as `Clock`): `clock()` is the sandbox's now."""

    def __init__(self, source: Clock = utc_now) -> None:
        self._source = source
        self._frozen_at: datetime | None = None
        self._offset = timedelta(0)
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        frozen = self._frozen_at
        if frozen is not None:
            return frozen
        offset = self._offset
        return self._source() + offset if offset else self._source()

    @property
    def frozen(self) -> bool:
        return self._frozen_at is not None

    @property
    def offset_seconds(self) -> float:
        """How far ahead of its source the clock runs (0 when frozen or real)."""
        return self._offset.total_seconds()

    def freeze(self, moment: datetime) -> None:
        """Stop the clock at `moment` (timezone-aware)."""
        if moment.tzinfo is None:
            raise ValueError("a frozen moment needs a timezone, e.g. 2030-01-01T00:00:00Z")
        with self._lock:
            self._frozen_at = moment

    def advance(self, seconds: float) -> None:
        """Move the clock on by `seconds` (never back: lifetimes only run forward)."""
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        step = timedelta(seconds=seconds)
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at += step
            else:
                self._offset += step

    def reset(self) -> None:
        """Back to real time."""
        with self._lock:
            self._frozen_at = None
            self._offset = timedelta(0)
