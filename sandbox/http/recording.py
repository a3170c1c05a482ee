"""Around every SCIM request: label it, let a fault or stub answer it, and write it to the
journal.

The journal records what the client sent and what it got, whatever happened: a refused
token, an injected fault, a SCIM error or an internal error, so a failing test can show it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable

from flask import Response, request
from werkzeug.exceptions import HTTPException

from sandbox.http.exchange import ScimExchange
from sandbox.http.responses import INTERNAL_ERROR, error_response, http_error_response
from sandbox.scim.errors import ScimError, TooManyRequests
from sandbox.service import TenantService
from sandbox.service.clock import format_time
from sandbox.service.faults import Fault
from sandbox.service.journal import JournalEntry
from sandbox.service.operations import classify
from sandbox.service.stubs import StubAnswer

log = logging.getLogger("sandbox")
REDACTED = "[redacted]"
_SECRET_HEADERS = {"authorization", "cookie", "proxy-authorization"}


def recorded(exchange: ScimExchange, handler: Callable[[], Response]) -> Response:
    """Run `handler` for this SCIM request and journal the exchange in its tenant."""
    started = time.perf_counter()
    body = exchange.peek_patch() if exchange.method == "PATCH" else exchange.peek_body()
    exchange.operation = classify(request.method, exchange.segments, request.args, body)
    try:
        response = handler()
    except ScimError as error:
        response = error_response(error, _retry_after(error))
    except HTTPException as error:
        response = http_error_response(error)
    except Exception:
        log.exception("unhandled error in %s %s", request.method, request.path)
        response = error_response(ScimError(500, INTERNAL_ERROR))
    # A refused token still belongs in the journal of the tenant its URL names.
    tenant: TenantService | None = exchange.tenant or exchange.named_tenant
    if tenant is not None:
        tenant.journal.record(JournalEntry(
            time=format_time(tenant.now()),  # the sandbox clock, as `meta` times
            method=request.method,
            path=request.path,
            query=request.query_string.decode("latin-1"),
            status=response.status_code,
            duration_ms=(time.perf_counter() - started) * 1000,
            operation=exchange.operation,
            request_headers=redact_headers(request.headers.items()),
            request_body=_request_bytes(),
            response_body=response.get_data() if not response.direct_passthrough else b"",
            fault=exchange.fault,
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


def injected_fault(exchange: ScimExchange) -> Response | None:
    """The answer of a fault rule that fires for this request, if any (after its delay)."""
    tenant = exchange.tenant_or_error()
    if not tenant.faults:
        return None
    head = exchange.segments[0] if exchange.segments else ""
    rt = tenant.profile.by_endpoint(head)
    # HEAD is GET without a body, so a GET rule answers it too.
    fault = tenant.faults.fire(exchange.method, rt.name if rt else None, exchange.operation,
                               request.path, exchange.peek_body())
    if fault is None:
        return None
    exchange.fault = fault.id
    if fault.delay_ms:
        time.sleep(fault.delay_ms / 1000)
    stub = fault.stub()
    if stub is not None:
        return _stub_response(stub)
    error = fault.error()
    if error is None:
        return None
    response = error_response(error, _fault_headers(fault))
    for name, value in fault.headers:  # the fault's own headers win, Content-Type included
        response.headers[name] = value
    return response


def _stub_response(stub: StubAnswer) -> Response:
    """A stub's answer exactly as given: no Content-Type unless it has a body or names one
    (Flask would add text/html)."""
    response = Response(stub.body, status=stub.status)
    del response.headers["Content-Type"]
    for name, value in stub.headers:
        response.headers[name] = value
    return response


def _retry_after(error: ScimError) -> dict[str, str] | None:
    """RFC 6585 §4: a 429 may say when to come back (a profile's rate_limit does)."""
    if isinstance(error, TooManyRequests):
        return {"Retry-After": str(error.retry_after)}
    return None


def _fault_headers(fault: Fault) -> dict[str, str]:
    # RFC 6585 §4: a 429 may say when to come back.
    if fault.status == 429 and fault.retry_after is not None:
        return {"Retry-After": str(fault.retry_after)}
    return {}


def redact_headers(headers: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """Headers with secrets replaced: the scheme of an Authorization header stays visible."""
    kept = []
    for name, value in headers:
        if name.lower() in _SECRET_HEADERS:
            scheme = value.split(" ", 1)[0] if " " in value else ""
            value = f"{scheme} {REDACTED}".strip()
        kept.append((name, value))
    return tuple(kept)
