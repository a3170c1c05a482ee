"""A tenant's request rate, as a `rate_limit` rule bounds it: at most N requests in any
window of S seconds, by the sandbox's clock (so a test can move time instead of waiting).

A refused request does not count: a client that waits as `Retry-After` says gets through.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from datetime import datetime, timedelta

from sandbox.scim.errors import TooManyRequests


class RateWindow:
    """The times of the last `requests` admitted requests of one tenant."""

    def __init__(self, requests: int, per_seconds: int, vendor: str) -> None:
        self.requests = requests
        self.per_seconds = per_seconds
        self.vendor = vendor
        self._window = timedelta(seconds=per_seconds)
        self._admitted: deque[datetime] = deque(maxlen=requests)
        self._lock = threading.Lock()

    def admit(self, now: datetime) -> None:
        """Count a request made at `now`, or raise a 429 saying when the next one may go."""
        with self._lock:
            if len(self._admitted) == self.requests:
                wait = (self._admitted[0] + self._window - now).total_seconds()
                if wait > 0:
                    seconds = max(1, math.ceil(wait))
                    raise TooManyRequests(
                        f"Too many requests: {self.vendor} accepts at most {self.requests} "
                        f"in {self.per_seconds} seconds per tenant (rule rate_limit); retry "
                        f"after {seconds} seconds.", seconds)
            self._admitted.append(now)  # the deque drops the oldest past `requests`
