"""What a cycle needs of whoever sends its requests: the settings, a count of requests sent,
and `send`. The engine is one; the cycle never imports it, so imports run one way."""

from __future__ import annotations

from typing import Protocol

from sandbox.entra.config import ProvisioningConfig
from sandbox.entra.requests import ScimRequest
from sandbox.entra.responses import ScimAnswer


class Sender(Protocol):
    """Sends one request and reads its answer; `requests_sent` counts every HTTP exchange."""

    config: ProvisioningConfig
    requests_sent: int

    def send(self, request: ScimRequest) -> ScimAnswer: ...
