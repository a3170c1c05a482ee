"""`TenantRate` without HTTP: a profile with two `rate_limit` rules counts a request only
when every rule lets it through."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from sandbox.scim.errors import TooManyRequests
from sandbox.service.rate_limits import TenantRate

START = datetime(2030, 1, 1, tzinfo=UTC)


class TwoRules:
    """A profile stand-in: at most 3 requests a second and 2 in ten seconds."""

    name = "Two rules"

    def rules_of(self, kind):
        assert kind == "rate_limit"
        return [SimpleNamespace(requests=3, per_seconds=1),
                SimpleNamespace(requests=2, per_seconds=10)]


def at(seconds):
    return lambda: START + timedelta(seconds=seconds)


def test_a_request_refused_by_one_rule_is_counted_by_none():
    rate = TenantRate(TwoRules())
    rate.admit(at(0), None)
    rate.admit(at(2), None)
    for seconds in (9.7, 9.8, 9.9):  # the ten-second rule refuses; the other would allow
        with pytest.raises(TooManyRequests):
            rate.admit(at(seconds), None)
    # At 10 s the first request leaves the ten-second window. Had the three refused ones
    # counted in the one-second window, that rule would refuse this request.
    rate.admit(at(10), None)
