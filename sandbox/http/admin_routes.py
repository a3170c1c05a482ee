"""The admin API under /_sandbox: health, vendors and tenants (JSON in and out).

Views are plain functions on one blueprint; each app that registers it serves its own tenant
registry (`current_app.extensions["scim_sandbox"]`), and every view but health asks for the
admin token first.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, Response, current_app, request

from sandbox.http.auth import require_admin
from sandbox.http.responses import json_body, no_content, scim_json
from sandbox.http.scim_routes import PUBLIC_URL
from sandbox.http.vendor_listing import vendor_listing
from sandbox.scim.errors import invalid_syntax, invalid_value, not_found
from sandbox.service import TenantRegistry, TenantService
from sandbox.service.clock import format_time
from sandbox.service.credentials import given_problem, token_expires_at
from sandbox.service.journal import filters_from_query
from sandbox.service.rate_limits import checked_rate_limit, set_rate_limit
from sandbox.service.seeding import seed_from_request
from sandbox.service.token_expiry import checked_expiry, set_token_expiry

_CREDENTIAL_KEYS = ("token", "username", "password", "client_id", "client_secret")
_CREATE_KEYS = {"vendor", "slug", "id", "seed", "rate_limit", *_CREDENTIAL_KEYS}
_ROTATE_KEYS = {"grace_seconds", "token", "password", "client_secret"}
_CLOCK_KEYS = {"frozen_at", "advance_seconds"}
_UPDATE_KEYS = {"settings", "rate_limit", "token_expires_at"}

admin_api = Blueprint("sandbox_admin", __name__, url_prefix="/_sandbox")


def tenant_json(tenant: TenantService, root_url: str) -> dict[str, Any]:
    """A tenant as the admin API shows it; `tenant_url` is the absolute SCIM base URL."""
    body = {
        "id": tenant.id,
        "vendor": tenant.profile.id,
        "tenant_url": root_url.rstrip("/") + tenant.path,
        # What an admin pastes into Entra, by the vendor's auth kind: `token`, or
        # `username`/`password`, or `client_id`/`client_secret`/`token_url`(/`authorize_url`).
        **tenant.credentials(root_url),
        "created": tenant.record.get("created"),
        # When the secret stops working (null: never): set with PATCH, or the vendor's rule.
        "token_expires_at": token_expires_at(tenant.record, tenant.profile),
        "resources": tenant.counts(),
        # The tenant's own rate; null: the profile's rate_limit rule, if any, applies.
        "rate_limit": tenant.record.get("rate_limit"),
    }
    if tenant.slug:
        body["slug"] = tenant.slug
    if tenant.profile.settings:
        body["settings"] = tenant.settings
    return body


@admin_api.before_request
def _admin_only() -> None:
    if request.endpoint != "sandbox_admin.health":
        require_admin()


def _registry() -> TenantRegistry:
    return current_app.extensions["scim_sandbox"]


def _root_url() -> str:
    return current_app.config[PUBLIC_URL] or request.url_root


def _existing(tenant_id: str) -> TenantService:
    tenant = _registry().tenant(tenant_id)
    if tenant is None:
        raise not_found(f"No tenant '{tenant_id}'.")
    return tenant


@admin_api.get("/health")
def health() -> Response:
    return scim_json({"status": "ok"})

@admin_api.get("/vendors")
def vendors() -> Response:
    """Every vendor, or those whose id or name holds `q`, a page at a time (see
    `vendor_listing`); the gallery records not served follow with the reason."""
    return scim_json(vendor_listing(_registry().profiles, request.args))

@admin_api.post("/tenants")
def create_tenant() -> Response:
    body = json_body(request)
    if not isinstance(body, dict):
        raise invalid_syntax("Send a JSON object such as {\"vendor\": \"generic\"}.")
    unknown = sorted(set(body) - _CREATE_KEYS)
    if unknown:
        raise invalid_value(f"Unknown field(s) {unknown}; expected {sorted(_CREATE_KEYS)}.")
    vendor = body.get("vendor")
    if not isinstance(vendor, str):
        raise invalid_value("'vendor' is required: a vendor id such as \"generic\" (GET "
                            "/_sandbox/vendors?q=NAME finds one).")
    options = {"slug": body.get("slug"), "tenant_id": body.get("id"),
               **{key: body.get(key) for key in _CREDENTIAL_KEYS}}
    rate_limit = checked_rate_limit(body.get("rate_limit"))  # before any tenant is made
    if "seed" in body:
        tenant, seeded = _registry().create_seeded_tenant(vendor, body["seed"], **options)
    else:
        tenant, seeded = _registry().create_tenant(vendor, **options), None
    if rate_limit is not None:
        set_rate_limit(tenant, rate_limit)
    payload = tenant_json(tenant, _root_url())
    if seeded is not None:
        payload["seed"] = seeded
    location = f"{_root_url().rstrip('/')}/_sandbox/tenants/{tenant.id}"
    return scim_json(payload, 201, {"Location": location})

@admin_api.get("/tenants")
def list_tenants() -> Response:
    return scim_json({"tenants": [tenant_json(t, _root_url()) for t in _registry().tenants()]})

@admin_api.get("/tenants/<tenant_id>")
def get_tenant(tenant_id: str) -> Response:
    return scim_json(tenant_json(_existing(tenant_id), _root_url()))

@admin_api.patch("/tenants/<tenant_id>")
def update_tenant(tenant_id: str) -> Response:
    _existing(tenant_id)
    body = json_body(request)
    if not isinstance(body, dict) or set(body) - _UPDATE_KEYS:
        raise invalid_value("Send {\"settings\": {...}}, {\"rate_limit\": {...}} and/or "
                            "{\"token_expires_at\": \"2030-01-01T00:00:00Z\" or null}; only "
                            "these can change.")
    rate_limit = checked_rate_limit(body.get("rate_limit"))  # before anything changes
    expires = checked_expiry(body.get("token_expires_at"))
    tenant = _registry().update_settings(tenant_id, body.get("settings", {}))
    if "rate_limit" in body:
        set_rate_limit(tenant, rate_limit)
    if "token_expires_at" in body:
        tenant = set_token_expiry(_registry(), tenant_id, expires)
    return scim_json(tenant_json(tenant, _root_url()))

@admin_api.post("/tenants/<tenant_id>/token")
def rotate_token(tenant_id: str) -> Response:
    """A new secret for the tenant; `grace_seconds` keeps the old one working that long,
    unless the vendor's rule ends it at once (the answer's `rotation` says which)."""
    tenant = _existing(tenant_id)
    body = _optional_object(_ROTATE_KEYS)
    problem = given_problem(tenant.profile, body)  # the check tenant creation makes
    if problem:
        raise invalid_value(problem[0].upper() + problem[1:] + ".")
    secrets_given = [body[k] for k in ("token", "password", "client_secret") if k in body]
    ends_at_once = tenant.profile.has_rule("token_regeneration_invalidates_old")
    rotation = _registry().rotate_secret(tenant.id, secrets_given[0] if secrets_given else None,
                                         body.get("grace_seconds", 0))
    if rotation.grace_given < rotation.grace_asked and not ends_at_once:
        detail = (f"The old secret expires at {format_time(rotation.old_valid_until)}, so its "
                  f"grace ends there: {rotation.grace_given} of the {rotation.grace_asked} "
                  "seconds asked for were given.")
    elif rotation.grace_given < rotation.grace_asked:
        detail = (f"{tenant.profile.name} ends the old secret as soon as a new one is issued "
                  f"(rule token_regeneration_invalidates_old): the {rotation.grace_asked} "
                  "seconds of grace asked for were not given.")
    elif rotation.grace_given:
        detail = f"The old secret keeps working for {rotation.grace_given} seconds."
    else:
        detail = "The old secret stopped working now."
    if tenant.profile.auth.is_oauth:
        detail += (" Every access token, refresh token and code issued so far was revoked; "
                   "the client fetches new ones (or the admin authorizes again).")
    return scim_json({**tenant_json(tenant, _root_url()), "rotation": {
        "grace_seconds": rotation.grace_given, "grace_seconds_asked": rotation.grace_asked,
        "old_secret_valid_until": format_time(rotation.old_valid_until), "detail": detail}})

@admin_api.get("/clock")
def clock() -> Response:
    return scim_json(_clock_json())

@admin_api.post("/clock")
def set_clock() -> Response:
    """`{"frozen_at": "2030-01-01T00:00:00Z"}` stops the sandbox's clock there;
    `{"advance_seconds": 3600}` moves it on (both: freeze, then move on)."""
    body = _optional_object(_CLOCK_KEYS)
    if not body:
        raise invalid_value("Send {\"frozen_at\": \"2030-01-01T00:00:00Z\"} or "
                            "{\"advance_seconds\": 3600}.")
    sandbox_clock = _registry().clock
    moment = body.get("frozen_at")
    step = body.get("advance_seconds", 0)
    if not isinstance(step, int | float) or isinstance(step, bool) or not 0 <= step <= 1e10:
        raise invalid_value("'advance_seconds' must be a number of seconds, 0 or more.")
    try:  # both checked before either is applied: a refused move leaves the clock as it was
        sandbox_clock.move(_moment(moment) if moment is not None else None, step)
    except ValueError as error:
        raise invalid_value(f"Refused: {error}; the clock did not change.") from None
    return scim_json(_clock_json())

@admin_api.delete("/clock")
def reset_clock() -> Response:
    _registry().clock.reset()
    return scim_json(_clock_json())


def _clock_json() -> dict[str, Any]:
    sandbox_clock = _registry().clock
    return {"now": format_time(sandbox_clock()), "frozen": sandbox_clock.frozen,
            "offset_seconds": sandbox_clock.offset_seconds}


def _moment(value: Any) -> datetime:
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise invalid_value(f"'frozen_at' must be an ISO 8601 time with a timezone, e.g. "
                            f"2030-01-01T00:00:00Z; got {value!r}.")
    return moment


def _optional_object(allowed: set[str]) -> dict[str, Any]:
    """The request's JSON object, or {} when it has no body; unknown keys are refused."""
    if not request.get_data(cache=True).strip():
        return {}
    body = json_body(request)
    if not isinstance(body, dict):
        raise invalid_syntax("Send a JSON object.")
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise invalid_value(f"Unknown field(s) {unknown}; expected some of {sorted(allowed)}.")
    return body

@admin_api.delete("/tenants/<tenant_id>")
def delete_tenant(tenant_id: str) -> Response:
    _existing(tenant_id)
    _registry().delete_tenant(tenant_id)
    return no_content()

@admin_api.post("/tenants/<tenant_id>/reset")
def reset_tenant(tenant_id: str) -> Response:
    tenant = _existing(tenant_id)
    _registry().reset_tenant(tenant_id)
    return scim_json(tenant_json(tenant, _root_url()))

@admin_api.post("/tenants/<tenant_id>/seed")
def seed_tenant(tenant_id: str) -> Response:
    tenant = _existing(tenant_id)
    summary = seed_from_request(tenant, json_body(request))
    return scim_json({"tenant": tenant.id, **summary, "resources": tenant.counts()})

@admin_api.get("/tenants/<tenant_id>/snapshot")
def snapshot(tenant_id: str) -> Response:
    return scim_json(_existing(tenant_id).snapshot())

@admin_api.put("/tenants/<tenant_id>/snapshot")
def restore(tenant_id: str) -> Response:
    tenant = _existing(tenant_id)
    tenant.restore(json_body(request))
    return scim_json(tenant.snapshot())

@admin_api.get("/tenants/<tenant_id>/journal")
def journal(tenant_id: str) -> Response:
    tenant = _existing(tenant_id)
    try:
        filters = filters_from_query(request.args)
    except ValueError as exc:
        raise invalid_value(str(exc)) from None
    entries = tenant.journal.entries(**filters)
    return scim_json({"entries": [e.to_dict() for e in entries],
                      "size": tenant.journal.size})

@admin_api.delete("/tenants/<tenant_id>/journal")
def clear_journal(tenant_id: str) -> Response:
    _existing(tenant_id).journal.clear()
    return no_content()

@admin_api.post("/tenants/<tenant_id>/faults")
def add_fault(tenant_id: str) -> Response:
    fault = _existing(tenant_id).faults.add(json_body(request))
    return scim_json(fault.to_dict(), 201)

@admin_api.get("/tenants/<tenant_id>/faults")
def list_faults(tenant_id: str) -> Response:
    return scim_json({"faults": [f.to_dict() for f in _existing(tenant_id).faults.list()]})

@admin_api.delete("/tenants/<tenant_id>/faults")
def clear_faults(tenant_id: str) -> Response:
    _existing(tenant_id).faults.clear()
    return no_content()

@admin_api.delete("/tenants/<tenant_id>/faults/<fault_id>")
def remove_fault(tenant_id: str, fault_id: str) -> Response:
    if not _existing(tenant_id).faults.remove(fault_id):
        raise not_found(f"No fault '{fault_id}' on tenant '{tenant_id}'.")
    return no_content()
