"""The whole sandbox's snapshot on the admin API: `GET /_sandbox/snapshot` writes every
tenant (secrets as digests), `PUT /_sandbox/snapshot` makes a snapshot every tenant
(`service.sandbox_snapshots` says what is kept and what is refused). The views sit on the
admin blueprint, behind its admin token."""

from __future__ import annotations

from flask import Response, current_app, request

from sandbox.http.admin_routes import admin_api, tenant_json
from sandbox.http.responses import json_body, scim_json
from sandbox.http.scim_routes import PUBLIC_URL
from sandbox.service import TenantRegistry
from sandbox.service.sandbox_snapshots import export_sandbox, restore_sandbox


def _registry() -> TenantRegistry:
    return current_app.extensions["scim_sandbox"]


@admin_api.get("/snapshot")
def sandbox_snapshot() -> Response:
    """Every tenant's state, as one document a PUT or `serve --load` takes back."""
    return scim_json(export_sandbox(_registry()))


@admin_api.put("/snapshot")
def restore_sandbox_snapshot() -> Response:
    """Replace every tenant by the snapshot's (tenants it lacks are deleted); 400 and no
    change when any part of it is refused. Answers the tenants now served."""
    restored = restore_sandbox(_registry(), json_body(request))
    root = current_app.config[PUBLIC_URL] or request.url_root
    return scim_json({"tenants": [tenant_json(tenant, root) for tenant in restored]})
