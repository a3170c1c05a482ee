"""Bulk requests (RFC 7644 §3.7): reading one, the order its operations run in, and the
answer's shape. No resource is touched here; `service.bulk` runs the operations.

A bulk request is refused as a whole (an error answer, nothing changed) when its envelope
is wrong or it is over a limit (§3.7.4: 413); an operation that is wrong on its own fails
alone, with a SCIM error body in its result (§3.7.3), and the others still run.
"""

from __future__ import annotations

import heapq
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from sandbox.scim.errors import ScimError, invalid_path, invalid_syntax, invalid_value

BULK_REQUEST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:BulkRequest"
BULK_RESPONSE_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:BulkResponse"
BULK_METHODS = ("POST", "PUT", "PATCH", "DELETE")
REFERENCE = "bulkId:"  # §3.7.2: "bulkId:<id>" stands for the id of a resource made earlier
MAX_OPERATIONS = 1000  # the defaults /ServiceProviderConfig announces (its RFC example's)
MAX_PAYLOAD_SIZE = 1_048_576


@dataclass(frozen=True, slots=True)
class BulkLimits:
    """What one bulk request may hold: `maxOperations` and `maxPayloadSize` (bytes)."""

    max_operations: int = MAX_OPERATIONS
    max_payload_size: int = MAX_PAYLOAD_SIZE

    def check_payload(self, size: int) -> None:
        """§3.7.4: a body over `maxPayloadSize` is a 413, before anything runs."""
        if size > self.max_payload_size:
            raise ScimError(413, f"The size of the bulk operation ({size} bytes) exceeds the "
                                 f"maxPayloadSize ({self.max_payload_size}).")

    def check_count(self, count: int) -> None:
        """§3.7.4: more operations than `maxOperations` is a 413, before anything runs."""
        if count > self.max_operations:
            raise ScimError(413, f"The bulk request has {count} operations, more than the "
                                 f"maxOperations ({self.max_operations}).")


@dataclass(frozen=True, slots=True)
class BulkOperation:
    """One operation as the client sent it; `problem` is the error it fails with, when it
    cannot run at all (no method, no path, a POST without bulkId, ...)."""

    index: int
    method: str | None
    bulk_id: str | None
    version: str | None
    path: str | None
    data: Any
    problem: ScimError | None = None
    references: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True, slots=True)
class BulkPlan:
    """The order operations run in: every operation after the POSTs whose bulkId it names
    (else in the order sent), then those waiting, directly or not, on references that go
    round in a circle."""

    order: list[int]
    circular: list[int]


@dataclass(frozen=True, slots=True)
class BulkRequest:
    operations: tuple[BulkOperation, ...]
    fail_on_errors: int | None  # stop once this many operations failed; None: run them all

    @classmethod
    def read(cls, body: Any, limits: BulkLimits) -> BulkRequest:
        """Check the envelope and read each operation; raises for a request refused whole."""
        if not isinstance(body, dict):
            raise invalid_syntax("A bulk request must be a JSON object.")
        fields = {key.lower(): value for key, value in body.items()}
        schemas = fields.get("schemas")
        if not isinstance(schemas, list) or BULK_REQUEST_SCHEMA not in schemas:
            raise invalid_syntax(f"'schemas' must be ['{BULK_REQUEST_SCHEMA}'].")
        operations = fields.get("operations")
        if not isinstance(operations, list) or not operations:
            raise invalid_syntax("'Operations' must be a list of one or more operations.")
        limits.check_count(len(operations))
        fail_on_errors = fields.get("failonerrors")
        if fail_on_errors is not None and (
                not isinstance(fail_on_errors, int) or isinstance(fail_on_errors, bool)
                or fail_on_errors < 1):
            raise invalid_value("'failOnErrors' must be a whole number of errors, 1 or more.")
        read = tuple(_operation(index, raw) for index, raw in enumerate(operations))
        _check_distinct_bulk_ids(read)
        return cls(read, fail_on_errors)

    def plan(self, skip: Collection[int] = (), made: Collection[str] = ()) -> BulkPlan:
        """Each operation after the POSTs it refers to by bulkId, otherwise in the order
        sent. Operations in `skip` are left out, and a reference to a bulkId in `made`
        waits for nothing (its POST already ran)."""
        makers = {op.bulk_id: op.index for op in self.operations
                  if op.method == "POST" and op.bulk_id and op.problem is None
                  and op.index not in skip and op.bulk_id not in made}
        waits_for: dict[int, set[int]] = {}
        unblocks: dict[int, list[int]] = {}
        for op in self.operations:
            if op.index in skip:
                continue
            needed = {makers[name] for name in op.references if name in makers}
            waits_for[op.index] = needed
            for other in needed:
                unblocks.setdefault(other, []).append(op.index)
        ready = [index for index, needed in waits_for.items() if not needed]
        heapq.heapify(ready)
        order: list[int] = []
        while ready:
            index = heapq.heappop(ready)
            order.append(index)
            for waiting in unblocks.get(index, ()):
                waits_for[waiting].discard(index)
                if not waits_for[waiting]:
                    heapq.heappush(ready, waiting)
        done = set(order)
        return BulkPlan(order, [index for index in waits_for if index not in done])


def _operation(index: int, raw: Any) -> BulkOperation:
    if not isinstance(raw, dict):
        return BulkOperation(index, None, None, None, None, None,
                             invalid_syntax("A bulk operation must be a JSON object."))
    fields = {key.lower(): value for key, value in raw.items()}
    method = fields.get("method")
    method = method.upper() if isinstance(method, str) else method
    bulk_id, version, path = fields.get("bulkid"), fields.get("version"), fields.get("path")
    data = fields.get("data")
    op = BulkOperation(index, method if isinstance(method, str) else None,
                       bulk_id if isinstance(bulk_id, str) else None,
                       version if isinstance(version, str) else None,
                       path if isinstance(path, str) else None, data)
    problem = _problem(op, method, bulk_id, version, path)
    found = references(data) | references(op.path or "")
    return BulkOperation(op.index, op.method, op.bulk_id, op.version, op.path, data, problem,
                         frozenset(found))


def _problem(op: BulkOperation, method: Any, bulk_id: Any, version: Any,
             path: Any) -> ScimError | None:
    """What keeps an operation from running, in the words of §3.7's attribute list."""
    if method not in BULK_METHODS:
        return invalid_value(f"'method' must be one of {', '.join(BULK_METHODS)}; "
                             f"got {method!r}.")
    if bulk_id is not None and (not isinstance(bulk_id, str) or not bulk_id):
        return invalid_value("'bulkId' must be a non-empty string.")
    if method == "POST" and bulk_id is None:
        return invalid_value("A POST operation needs a 'bulkId', so that its result and "
                             "later operations can name the resource it creates.")
    if version is not None and not isinstance(version, str):
        return invalid_value("'version' must be an ETag string such as W/\"1\".")
    if not isinstance(path, str) or not path.startswith("/"):
        return invalid_path("'path' is required: the resource's path below the SCIM base "
                            "URL, such as /Users or /Users/<id>.")
    if method != "DELETE" and not isinstance(op.data, dict):
        return invalid_syntax(f"A {method} operation needs 'data': the JSON object a single "
                              f"{method} request would send.")
    return None


def _check_distinct_bulk_ids(operations: tuple[BulkOperation, ...]) -> None:
    seen: set[str] = set()
    for op in operations:
        if op.bulk_id is None:
            continue
        if op.bulk_id in seen:
            raise invalid_value(f"bulkId '{op.bulk_id}' is used by more than one operation; "
                                "each bulkId must be unique within the request.")
        seen.add(op.bulk_id)


def split_path(path: str) -> tuple[str, str | None]:
    """`/Users` → ("Users", None); `/Users/42` → ("Users", "42"); anything else refused."""
    parts = path.strip("/").split("/")
    if not parts[0] or len(parts) > 2:
        raise invalid_path(f"'{path}' is not a bulk operation path; use /<ResourceType> or "
                           "/<ResourceType>/<id>.")
    return parts[0], parts[1] if len(parts) == 2 else None


def references(value: Any) -> set[str]:
    """The bulkIds a value names (strings "bulkId:<id>"), at any depth; in a path, the
    segment after the resource type."""
    found: set[str] = set()
    pending = [value]
    while pending:
        current = pending.pop()
        if isinstance(current, str):
            found.update(name for name in map(_named, current.split("/")) if name)
        elif isinstance(current, dict):
            pending.extend(current.values())
        elif isinstance(current, list):
            pending.extend(current)
    return found


def _named(part: str) -> str:
    """The bulkId that one path segment or string names ("bulkId:<id>"), or "" when it
    names none; a bare "bulkId:" is plain text."""
    return part[len(REFERENCE):] if part.startswith(REFERENCE) else ""


def resolved(value: Any, ids: Mapping[str, str]) -> Any:
    """`value` with each "bulkId:<id>" replaced by the id the POST of that bulkId made;
    every name must be in `ids` (the caller checks `references` first)."""
    if isinstance(value, str):
        if REFERENCE not in value:
            return value
        return "/".join(ids[_named(part)] if _named(part) else part
                        for part in value.split("/"))
    if isinstance(value, dict):
        return {key: resolved(item, ids) for key, item in value.items()}
    if isinstance(value, list):
        return [resolved(item, ids) for item in value]
    return value


def detached(data: dict[str, Any], names: Collection[str],
             ) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """`data` without the items of its multi-valued attributes (such as a group's
    `members`) that name one of the bulkIds `names`, and those items by attribute: how a
    circle of references is broken (RFC 7644 §3.7.1), creating the resources without them
    and adding them afterwards."""
    base: dict[str, Any] = {}
    deferred: dict[str, list[Any]] = {}
    for key, value in data.items():
        if isinstance(value, list):
            later = [item for item in value if references(item) & set(names)]
            if later:
                deferred[key] = later
                value = [item for item in value if not references(item) & set(names)]
        base[key] = value
    return base, deferred


def operation_result(op: BulkOperation, status: int, *, location: str | None = None,
                     version: str | None = None,
                     error: ScimError | None = None) -> dict[str, Any]:
    """One entry of the answer's `Operations` (§3.7): the status as a string, as the RFC's
    examples write it; an error's SCIM body as `response`."""
    result: dict[str, Any] = {"method": op.method}
    if op.bulk_id is not None:
        result["bulkId"] = op.bulk_id
    if version is not None:
        result["version"] = version
    if location is not None:
        result["location"] = location
    result["status"] = str(status)
    if error is not None:
        result["response"] = error.to_dict()
    return result


def bulk_response(results: list[dict[str, Any]]) -> dict[str, Any]:
    return {"schemas": [BULK_RESPONSE_SCHEMA], "Operations": results}
