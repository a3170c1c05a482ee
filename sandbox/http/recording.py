"""Around every SCIM request: label it, let a fault answer it, and write it to the journal.

The journal records what the client sent and what it got, whatever happened: a refused
token, an injected fault, a SCIM error or an internal error, so a failing test can show it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime

from flask import Response, g, request
from werkzeug.exceptions import HTTPException

from sandbox.http.responses import (
    INTERNAL_ERROR,
    error_response,
    http_error_response,
    peek_json,
)
from sandbox.scim.errors import ScimError
from sandbox.service import TenantRegistry, TenantService
from sandbox.service.clock import format_time
from sandbox.service.journal import JournalEntry, redact_headers
from sandbox.service.operations import classify

log = logging.getLogger("sandbox")


def segments_of(scim_path: str) -> list[str]:
    return [s for s in scim_path.split("/") if s]


def recorded(sandbox: TenantRegistry, vendor: str, tenant_key: str | None, segments: list[str],
             handler: Callable[[], Response]) -> Response:
    """Run `handler` for this SCIM request and journal the exchange in its tenant.

    `segments` are the request's path segments below the tenant URL."""
    started = time.perf_counter()
    method = request.method
    g.scim_operation = classify(method, segments, request.args, peek_json())
    try:
        response = handler()
    except ScimError as error:
        response = error_response(error)
    except HTTPException as error:
        response = http_error_response(error)
    except Exception:
        log.exception("unhandled error in %s %s", method, request.path)
        response = error_response(ScimError(500, INTERNAL_ERROR))
    tenant: TenantService | None = g.get("scim_tenant") or sandbox.tenant_for_url(
        vendor, tenant_key)
    if tenant is not None:
        tenant.journal.record(JournalEntry(
            time=format_time(datetime.now(UTC)),
            method=method,
            path=request.path,
            query=request.query_string.decode("latin-1"),
            status=response.status_code,
            duration_ms=(time.perf_counter() - started) * 1000,
            operation=g.scim_operation,
            request_headers=redact_headers(request.headers.items()),
            request_body=_request_bytes(),
            response_body=response.get_data() if not response.direct_passthrough else b"",
            fault=g.get("scim_fault"),
        ))
    return response


def _request_bytes() -> bytes:
    environ = request.environ
    if not environ.get("CONTENT_LENGTH") and \
            "chunked" not in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
        return b""  # no body: spare Werkzeug building a stream to read nothing
    try:
        return request.get_data(cache=True)
    except HTTPException:  # e.g. larger than the body limit: nothing was read
        return b""


def injected_fault(tenant: TenantService, segments: list[str]) -> Response | None:
    """The answer of a fault rule that fires for this request, if any (after its delay)."""
    if not tenant.faults:
        return None
    head = segments[0] if segments else ""
    rt = tenant.profile.by_endpoint(head)
    # HEAD is GET without a body, so a GET rule answers it too.
    method = "GET" if request.method == "HEAD" else request.method
    fault = tenant.faults.fire(method, rt.name if rt else None, g.scim_operation,
                               request.path)
    if fault is None:
        return None
    g.scim_fault = fault.id
    if fault.delay_ms:
        time.sleep(fault.delay_ms / 1000)
    error = fault.error()
    return None if error is None else error_response(error, fault.headers())
