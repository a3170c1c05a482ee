"""The sandbox's own clock: real time, unless a test froze it or moved it on.

Token lifetimes are days long and access tokens an hour; a test cannot wait for them. So every
tenant reads time through one `SandboxClock` per registry, which the admin API
(`POST /_sandbox/clock`) can freeze at a moment or move forward; `DELETE` gives real time back.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sandbox.service.clock import Clock, utc_now

# The moments the clock may show: every time a record or an answer holds must stay
# formattable and leave room for lifetimes added to it (days, a month of grace).
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)


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
        self.move(moment, 0)

    def advance(self, seconds: float) -> None:
        """Move the clock on by `seconds` (never back: lifetimes only run forward)."""
        self.move(None, seconds)

    def move(self, frozen_at: datetime | None, seconds: float) -> None:
        """Freeze at `frozen_at` (when given), then move on `seconds`; ValueError, with the
        clock unchanged, when the result would fall outside EARLIEST..LATEST."""
        if frozen_at is not None and frozen_at.tzinfo is None:
            raise ValueError("a frozen moment needs a timezone, e.g. 2030-01-01T00:00:00Z")
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        with self._lock:
            frozen = frozen_at if frozen_at is not None else self._frozen_at
            try:
                step = timedelta(seconds=seconds)
                if frozen is not None:
                    frozen, offset = frozen + step, self._offset
                    moment = frozen
                else:
                    offset = self._offset + step
                    moment = self._source() + offset
            except OverflowError:
                moment = None
            if moment is None or not EARLIEST <= moment <= LATEST:
                raise ValueError(f"the clock must stay between {EARLIEST.year} and "
                                 f"{LATEST.year}")
            self._frozen_at, self._offset = frozen, offset

    def reset(self) -> None:
        """Back to real time."""
        with self._lock:
            self._frozen_at = None
            self._offset = timedelta(0)
