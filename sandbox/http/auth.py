"""Bearer-token authentication: each tenant's own secret, and the admin token.

Both read the `Authorization: Bearer <token>` header themselves and check it through
`sandbox.service.tokens` (SHA-256 digests compared in constant time). A failure is a SCIM
error body with a `WWW-Authenticate` challenge. Reading the header here, rather than through
Werkzeug's parser, costs little on every request and reads a token holding `=` as a token.
"""

from __future__ import annotations

from flask import current_app, request

from sandbox.http.exchange import ScimExchange
from sandbox.scim.errors import ScimError, not_found
from sandbox.service import TenantRegistry, TenantService
from sandbox.service.tokens import digest_matches

ADMIN_TOKEN_DIGEST = "SCIM_SANDBOX_ADMIN_TOKEN_DIGEST"  # app.config key


def bearer_token(header: str | None) -> str:
    """The token of an `Authorization: Bearer <token>` header ("" for any other header)."""
    if not header:
        return ""
    scheme, _, token = header.strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def authenticate(registry: TenantRegistry, exchange: ScimExchange) -> TenantService:
    """The tenant a SCIM request's URL names, its bearer token checked: 404 for a URL naming
    no tenant, else 401 unless the token is that tenant's. A tenant the URL names is kept on
    the exchange even when the token is refused, for its journal."""
    vendor, key = exchange.vendor, exchange.tenant_key
    header = request.environ.get("HTTP_AUTHORIZATION")
    token = bearer_token(header)
    if key is None:
        tenant = registry.authenticate(vendor, None, token) if token else None
    else:
        tenant = exchange.named_tenant = registry.tenant_for_url(vendor, key)
        if tenant is None:
            # A test double should say plainly that the URL is wrong, not blame the token.
            raise not_found(f"No {vendor} tenant '{key}' here; GET /_sandbox/tenants lists them.")
        if not (token and registry.token_matches(tenant, token)):
            tenant = None
    if tenant is not None:
        return tenant
    if not header:
        raise ScimError(401, "Authentication required: send 'Authorization: Bearer <secret "
                             "token>'.")
    raise ScimError(401, "The bearer token is not valid for this tenant URL.")


def require_admin() -> None:
    """Refuse an admin API request without the admin token (401 with a challenge)."""
    token = bearer_token(request.environ.get("HTTP_AUTHORIZATION"))
    if not digest_matches(token, current_app.config[ADMIN_TOKEN_DIGEST]):
        raise ScimError(401, "The admin API needs 'Authorization: Bearer <admin token>'.")
