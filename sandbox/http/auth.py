"""Bearer-token authentication: each tenant's own secret, and the admin token.

Tokens are compared in constant time (as SHA-256 digests), and a failure is a SCIM error
body with a `WWW-Authenticate` challenge. The admin API uses flask-httpauth; the SCIM
endpoints, which every request of a provisioning client goes through, read the header
themselves: the same checks at a fraction of the cost, and a token holding `=` is read as
a token (Werkzeug would parse it as auth parameters).
"""

from __future__ import annotations

from flask import request
from flask_httpauth import HTTPTokenAuth

from sandbox.http.responses import error_response
from sandbox.scim.errors import ScimError, not_found
from sandbox.service import TenantRegistry, TenantService
from sandbox.service.tokens import digest_matches, token_digest


def _unauthorized(detail: str) -> ScimError:
    return ScimError(401, detail)


def bearer_token(header: str | None) -> str:
    """The token of an `Authorization: Bearer <token>` header ("" for any other header)."""
    if not header:
        return ""
    scheme, _, token = header.strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


class TenantAuth:
    """Finds the tenant a SCIM request's URL names and checks its bearer token against it."""

    def __init__(self, sandbox: TenantRegistry) -> None:
        self.sandbox = sandbox

    def __call__(self, vendor: str, key: str | None) -> TenantService:
        """The authenticated tenant, or a SCIM error: 404 for a URL naming no tenant, else 401."""
        header = request.environ.get("HTTP_AUTHORIZATION")
        token = bearer_token(header)
        if key is None:
            tenant = self.sandbox.authenticate(vendor, None, token) if token else None
        else:
            tenant = self.sandbox.tenant_for_url(vendor, key)
            if tenant is None:
                # A test double should say plainly that the URL is wrong, not blame the token.
                raise not_found(
                    f"No {vendor} tenant '{key}' here; GET /_sandbox/tenants lists them.")
            if not (token and self.sandbox.token_matches(tenant, token)):
                tenant = None
        if tenant is not None:
            return tenant
        if not header:
            raise _unauthorized(
                "Authentication required: send 'Authorization: Bearer <secret token>'.")
        raise _unauthorized("The bearer token is not valid for this tenant URL.")


def tenant_auth(sandbox: TenantRegistry) -> TenantAuth:
    """Checks the bearer token against the tenant the URL names (or finds it by token)."""
    return TenantAuth(sandbox)


def admin_auth(admin_token: str) -> HTTPTokenAuth:
    """Checks the admin API's bearer token."""
    auth = HTTPTokenAuth(scheme="Bearer", header="Authorization")
    expected = token_digest(admin_token)

    @auth.verify_token
    def verify(token: str) -> bool | None:
        return True if digest_matches(token or "", expected) else None

    @auth.error_handler
    def refuse(status: int) -> object:
        return error_response(
            _unauthorized("The admin API needs 'Authorization: Bearer <admin token>'."))

    return auth
