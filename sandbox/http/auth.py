"""Bearer-token authentication: each tenant's own secret, and the admin token.

Both use flask-httpauth; tokens are compared in constant time, and a failure is a SCIM
error body with a `WWW-Authenticate` challenge.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import request
from flask_httpauth import HTTPTokenAuth

from sandbox.http.responses import error_response
from sandbox.scim.errors import ScimError, not_found
from sandbox.service import Sandbox, TenantService


def _unauthorized(detail: str) -> ScimError:
    return ScimError(401, detail)


def tenant_auth(sandbox: Sandbox) -> HTTPTokenAuth:
    """Checks the bearer token against the tenant the URL names (or finds it by token)."""
    auth = HTTPTokenAuth(scheme="Bearer", header="Authorization")

    @auth.verify_token
    def verify(token: str) -> TenantService | None:
        args = request.view_args or {}
        vendor, key = args.get("vendor", ""), args.get("tenant_key")
        if key is not None and not sandbox.tenant_exists(vendor, key):
            # A test double should say plainly that the URL is wrong, not blame the token.
            raise not_found(f"No {vendor} tenant '{key}' here; GET /_sandbox/tenants lists them.")
        if not token:
            return None
        return sandbox.authenticate(vendor, key, token)

    @auth.error_handler
    def refuse(status: int) -> object:
        if not request.headers.get("Authorization"):
            detail = "Authentication required: send 'Authorization: Bearer <secret token>'."
        else:
            detail = "The bearer token is not valid for this tenant URL."
        return error_response(_unauthorized(detail))

    return auth


def admin_auth(admin_token: str) -> HTTPTokenAuth:
    """Checks the admin API's bearer token."""
    auth = HTTPTokenAuth(scheme="Bearer", header="Authorization")
    expected = hashlib.sha256(admin_token.encode()).digest()

    @auth.verify_token
    def verify(token: str) -> bool | None:
        given = hashlib.sha256((token or "").encode()).digest()
        return True if token and hmac.compare_digest(given, expected) else None

    @auth.error_handler
    def refuse(status: int) -> object:
        return error_response(
            _unauthorized("The admin API needs 'Authorization: Bearer <admin token>'."))

    return auth
