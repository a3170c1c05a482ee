"""The sandbox clock refuses a move that would leave the range of times it can show, and a
refused move changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sandbox.service.sandbox_clock import LATEST, SandboxClock

REAL = datetime(2030, 5, 1, tzinfo=UTC)


def test_freezing_near_the_end_of_time_is_refused_and_changes_nothing():
    clock = SandboxClock(lambda: REAL)
    with pytest.raises(ValueError, match="between"):
        clock.freeze(datetime(9999, 12, 31, 23, tzinfo=UTC))
    assert clock() == REAL and not clock.frozen


def test_a_freeze_and_a_step_past_the_range_are_refused_together():
    clock = SandboxClock(lambda: REAL)
    with pytest.raises(ValueError):
        clock.move(LATEST - timedelta(hours=1), 7200)
    assert clock() == REAL and not clock.frozen


def test_moving_real_time_past_the_range_is_refused():
    late = datetime(8900, 1, 1, tzinfo=UTC)
    clock = SandboxClock(lambda: late)
    with pytest.raises(ValueError):
        clock.advance(1e10)  # about 317 years
    assert clock() == late and clock.offset_seconds == 0


def test_a_moment_in_the_first_year_is_refused_not_overflowed():
    clock = SandboxClock(lambda: REAL)
    with pytest.raises(ValueError):
        clock.freeze(datetime.fromisoformat("0001-01-01T00:30:00+05:00"))
    assert clock() == REAL


def test_moves_inside_the_range_still_work():
    clock = SandboxClock(lambda: REAL)
    clock.move(datetime(2040, 1, 1, tzinfo=UTC), 60)
    assert clock() == datetime(2040, 1, 1, 0, 1, tzinfo=UTC) and clock.frozen
