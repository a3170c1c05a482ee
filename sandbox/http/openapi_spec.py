"""The OpenAPI 3.1 description of the admin API (`GET /_sandbox/openapi.json`), as data.

One entry per URL rule and method of the `/_sandbox` routes; tests/http/test_openapi.py
checks the two agree, so a new admin route needs its entry here. Bodies are described by
the schemas of `openapi_schemas`.
"""

from __future__ import annotations

from typing import Any

from sandbox.constants import SCIM_JSON
from sandbox.http.openapi_schemas import SCHEMAS, Schema, ref

_REASONS = {200: "OK", 201: "Created", 204: "No Content", 400: "Bad request (SCIM error)",
            401: "No or wrong admin token", 404: "No such tenant, fault or vendor",
            415: "The body is not JSON"}


def _body(schema: Schema) -> dict[str, Any]:
    return {"content": {SCIM_JSON: {"schema": schema}, "application/json": {"schema": schema}}}


def _op(summary: str, ok: int, answer: str | None = None, *, request: str | None = None,
        optional_body: bool = False, errors: tuple[int, ...] = (400,), public: bool = False,
        query: tuple[tuple[str, str], ...] = (), description: str = "",
        media: str = SCIM_JSON) -> dict[str, Any]:
    """One operation: its summary, the answer on success (a schema name, or none for 204),
    the body it reads, its query parameters, and the errors it may answer."""
    responses: dict[str, Any] = {str(ok): {"description": _REASONS[ok]}}
    if answer is not None:
        responses[str(ok)]["content"] = {media: {"schema": ref(answer)}}
    for status in (*errors, *(() if public else (401,))):
        responses[str(status)] = {"$ref": "#/components/responses/Error"}
    operation: dict[str, Any] = {"summary": summary, "responses": responses}
    if description:
        operation["description"] = description
    if request is not None:
        operation["requestBody"] = {"required": not optional_body, **_body(ref(request))}
    if query:
        operation["parameters"] = [{"name": name, "in": "query", "required": False,
                                    "description": text, "schema": {"type": "string"}}
                                   for name, text in query]
    if public:
        operation["security"] = []
    return operation


_TENANT = "/_sandbox/tenants/{tenant_id}"

PATHS: dict[str, dict[str, dict[str, Any]]] = {
    "/_sandbox/health": {
        "get": _op("Whether the sandbox is up", 200, "Health", errors=(), public=True),
    },
    "/_sandbox/openapi.json": {
        "get": _op("This description of the admin API", 200, "OpenApi", errors=(),
                   public=True, media="application/json",
                   description="Served without the admin token, as a description holds no "
                               "secret."),
    },
    "/_sandbox/vendors": {
        "get": _op("The vendors the sandbox serves, a page at a time", 200, "VendorListing",
                   query=(("q", "ids or names holding this text, any case"),
                          ("startIndex", "the first entry, from 1"),
                          ("count", "how many at most"),
                          ("detail", "full: every entry's whole summary"))),
    },
    "/_sandbox/tenants": {
        "post": _op("Create a tenant of a vendor", 201, "Tenant", request="NewTenant",
                    errors=(400, 404, 415), description="The answer's Location header is "
                    "the tenant's admin URL."),
        "get": _op("Every tenant", 200, "TenantList", errors=()),
    },
    _TENANT: {
        "get": _op("One tenant, with its resource counts", 200, "Tenant", errors=(404,)),
        "patch": _op("Change a tenant's settings, rate limit or token expiry", 200, "Tenant",
                     request="TenantUpdate", errors=(400, 404, 415)),
        "delete": _op("Delete a tenant and its data", 204, errors=(404,)),
    },
    f"{_TENANT}/token": {
        "post": _op("Issue a new secret", 200, "RotatedTenant", request="TokenRotation",
                    optional_body=True, errors=(400, 404, 415),
                    description="The old secret stops working at once, or after "
                                "`grace_seconds` where the vendor allows it."),
    },
    f"{_TENANT}/reset": {
        "post": _op("Remove every user and group; URL and secret stay", 200, "Tenant",
                    errors=(404,)),
    },
    f"{_TENANT}/seed": {
        "post": _op("Add deterministic fake users and groups", 200, "SeedResult",
                    request="SeedRequest", errors=(400, 404, 415)),
    },
    f"{_TENANT}/snapshot": {
        "get": _op("The tenant's whole state", 200, "Snapshot", errors=(404,)),
        "put": _op("Restore a state, all or nothing", 200, "Snapshot", request="Snapshot",
                   errors=(400, 404, 415)),
    },
    f"{_TENANT}/journal": {
        "get": _op("The SCIM requests the tenant received, oldest first", 200, "Journal",
                   errors=(400, 404),
                   query=(("operation", "a journal label, e.g. create user"),
                          ("method", "an HTTP method"), ("status", "an HTTP status"),
                          ("fault", "the id of the fault that answered"))),
        "delete": _op("Empty the journal", 204, errors=(404,)),
    },
    f"{_TENANT}/faults": {
        "post": _op("Add a fault or stubbed answer", 201, "Fault", request="FaultSpec",
                    errors=(400, 404, 415)),
        "get": _op("The tenant's faults, with how often each fired", 200, "FaultList",
                   errors=(404,)),
        "delete": _op("Remove every fault", 204, errors=(404,)),
    },
    f"{_TENANT}/faults/{{fault_id}}": {
        "delete": _op("Remove one fault", 204, errors=(404,)),
    },
    "/_sandbox/clock": {
        "get": _op("The sandbox's time", 200, "Clock", errors=()),
        "post": _op("Freeze the clock or move it on", 200, "Clock", request="ClockChange",
                    errors=(400, 415)),
        "delete": _op("Back to the real clock", 200, "Clock", errors=()),
    },
    "/_sandbox/snapshot": {
        "get": _op("Every tenant's state, secrets as digests", 200, "SandboxSnapshot",
                   errors=()),
        "put": _op("Replace every tenant by a sandbox snapshot, all or nothing", 200,
                   "TenantList", request="SandboxSnapshot", errors=(400, 415)),
    },
}


def _with_path_parameters(path: str, item: dict[str, Any]) -> dict[str, Any]:
    names = [part[1:-1] for part in path.split("/") if part.startswith("{")]
    if not names:
        return item
    parameters = [{"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                  for name in names]
    return {"parameters": parameters, **item}


def openapi_document(server_url: str) -> dict[str, Any]:
    """The description, with `server_url` (the sandbox's root) as its server."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "scim-sandbox admin API",
            "version": "1",
            "description": "Tenants, seed data, journals, faults, the clock and snapshots of "
                           "a scim-sandbox. Each tenant's SCIM endpoints live under its "
                           "`tenant_url` and are described by its /ServiceProviderConfig, "
                           "/ResourceTypes and /Schemas (RFC 7644 §4), not here.",
        },
        "servers": [{"url": server_url.rstrip("/") or "/"}],
        "security": [{"adminToken": []}],
        "paths": {path: _with_path_parameters(path, item) for path, item in PATHS.items()},
        "components": {
            "securitySchemes": {"adminToken": {
                "type": "http", "scheme": "bearer",
                "description": "The admin token (--admin-token, SCIM_SANDBOX_ADMIN_TOKEN)."}},
            "responses": {"Error": {"description": "A SCIM error body",
                                    "content": {SCIM_JSON: {"schema": ref("Error")}}}},
            "schemas": SCHEMAS,
        },
    }
