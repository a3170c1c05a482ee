"""Fault injection: rules that make a tenant misbehave on purpose.

A client under test must cope with what Microsoft Entra copes with: 429s with Retry-After,
5xx answers, slow answers and SCIM errors. A rule matches requests by method, resource type,
Entra operation, a path pattern or what the request body contains, then answers with a
SCIM error, a stubbed answer of its own (`stubs`), a delay, or a delay and an answer, for
the next N matching requests or with a seeded probability.
"""

from __future__ import annotations

import copy
import random
import re
import secrets
import threading
from dataclasses import dataclass, field
from typing import Any

from sandbox.config import MAX_FAULT_DELAY_MS
from sandbox.scim.errors import ScimError, invalid_value
from sandbox.service.operations import LABELS
from sandbox.service.stubs import (
    NO_CONTENT_STATUSES,
    StubAnswer,
    contains,
    json_bytes,
    read_body_contains,
    read_headers,
    stub_answer,
    text_bytes,
)

_FIELDS = {"method", "resource_type", "operation", "path", "body_contains", "status",
           "scim_type", "detail", "retry_after", "headers", "body", "body_text", "delay_ms",
           "times", "probability", "seed"}
_METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"}


@dataclass(slots=True)
class Fault:
    """One rule; `fired` counts the requests it answered."""

    id: str
    method: str | None = None
    resource_type: str | None = None
    operation: str | None = None
    path: str | None = None
    body_contains: dict[str, Any] | None = None
    status: int | None = None
    scim_type: str | None = None
    detail: str | None = None
    retry_after: int | None = None
    headers: tuple[tuple[str, str], ...] = ()
    body: Any = None
    body_text: str | None = None
    delay_ms: int | None = None
    times: int | None = None
    probability: float | None = None
    seed: int | None = None
    fired: int = 0
    _pattern: re.Pattern[str] | None = field(default=None, repr=False)
    _rng: random.Random = field(default_factory=random.Random, repr=False)
    _payload: bytes | None = field(default=None, repr=False)  # body or body_text, encoded

    def matches(self, method: str, resource_type: str | None, operation: str, path: str,
                body: Any = None) -> bool:
        """Whether this rule's matchers all accept the request (`body`: its JSON, or None)."""
        return ((self.method is None or self.method == method)
                and (self.resource_type is None or self.resource_type == resource_type)
                and (self.operation is None or self.operation == operation)
                and (self._pattern is None or self._pattern.search(path) is not None)
                and (self.body_contains is None or contains(body, self.body_contains)))

    @property
    def retired(self) -> bool:
        return self.times is not None and self.fired >= self.times

    @property
    def is_stub(self) -> bool:
        """A stub gives its own answer: a status below 400, or a body of its own."""
        return self.status is not None and (self.status < 400 or self._payload is not None)

    def error(self) -> ScimError | None:
        """The SCIM error this fault answers with, or None for a stub or a delay-only fault;
        its `headers` go on the error answer too."""
        if self.status is None or self.is_stub:
            return None
        detail = self.detail or f"Injected fault {self.id}: status {self.status}."
        return ScimError(self.status, detail, self.scim_type)

    def stub(self) -> StubAnswer | None:
        """The exact answer of a stub, or None when this fault is not one."""
        if self.status is None or not self.is_stub:
            return None
        return stub_answer(self.status, self.headers, self._payload, self.retry_after)

    def to_dict(self) -> dict[str, Any]:
        """The fault as the admin API shows it: its JSON spec, `id` and `fired`."""
        data = {name: getattr(self, name) for name in ("id", *sorted(_FIELDS), "fired")}
        data["headers"] = dict(self.headers) if self.headers else None
        data["body"] = copy.deepcopy(self.body)
        data["body_contains"] = copy.deepcopy(self.body_contains)
        return data


class FaultSet:
    """A tenant's fault rules, checked in the order they were added."""

    def __init__(self, max_delay_ms: int = MAX_FAULT_DELAY_MS) -> None:
        self.max_delay_ms = max_delay_ms
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, spec: Any) -> Fault:
        """Add a rule from its JSON form; 400 invalidValue naming what is wrong."""
        fault = _parse(spec, self.max_delay_ms)
        with self._lock:
            self._faults.append(fault)
        return fault

    def __bool__(self) -> bool:
        return bool(self._faults)  # read without the lock: a hint, fire() decides

    def list(self) -> list[Fault]:
        with self._lock:
            return list(self._faults)

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def remove(self, fault_id: str) -> bool:
        with self._lock:
            kept = [f for f in self._faults if f.id != fault_id]
            removed = len(kept) != len(self._faults)
            self._faults = kept
            return removed

    def fire(self, method: str, resource_type: str | None, operation: str,
             path: str, body: Any = None) -> Fault | None:
        """The first live rule that matches and fires for this request (counted), or None;
        `body` is the request's JSON body (None when it has none or it is not JSON)."""
        if not self._faults:
            return None
        with self._lock:
            for fault in self._faults:
                if fault.retired or not fault.matches(method, resource_type, operation, path,
                                                      body):
                    continue
                if fault.probability is not None and fault._rng.random() >= fault.probability:
                    continue
                fault.fired += 1
                return fault
        return None


def _parse(spec: Any, max_delay_ms: int) -> Fault:
    if not isinstance(spec, dict):
        raise invalid_value("A fault is a JSON object such as {\"status\": 503, \"times\": 1}.")
    unknown = sorted(set(spec) - _FIELDS)
    if unknown:
        raise invalid_value(f"Unknown fault field(s) {unknown}; known: {sorted(_FIELDS)}.")
    fault = Fault(id=f"f-{secrets.token_hex(4)}")
    _read_matchers(fault, spec)
    _read_answer(fault, spec)
    fault.delay_ms = _int(spec, "delay_ms", 0, max_delay_ms)
    fault.times = _int(spec, "times", 1, 1_000_000)
    fault.seed = _int(spec, "seed", -(2**63), 2**63 - 1)
    probability = spec.get("probability")
    if probability is not None:
        if isinstance(probability, bool) or not isinstance(probability, int | float) \
                or not 0 <= probability <= 1:
            raise invalid_value("'probability' must be a number from 0 to 1.")
        fault.probability = float(probability)
    if fault.status is None and not fault.delay_ms:
        raise invalid_value("A fault needs a 'status' to answer with, a 'delay_ms', or both.")
    fault._rng = random.Random(fault.seed)
    return fault


def _read_matchers(fault: Fault, spec: dict[str, Any]) -> None:
    """The fields that say which requests a fault answers."""
    method = spec.get("method")
    if method is not None:
        if not isinstance(method, str) or method.upper() not in _METHODS:
            raise invalid_value(f"'method' must be one of {sorted(_METHODS)}.")
        fault.method = method.upper()
    resource_type = spec.get("resource_type")
    if resource_type is not None:
        if resource_type not in ("User", "Group"):
            raise invalid_value("'resource_type' must be 'User' or 'Group'.")
        fault.resource_type = resource_type
    operation = spec.get("operation")
    if operation is not None:
        if not isinstance(operation, str) or operation.lower() not in LABELS:
            raise invalid_value(f"'operation' must be one of {list(LABELS)}.")
        fault.operation = operation.lower()
    path = spec.get("path")
    if path is not None:
        if not isinstance(path, str):
            raise invalid_value("'path' must be a regular expression string.")
        try:
            fault._pattern = re.compile(path)
        except re.error as exc:
            raise invalid_value(f"'path' is not a valid regular expression: {exc}.") from None
        fault.path = path
    if spec.get("body_contains") is not None:
        fault.body_contains = read_body_contains(spec["body_contains"])


def _read_answer(fault: Fault, spec: dict[str, Any]) -> None:
    """The fields that say what a fault answers: a SCIM error (status 400-599 with
    `scim_type`, `detail`), or a stub's own status, `headers` and `body` or `body_text`."""
    fault.status = _int(spec, "status", 200, 599)
    fault.retry_after = _int(spec, "retry_after", 0, 86_400)
    for name in ("scim_type", "detail"):
        value = spec.get(name)
        if value is not None and not isinstance(value, str):
            raise invalid_value(f"'{name}' must be a string.")
        setattr(fault, name, value)
    if spec.get("headers") is not None:
        fault.headers = read_headers(spec["headers"])
    body, text = spec.get("body"), spec.get("body_text")
    if body is not None and text is not None:
        raise invalid_value("Give 'body' (a JSON value) or 'body_text' (raw text), not both.")
    if body is not None:
        fault._payload = json_bytes("body", body)
        fault.body = copy.deepcopy(body)
    elif text is not None:
        fault._payload = text_bytes(text)
        fault.body_text = text
    _check_answer(fault)


def _check_answer(fault: Fault) -> None:
    answers = [name for name in ("headers", "body", "body_text")
               if getattr(fault, name) not in (None, ())]
    if fault.status is None and answers:
        raise invalid_value(f"'{answers[0]}' needs a 'status' to answer with.")
    if fault.status is not None and fault.status < 400 and (fault.scim_type or fault.detail):
        raise invalid_value("'scim_type' and 'detail' shape a SCIM error; they need a status "
                            "from 400 to 599.")
    if fault._payload is not None and (fault.scim_type or fault.detail):
        raise invalid_value("'scim_type' and 'detail' shape the sandbox's SCIM error body; a "
                            "fault with its own 'body' or 'body_text' has no use for them.")
    if fault._payload is not None and fault.status in NO_CONTENT_STATUSES:
        raise invalid_value(f"Status {fault.status} answers carry no body; drop 'body' or "
                            "'body_text', or pick another status.")
    if fault.retry_after is not None and fault.status != 429:
        raise invalid_value("'retry_after' goes with status 429.")
    if fault.retry_after is not None and any(n.lower() == "retry-after" for n, _ in fault.headers):
        raise invalid_value("Give 'retry_after' or a 'Retry-After' header, not both.")


def _int(spec: dict[str, Any], name: str, low: int, high: int) -> int | None:
    value = spec.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise invalid_value(f"'{name}' must be an integer from {low} to {high}; got {value!r}.")
    return value
