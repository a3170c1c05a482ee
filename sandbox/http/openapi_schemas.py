"""The JSON Schemas (OpenAPI 3.1 `components.schemas`) of the admin API's bodies, as data.

`openapi_spec` refers to them by name. They describe what the views read and answer; where a
body carries a vendor's own data (settings, snapshots), the schema says so and stays open.
"""

from __future__ import annotations

from typing import Any

from sandbox.service.rate_limits import MAX_PER_SECONDS, MAX_REQUESTS

Schema = dict[str, Any]

_STRING: Schema = {"type": "string"}
_TIME: Schema = {"type": "string", "format": "date-time"}
_COUNT: Schema = {"type": "integer", "minimum": 0}


def ref(name: str) -> Schema:
    """A reference to one of `SCHEMAS`."""
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: dict[str, Schema], required: tuple[str, ...] = (), *,
            closed: bool = False, description: str = "") -> Schema:
    schema: Schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    if closed:  # the view refuses keys it does not know (400 invalidValue)
        schema["additionalProperties"] = False
    if description:
        schema["description"] = description
    return schema


_CREDENTIALS: dict[str, Schema] = {
    "token": {**_STRING, "description": "a bearer vendor's Secret Token"},
    "username": {**_STRING, "description": "a basic vendor's user name"},
    "password": {**_STRING, "description": "a basic vendor's password"},
    "client_id": {**_STRING, "description": "an OAuth vendor's client id"},
    "client_secret": {**_STRING, "description": "an OAuth vendor's client secret"},
}

SCHEMAS: dict[str, Schema] = {
    "Error": _object({
        "schemas": {"type": "array", "items": {"const":
                                               "urn:ietf:params:scim:api:messages:2.0:Error"}},
        "status": {**_STRING, "description": "the HTTP status, as a string (RFC 7644 §3.12)"},
        "scimType": _STRING,
        "detail": {**_STRING, "description": "what went wrong, for a person to read"},
    }, ("schemas", "status", "detail"), description="A SCIM error body (RFC 7644 §3.12)."),
    "Health": _object({"status": {"const": "ok"}}, ("status",)),
    "VendorListing": _object({
        "vendors": {"type": "array", "items": {"type": "object"}},
        "totalResults": _COUNT, "startIndex": {"type": "integer", "minimum": 1},
        "itemsPerPage": _COUNT,
        "not_served": {"type": "array", "items": _object(
            {"id": _STRING, "name": _STRING, "status": _STRING, "reason": _STRING})},
    }, ("vendors", "totalResults", "startIndex", "itemsPerPage"),
        description="Vendors matching `q`, one page; each entry summarises a profile."),
    "RateLimit": _object({
        "requests": {"type": "integer", "minimum": 1, "maximum": MAX_REQUESTS},
        "per_seconds": {"type": "integer", "minimum": 1, "maximum": MAX_PER_SECONDS},
    }, ("requests", "per_seconds"), closed=True,
        description="At most `requests` SCIM requests in any `per_seconds`; past it, 429 "
                    "with Retry-After."),
    "SeedRequest": _object({
        "users": _COUNT, "groups": _COUNT, "seed": {"type": "integer"}, "locale": _STRING,
        "recipe": {**_STRING, "description": "a recipe name of seed/recipes.toml"},
    }, closed=True, description="Deterministic fake users and groups: `users` or `recipe`."),
    "NewTenant": _object({
        "vendor": {**_STRING, "description": "a vendor id, e.g. generic"},
        "id": _STRING, "slug": {**_STRING, "description": "where the Tenant URL has {slug}"},
        "seed": ref("SeedRequest"), "rate_limit": ref("RateLimit"), **_CREDENTIALS,
    }, ("vendor",), closed=True),
    "Tenant": _object({
        "id": _STRING, "vendor": _STRING,
        "tenant_url": {**_STRING, "format": "uri",
                       "description": "the absolute SCIM base URL; /Users hangs off it"},
        # null after a whole-sandbox restore, which keeps only the secrets' digests
        **{name: {**schema, "type": ["string", "null"]} for name, schema in _CREDENTIALS.items()},
        "token_url": {**_STRING, "format": "uri"}, "authorize_url": {**_STRING, "format": "uri"},
        "created": {"type": ["string", "null"]},
        "resources": {"type": "object", "additionalProperties": _COUNT},
        "slug": _STRING, "settings": {"type": "object"},
        "rate_limit": {"oneOf": [ref("RateLimit"), {"type": "null"}]},
        "token_expires_at": {"type": ["string", "null"], "format": "date-time"},
    }, ("id", "vendor", "tenant_url", "resources"),
        description="A tenant and what an admin pastes into Entra to reach it."),
    "TenantList": _object({"tenants": {"type": "array", "items": ref("Tenant")}},
                          ("tenants",)),
    "TenantUpdate": _object({
        "settings": {"type": "object", "description": "the vendor's switches"},
        "rate_limit": {"oneOf": [ref("RateLimit"), {"type": "null"}],
                       "description": "null removes the tenant's own limit"},
        "token_expires_at": {"type": ["string", "null"], "format": "date-time",
                             "description": "when the secret stops working; null: never"},
    }, closed=True),
    "TokenRotation": _object({
        "grace_seconds": {"type": "number", "minimum": 0,
                          "description": "how long the old secret keeps working"},
        "token": _STRING, "password": _STRING, "client_secret": _STRING,
    }, closed=True, description="All optional: without a secret, a new one is made."),
    "RotatedTenant": {"allOf": [ref("Tenant"), _object({"rotation": _object({
        "grace_seconds": {"type": "number"}, "grace_seconds_asked": {"type": "number"},
        "old_secret_valid_until": _TIME, "detail": _STRING})}, ("rotation",))]},
    "Clock": _object({"now": _TIME, "frozen": {"type": "boolean"},
                      "offset_seconds": {"type": "number"}}, ("now", "frozen", "offset_seconds")),
    "ClockChange": _object({"frozen_at": _TIME,
                            "advance_seconds": {"type": "number", "minimum": 0}}, closed=True,
                           description="Freeze at `frozen_at`, then move on `advance_seconds`."),
    "Snapshot": {"type": "object", "description": "A tenant's whole state: resources with "
                                                 "ids and meta; no secret."},
    "SandboxSnapshot": _object({"format": _STRING, "version": {"type": "integer"},
                                "tenants": {"type": "array", "items": {"type": "object"}}},
                               description="Every tenant, secrets as digests."),
    "SeedResult": _object({"tenant": _STRING,
                           "resources": {"type": "object", "additionalProperties": _COUNT}},
                          ("tenant", "resources")),
    "JournalEntry": _object({
        "time": _TIME, "method": _STRING, "path": _STRING, "query": _STRING,
        "status": {"type": "integer"}, "duration_ms": {"type": "number"},
        "operation": {**_STRING, "description": "the Entra operation label"},
        "request": _object({"headers": {"type": "object"}, "body": {}}),
        "response": _object({"body": {}}), "fault": {"type": ["string", "null"]},
    }, ("time", "method", "path", "status", "operation", "request", "response")),
    "Journal": _object({"entries": {"type": "array", "items": ref("JournalEntry")},
                        "size": _COUNT}, ("entries",)),
    "FaultSpec": _object({
        "method": {"enum": ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]},
        "resource_type": _STRING, "operation": {**_STRING, "description": "a journal label"},
        "path": {**_STRING, "description": "a regular expression on the request path"},
        "body_contains": {"type": "object",
                          "description": "a JSON subset the request body must hold"},
        "status": {"type": "integer", "minimum": 200, "maximum": 599},
        "scim_type": _STRING, "detail": _STRING,
        "retry_after": {"type": "integer", "minimum": 0},
        "headers": {"type": "object", "additionalProperties": _STRING},
        "body": {"description": "a JSON answer body"},
        "body_text": {**_STRING, "description": "a raw answer body, e.g. broken JSON"},
        "delay_ms": {"type": "integer", "minimum": 0},
        "times": {"type": "integer", "minimum": 1}, "probability": {"type": "number"},
        "seed": {"type": "integer"},
    }, closed=True, description="When to misbehave, and the answer to give instead."),
    "Fault": _object({"id": _STRING, "fired": {**_COUNT, "description": "answers given"}},
                     ("id", "fired"), description="A fault as added: every FaultSpec field "
                                                  "(null where not given), its id and count."),
    "FaultList": _object({"faults": {"type": "array", "items": ref("Fault")}}, ("faults",)),
    "OpenApi": {"type": "object", "description": "This description."},
}
