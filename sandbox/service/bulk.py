"""Running a bulk request (RFC 7644 §3.7) against one tenant: each operation is the single
POST, PUT, PATCH or DELETE it stands for, with the same checks, and fails alone.

Operations are not one transaction: as §3.7 says, what succeeded stays done when a later
operation fails; `failOnErrors` stops the run after that many failures.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field, replace
from typing import Any

from sandbox.constants import PATCH_OP_SCHEMA
from sandbox.scim.bulk import (
    BulkLimits,
    BulkOperation,
    BulkRequest,
    bulk_response,
    detached,
    operation_result,
    references,
    resolved,
    split_path,
)
from sandbox.scim.errors import ScimError, not_found
from sandbox.service.tenant import TenantService

_LISTED = 5  # bulkIds a circle's error names; the rest are counted (the answer stays small)


@dataclass(slots=True)
class _Run:
    """What a bulk run has learnt so far: the ids its POSTs made, the bulkIds that failed,
    the results by operation index and how many failed."""

    tenant: TenantService
    base_url: str
    fail_on_errors: int | None
    made: dict[str, str] = field(default_factory=dict)
    failed: set[str] = field(default_factory=set)
    results: dict[int, dict[str, Any]] = field(default_factory=dict)
    errors: int = 0

    def stopped(self) -> bool:
        """`failOnErrors` reached: no further operation starts."""
        return self.fail_on_errors is not None and self.errors >= self.fail_on_errors

    def record(self, op: BulkOperation, result: dict[str, Any]) -> None:
        self.results[op.index] = result
        if int(result["status"]) >= 400:
            self.errors += 1


def run_bulk(tenant: TenantService, body: Any, base_url: str,
             limits: BulkLimits | None = None) -> dict[str, Any]:
    """The BulkResponse of a bulk request's body; raises a ScimError for a request refused
    whole (its envelope, or over `limits`), before any operation runs. The answer lists the
    operations that ran, in the order they were sent.

    References that go round in a circle (group A's members name group B, B's name A) are
    resolved as RFC 7644 §3.7.1 asks: the POSTs are made without the items of their
    multi-valued attributes that close the circle, then PATCHed to add them. Only a circle
    that runs through a single-valued attribute is answered with a 409."""
    if not tenant.profile.feature("bulk"):
        raise not_found(f"{tenant.profile.name} has no /Bulk endpoint.")
    request = BulkRequest.read(body, limits or BulkLimits())
    run = _Run(tenant, base_url, request.fail_on_errors)
    # A POST that cannot run makes nothing: an operation naming its bulkId fails with 409.
    run.failed.update(op.bulk_id for op in request.operations
                      if op.problem is not None and op.bulk_id is not None)
    plan = request.plan()
    _run_in_order(run, request, plan.order)
    if plan.circular and not run.stopped():
        _resolve_circles(run, request, plan.circular)
    return bulk_response([run.results[index] for index in sorted(run.results)])


def _run_in_order(run: _Run, request: BulkRequest, order: list[int]) -> None:
    for index in order:
        if run.stopped():
            return
        op = request.operations[index]
        run.record(op, _run_one(run, op))


def _run_one(run: _Run, op: BulkOperation) -> dict[str, Any]:
    try:
        if op.problem is not None:
            raise op.problem
        return _perform(run, op)
    except ScimError as error:
        return _failed(run, op, error)


def _failed(run: _Run, op: BulkOperation, error: ScimError) -> dict[str, Any]:
    if op.bulk_id is not None:
        run.failed.add(op.bulk_id)
    location = None
    if op.method != "POST" and op.path and not op.references - run.made.keys():
        location = run.base_url + resolved(op.path, run.made)
    return operation_result(op, error.status, location=location, error=error)


def _perform(run: _Run, op: BulkOperation) -> dict[str, Any]:
    assert op.path is not None and op.method is not None, "checked when the request was read"
    _check_references(run, op)
    tenant = run.tenant
    endpoint, rid = split_path(resolved(op.path, run.made))
    rt = tenant.resource_type(endpoint)
    data = resolved(op.data, run.made)
    if op.method == "POST":
        if rid is not None:
            raise ScimError(405, f"POST creates a resource at /{endpoint}, not at a "
                                 f"resource's own path /{endpoint}/{rid}.")
        stored: dict[str, Any] | None = tenant.create(rt, data)
        assert stored is not None
        run.made[op.bulk_id or ""] = stored["id"]
        location = f"{run.base_url}{rt.schema.endpoint}/{stored['id']}"
        return operation_result(op, 201, location=location, version=tenant.etag(stored))
    if rid is None:
        raise ScimError(405, f"{op.method} needs a resource's path, /{endpoint}/<id>.")
    location = f"{run.base_url}{rt.schema.endpoint}/{rid}"
    if op.method == "DELETE":
        tenant.delete(rt, rid, op.version)
        return operation_result(op, 204, location=location)
    if op.method == "PUT":
        stored = tenant.replace(rt, rid, data, op.version)
    else:
        stored = tenant.patch(rt, rid, data, op.version)
    if stored is None:  # a hard_delete_only rule removed what was deactivated
        return operation_result(op, 204, location=location)
    status = 204 if op.method == "PATCH" and rt.patch_response == "no_content" else 200
    return operation_result(op, status, location=location, version=tenant.etag(stored))


def _check_references(run: _Run, op: BulkOperation) -> None:
    """Every bulkId the operation names must be one an earlier POST of this request made."""
    for name in sorted(op.references):
        if name in run.failed:
            raise ScimError(409, f"bulkId '{name}' names an operation of this request that "
                                 "failed, so this operation cannot refer to it.")
        if name not in run.made:
            raise ScimError(400, f"No POST operation of this request has bulkId '{name}'.",
                            "invalidValue")


# RFC 7644 §3.7.1: circular references -----------------------------------------------------

def _resolve_circles(run: _Run, request: BulkRequest, waiting: list[int]) -> None:
    """Run the operations that wait on a circle: first its POSTs without the items that
    name a POST not made yet, then every other operation in order, then a PATCH per POST
    adding the items it was made without. An operation once begun is finished even past
    `failOnErrors`, so no resource is left half made."""
    unmade = {op.bulk_id for op in map(request.operations.__getitem__, waiting)
              if op.method == "POST" and op.bulk_id and op.problem is None}
    begun: set[int] = set()
    deferred: dict[int, dict[str, list[Any]]] = {}
    for op in map(request.operations.__getitem__, waiting):
        if run.stopped() or op.method != "POST" or op.problem is not None:
            continue
        base, later = detached(op.data, unmade - run.made.keys())
        if references(base) & (unmade - run.made.keys()):
            continue  # the circle runs through a single-valued attribute: it stays
        result = _run_one(run, replace(op, data=base, references=frozenset(references(base))))
        begun.add(op.index)
        if result["status"] == "201" and later:
            deferred[op.index] = later
        else:
            run.record(op, result)
    rest = request.plan(skip=begun | run.results.keys(), made=run.made.keys() | run.failed)
    _run_in_order(run, request, rest.order)
    for index in rest.circular:
        if not run.stopped():
            op = request.operations[index]
            run.record(op, _failed(run, op, _circle(request, rest.circular)))
    _add_deferred(run, request, deferred)


def _add_deferred(run: _Run, request: BulkRequest,
                  deferred: dict[int, dict[str, list[Any]]]) -> None:
    """PATCH into each POST's resource the items it was made without. One whose items name
    a POST that failed fails too (and its resource is removed), as it would have alone."""
    dropped = True
    while dropped:
        dropped = False
        for index in sorted(deferred):
            gone = sorted(references(deferred[index]) - run.made.keys())
            if gone:
                op = request.operations[index]
                _undo(run, op)
                run.record(op, _failed(run, op, ScimError(
                    409, f"bulkId '{gone[0]}' names an operation of this request that "
                         "failed, so this operation cannot refer to it.")))
                del deferred[index]
                dropped = True
    for index, later in sorted(deferred.items()):
        op = request.operations[index]
        try:
            result = _add_items(run, op, later)
        except ScimError as error:
            _undo(run, op)
            result = _failed(run, op, error)
        run.record(op, result)


def _add_items(run: _Run, op: BulkOperation, later: dict[str, list[Any]]) -> dict[str, Any]:
    rt = run.tenant.resource_type(split_path(op.path or "")[0])
    rid = run.made[op.bulk_id or ""]
    patch = {"schemas": [PATCH_OP_SCHEMA],
             "Operations": [{"op": "add", "path": name, "value": resolved(items, run.made)}
                            for name, items in later.items()]}
    stored = run.tenant.patch(rt, rid, patch, None)
    location = f"{run.base_url}{rt.schema.endpoint}/{rid}"
    version = run.tenant.etag(stored) if stored is not None else None
    return operation_result(op, 201, location=location, version=version)


def _undo(run: _Run, op: BulkOperation) -> None:
    """Remove what a POST of a circle made, when it cannot be finished."""
    rid = run.made.pop(op.bulk_id or "", None)
    if rid is None:
        return
    with suppress(ScimError):  # an operation of the request may have removed it already
        run.tenant.delete(run.tenant.resource_type(split_path(op.path or "")[0]), rid)


def _circle(request: BulkRequest, circular: list[int]) -> ScimError:
    names = sorted({request.operations[i].bulk_id or "" for i in circular} - {""})
    listed = ", ".join(names[:_LISTED]) + (f" and {len(names) - _LISTED} more"
                                           if len(names) > _LISTED else "")
    return ScimError(409, f"The bulkId references of this operation go round in a circle "
                          f"(among {listed}) through a single-valued attribute, which the "
                          "sandbox cannot leave out and add afterwards. Create the resources "
                          "first, then add the references with PATCH operations.")
