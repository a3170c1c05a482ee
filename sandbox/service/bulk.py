"""Running a bulk request (RFC 7644 §3.7) against one tenant: each operation is the single
POST, PUT, PATCH or DELETE it stands for, with the same checks, and fails alone.

Operations are not one transaction: as §3.7 says, what succeeded stays done when a later
operation fails; `failOnErrors` stops the run after that many failures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sandbox.scim.bulk import (
    BulkLimits,
    BulkOperation,
    BulkRequest,
    bulk_response,
    operation_result,
    resolved,
    split_path,
)
from sandbox.scim.errors import ScimError, not_found
from sandbox.service.tenant import TenantService

_CIRCULAR = 409  # RFC 7644 §3.7.1: a circle of bulkId references may be answered with 409


@dataclass(slots=True)
class _Run:
    """What a bulk run has learnt so far: the ids its POSTs made, the bulkIds that failed."""

    tenant: TenantService
    base_url: str
    made: dict[str, str] = field(default_factory=dict)
    failed: set[str] = field(default_factory=set)


def run_bulk(tenant: TenantService, body: Any, base_url: str,
             limits: BulkLimits | None = None) -> dict[str, Any]:
    """The BulkResponse of a bulk request's body; raises a ScimError for a request refused
    whole (its envelope, or over `limits`), before any operation runs. The answer lists the
    operations that ran, in the order they were sent."""
    if not tenant.profile.feature("bulk"):
        raise not_found(f"{tenant.profile.name} has no /Bulk endpoint.")
    request = BulkRequest.read(body, limits or BulkLimits())
    plan = request.plan()
    run = _Run(tenant, base_url)
    # A POST that cannot run makes nothing: an operation naming its bulkId fails with 409.
    run.failed.update(op.bulk_id for op in request.operations
                      if op.problem is not None and op.bulk_id is not None)
    results: dict[int, dict[str, Any]] = {}
    errors = 0
    for index in [*plan.order, *plan.circular]:
        if request.fail_on_errors is not None and errors >= request.fail_on_errors:
            break
        op = request.operations[index]
        if index in plan.circular:
            result = _failed(run, op, _circle(request, plan.circular))
        else:
            result = _run_one(run, op)
        results[index] = result
        if int(result["status"]) >= 400:
            errors += 1
    return bulk_response([results[index] for index in sorted(results)])


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


def _circle(request: BulkRequest, circular: list[int]) -> ScimError:
    names = sorted({request.operations[i].bulk_id or "" for i in circular} - {""})
    return ScimError(_CIRCULAR, f"The bulkId references of this operation go round in a "
                                f"circle (among {', '.join(names)}); the sandbox does not "
                                "resolve circular references (RFC 7644 §3.7.1 allows this "
                                "409). Create the resources first, then add the references "
                                "with PATCH operations.")
