"""The admin API under /_sandbox: health, vendors and tenants (JSON in and out).

Views are plain functions on one blueprint; each app that registers it serves its own tenant
registry (`current_app.extensions["scim_sandbox"]`), and every view but health asks for the
admin token first.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, request

from sandbox.http.auth import require_admin
from sandbox.http.responses import json_body, no_content, scim_json
from sandbox.http.scim_routes import PUBLIC_URL
from sandbox.scim.errors import invalid_syntax, invalid_value, not_found
from sandbox.service import TenantRegistry, TenantService
from sandbox.service.journal import filters_from_query
from sandbox.service.seeding import seed_from_request

_CREATE_KEYS = {"vendor", "token", "slug", "id", "seed"}

admin_api = Blueprint("sandbox_admin", __name__, url_prefix="/_sandbox")


def tenant_json(tenant: TenantService, root_url: str) -> dict[str, Any]:
    """A tenant as the admin API shows it; `tenant_url` is the absolute SCIM base URL."""
    body = {
        "id": tenant.id,
        "vendor": tenant.profile.id,
        "tenant_url": root_url.rstrip("/") + tenant.path,
        "token": tenant.token,
        "created": tenant.record.get("created"),
        "resources": tenant.counts(),
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
    return scim_json({"vendors": [p.summary() for p in _registry().profiles.values()]})

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
        raise invalid_value(f"'vendor' is required; one of {sorted(_registry().profiles)}.")
    options = {"token": body.get("token"), "slug": body.get("slug"),
               "tenant_id": body.get("id")}
    if "seed" in body:
        tenant, seeded = _registry().create_seeded_tenant(vendor, body["seed"], **options)
        payload = {**tenant_json(tenant, _root_url()), "seed": seeded}
    else:
        tenant = _registry().create_tenant(vendor, **options)
        payload = tenant_json(tenant, _root_url())
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
    if not isinstance(body, dict) or set(body) - {"settings"}:
        raise invalid_value("Send {\"settings\": {...}}; only settings can change.")
    tenant = _registry().update_settings(tenant_id, body.get("settings", {}))
    return scim_json(tenant_json(tenant, _root_url()))

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
