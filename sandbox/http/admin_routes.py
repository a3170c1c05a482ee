"""The admin API under /_sandbox: health, vendors and tenants (JSON in and out)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request
from flask_httpauth import HTTPTokenAuth

from sandbox.http.responses import json_body, no_content, scim_json
from sandbox.scim.errors import invalid_syntax, invalid_value, not_found
from sandbox.service import TenantRegistry, TenantService
from sandbox.service.journal import filters_from_query
from sandbox.service.seeding import seed_from_request

_CREATE_KEYS = {"vendor", "token", "slug", "id", "seed"}


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


def admin_blueprint(sandbox: TenantRegistry, auth: HTTPTokenAuth,
                    public_url: str | None) -> Blueprint:
    api = Blueprint("sandbox_admin", __name__, url_prefix="/_sandbox")

    def root_url() -> str:
        return public_url or request.url_root

    def existing(tenant_id: str) -> TenantService:
        tenant = sandbox.tenant(tenant_id)
        if tenant is None:
            raise not_found(f"No tenant '{tenant_id}'.")
        return tenant

    @api.get("/health")
    def health() -> Response:
        return scim_json({"status": "ok"})

    @api.get("/vendors")
    @auth.login_required
    def vendors() -> Response:
        return scim_json({"vendors": [p.summary() for p in sandbox.profiles.values()]})

    @api.post("/tenants")
    @auth.login_required
    def create_tenant() -> Response:
        body = json_body(request)
        if not isinstance(body, dict):
            raise invalid_syntax("Send a JSON object such as {\"vendor\": \"generic\"}.")
        unknown = sorted(set(body) - _CREATE_KEYS)
        if unknown:
            raise invalid_value(f"Unknown field(s) {unknown}; expected {sorted(_CREATE_KEYS)}.")
        vendor = body.get("vendor")
        if not isinstance(vendor, str):
            raise invalid_value(f"'vendor' is required; one of {sorted(sandbox.profiles)}.")
        options = {"token": body.get("token"), "slug": body.get("slug"),
                   "tenant_id": body.get("id")}
        if "seed" in body:
            tenant, seeded = sandbox.create_seeded_tenant(vendor, body["seed"], **options)
            payload = {**tenant_json(tenant, root_url()), "seed": seeded}
        else:
            tenant = sandbox.create_tenant(vendor, **options)
            payload = tenant_json(tenant, root_url())
        location = f"{root_url().rstrip('/')}/_sandbox/tenants/{tenant.id}"
        return scim_json(payload, 201, {"Location": location})

    @api.get("/tenants")
    @auth.login_required
    def list_tenants() -> Response:
        return scim_json({"tenants": [tenant_json(t, root_url()) for t in sandbox.tenants()]})

    @api.get("/tenants/<tenant_id>")
    @auth.login_required
    def get_tenant(tenant_id: str) -> Response:
        return scim_json(tenant_json(existing(tenant_id), root_url()))

    @api.patch("/tenants/<tenant_id>")
    @auth.login_required
    def update_tenant(tenant_id: str) -> Response:
        existing(tenant_id)
        body = json_body(request)
        if not isinstance(body, dict) or set(body) - {"settings"}:
            raise invalid_value("Send {\"settings\": {...}}; only settings can change.")
        tenant = sandbox.update_settings(tenant_id, body.get("settings", {}))
        return scim_json(tenant_json(tenant, root_url()))

    @api.delete("/tenants/<tenant_id>")
    @auth.login_required
    def delete_tenant(tenant_id: str) -> Response:
        existing(tenant_id)
        sandbox.delete_tenant(tenant_id)
        return no_content()

    @api.post("/tenants/<tenant_id>/reset")
    @auth.login_required
    def reset_tenant(tenant_id: str) -> Response:
        tenant = existing(tenant_id)
        sandbox.reset_tenant(tenant_id)
        return scim_json(tenant_json(tenant, root_url()))

    @api.post("/tenants/<tenant_id>/seed")
    @auth.login_required
    def seed_tenant(tenant_id: str) -> Response:
        tenant = existing(tenant_id)
        summary = seed_from_request(tenant, json_body(request))
        return scim_json({"tenant": tenant.id, **summary, "resources": tenant.counts()})

    @api.get("/tenants/<tenant_id>/snapshot")
    @auth.login_required
    def snapshot(tenant_id: str) -> Response:
        return scim_json(existing(tenant_id).snapshot())

    @api.put("/tenants/<tenant_id>/snapshot")
    @auth.login_required
    def restore(tenant_id: str) -> Response:
        tenant = existing(tenant_id)
        tenant.restore(json_body(request))
        return scim_json(tenant.snapshot())

    @api.get("/tenants/<tenant_id>/journal")
    @auth.login_required
    def journal(tenant_id: str) -> Response:
        tenant = existing(tenant_id)
        try:
            filters = filters_from_query(request.args)
        except ValueError as exc:
            raise invalid_value(str(exc)) from None
        entries = tenant.journal.entries(**filters)
        return scim_json({"entries": [e.to_dict() for e in entries],
                          "size": tenant.journal.size})

    @api.delete("/tenants/<tenant_id>/journal")
    @auth.login_required
    def clear_journal(tenant_id: str) -> Response:
        existing(tenant_id).journal.clear()
        return no_content()

    @api.post("/tenants/<tenant_id>/faults")
    @auth.login_required
    def add_fault(tenant_id: str) -> Response:
        fault = existing(tenant_id).faults.add(json_body(request))
        return scim_json(fault.to_dict(), 201)

    @api.get("/tenants/<tenant_id>/faults")
    @auth.login_required
    def list_faults(tenant_id: str) -> Response:
        return scim_json({"faults": [f.to_dict() for f in existing(tenant_id).faults.list()]})

    @api.delete("/tenants/<tenant_id>/faults")
    @auth.login_required
    def clear_faults(tenant_id: str) -> Response:
        existing(tenant_id).faults.clear()
        return no_content()

    @api.delete("/tenants/<tenant_id>/faults/<fault_id>")
    @auth.login_required
    def remove_fault(tenant_id: str, fault_id: str) -> Response:
        if not existing(tenant_id).faults.remove(fault_id):
            raise not_found(f"No fault '{fault_id}' on tenant '{tenant_id}'.")
        return no_content()

    return api
