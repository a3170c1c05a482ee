"""`ScimClock`: the sandbox's clock as a test moves it (`scim_clock` fixture,
`ScimSandbox.clock`).

The same clock as `POST|DELETE /_sandbox/clock`: every tenant of the sandbox reads it for
`meta.created` / `meta.lastModified`, token expiry and grace periods, OAuth token lifetimes
and rate-limit windows, so a test freezes or moves time instead of waiting. It is the whole
sandbox's (one per session, per xdist worker): the `scim_clock` fixture gives real time back
when its test ends.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sandbox.service.sandbox_clock import SandboxClock


class ScimClock:
    """`freeze(at)`, `advance(seconds)`, `release()`, and `now` / `frozen` to read it."""

    def __init__(self, clock: SandboxClock) -> None:
        self._clock = clock

    @property
    def now(self) -> datetime:
        """The sandbox's now (timezone-aware, UTC)."""
        return self._clock()

    @property
    def frozen(self) -> bool:
        return self._clock.frozen

    def freeze(self, at: datetime | str | None = None) -> datetime:
        """Stop the clock at `at` (a timezone-aware datetime or ISO 8601 text with a
        timezone, e.g. "2030-01-01T00:00:00Z"; None: the sandbox's now) and return it."""
        moment = self._clock() if at is None else _moment(at)
        self._clock.freeze(moment)
        return self._clock()

    def advance(self, seconds: float | timedelta) -> datetime:
        """Move the clock on (frozen or not) by `seconds` or a timedelta; never back.
        Returns the new now."""
        step = seconds.total_seconds() if isinstance(seconds, timedelta) else seconds
        if not isinstance(step, int | float) or isinstance(step, bool):
            raise TypeError(f"advance() takes seconds or a timedelta, not {seconds!r}")
        self._clock.advance(step)
        return self._clock()

    def release(self) -> None:
        """Back to real time (what `DELETE /_sandbox/clock` does)."""
        self._clock.reset()

    def __repr__(self) -> str:
        state = "frozen" if self.frozen else "running"
        return f"<ScimClock {state} at {self.now.isoformat()}>"


def _moment(at: datetime | str) -> datetime:
    if isinstance(at, str):
        try:
            at = datetime.fromisoformat(at.strip())
        except ValueError:
            raise ValueError(f"freeze() needs an ISO 8601 time with a timezone, e.g. "
                             f"2030-01-01T00:00:00Z; got {at!r}") from None
    if not isinstance(at, datetime):
        raise TypeError(f"freeze() takes a datetime or ISO 8601 text, not {at!r}")
    if at.tzinfo is None:
        raise ValueError(f"freeze() needs a timezone-aware time (e.g. tzinfo=UTC); got {at!r}")
    return at
