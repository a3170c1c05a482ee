"""While a 429's Retry-After runs, the engine tells its listener what it waits for and until
when, so that a progress display can say so instead of looking stuck."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sandbox.entra import SourceDirectory
from sandbox.entra.engine import RetryWait

NOON = datetime(2026, 1, 5, 12, 0, 0, tzinfo=UTC)


def test_the_wait_is_reported_before_the_pause_and_cleared_after_it(tenant_of, engine_for,
                                                                   add_fault, sleeps):
    tenant = tenant_of("generic")
    add_fault(tenant, operation="create user", status=429, retry_after=3, times=1)
    events: list[object] = []
    # The sleep records what the listener had been told when the pause began.
    engine = engine_for(tenant, clock=lambda: NOON)
    engine.config.sleep = lambda seconds: events.append(("sleep", seconds))
    engine.on_wait = events.append
    result = engine.run_cycle(SourceDirectory.fake(users=1))
    assert result.ok
    assert events == [
        RetryWait("POST /Users", 429, 3.0, NOON + timedelta(seconds=3)),
        ("sleep", 3.0),
        None,
    ]


def test_the_reported_wait_is_the_capped_one(tenant_of, engine_for, add_fault, sleeps):
    tenant = tenant_of("generic")
    add_fault(tenant, operation="create user", status=429, retry_after=3600, times=1)
    waits: list[RetryWait | None] = []
    engine = engine_for(tenant, clock=lambda: NOON, max_retry_after=5)
    engine.on_wait = waits.append
    engine.run_cycle(SourceDirectory.fake(users=1))
    assert sleeps == [5.0]
    assert waits == [RetryWait("POST /Users", 429, 5.0, NOON + timedelta(seconds=5)), None]


def test_no_429_no_wait_reported(tenant_of, engine_for, sleeps):
    waits: list[RetryWait | None] = []
    engine = engine_for(tenant_of("generic"))
    engine.on_wait = waits.append
    assert engine.run_cycle(SourceDirectory.fake(users=2)).ok
    assert waits == [] and sleeps == []


def test_the_wait_is_cleared_even_when_the_pause_is_interrupted(tenant_of, engine_for,
                                                                add_fault):
    tenant = tenant_of("generic")
    add_fault(tenant, operation="test connection", status=429, retry_after=1, times=1)

    def interrupted(seconds: float) -> None:
        raise KeyboardInterrupt

    waits: list[RetryWait | None] = []
    engine = engine_for(tenant)
    engine.config.sleep = interrupted
    engine.on_wait = waits.append
    with pytest.raises(KeyboardInterrupt):
        engine.test_connection()
    assert len(waits) == 2 and isinstance(waits[0], RetryWait) and waits[1] is None
