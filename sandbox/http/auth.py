"""Who may send a SCIM request: each tenant's credentials by its vendor's auth kind, and the
admin token for the admin API.

A bearer tenant takes `Authorization: Bearer <secret>`, a basic tenant `Authorization: Basic
<base64 of username:password>`, and an OAuth tenant `Authorization: Bearer <access token>`
with a token from its own token endpoint (`oauth_routes`). The header is read here, rather
than through Werkzeug's parser, which costs little on every request and reads a token holding
`=` as a token; the service checks what it brought (`service.tenant_keys`, SHA-256 digests
compared in constant time). A refusal is a SCIM error body with a `WWW-Authenticate`
challenge of the tenant's scheme (RFC 7235 §3.1, RFC 7617, RFC 6750 §3).
"""

from __future__ import annotations

import base64

from flask import current_app, request

from sandbox.http.exchange import ScimExchange
from sandbox.http.responses import HeaderedScimError
from sandbox.scim.errors import ScimError, not_found
from sandbox.service import TenantRegistry, TenantService
from sandbox.service.credentials import CredentialRefused
from sandbox.service.tenant_keys import Presented, family
from sandbox.service.tokens import digest_matches

ADMIN_TOKEN_DIGEST = "SCIM_SANDBOX_ADMIN_TOKEN_DIGEST"  # app.config key
REALM = "scim-sandbox"


def bearer_token(header: str | None) -> str:
    """The token of an `Authorization: Bearer <token>` header ("" for any other header)."""
    if not header:
        return ""
    scheme, _, token = header.strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def presented(header: str | None) -> Presented:
    """What an Authorization header brings: a bearer token, Basic credentials, or nothing
    usable (a Basic value that is not base64 of `name:password` brings nothing)."""
    if not header:
        return Presented()
    scheme, _, value = header.strip().partition(" ")
    scheme = scheme.lower()
    if scheme == "bearer":
        return Presented("bearer", value.strip(), sent=True)
    if scheme == "basic":
        credentials = basic_credentials(value)
        if credentials is not None:
            return Presented("basic", credentials[1], credentials[0], sent=True)
    return Presented(sent=True)


def basic_credentials(value: str) -> tuple[str, str] | None:
    """The name and password of a Basic header's value (RFC 7617: base64 of UTF-8
    `name:password`), or None when it is not that. The one place the server reads Basic."""
    try:
        # A str holding non-ASCII makes b64decode raise ValueError, not binascii.Error.
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):  # binascii.Error is a ValueError
        return None
    name, colon, password = decoded.partition(":")
    return (name, password) if colon else None


def challenge(kind: str, error: CredentialRefused | None = None) -> dict[str, str]:
    """The `WWW-Authenticate` header of a 401 for a tenant of this auth kind."""
    if family(kind) == "basic":
        return {"WWW-Authenticate": f'Basic realm="{REALM}", charset="UTF-8"'}
    if family(kind) == "oauth" and error is not None and error.reason != "missing":
        # RFC 6750 §3.1: a token was sent and is no good.
        return {"WWW-Authenticate": f'Bearer realm="{REALM}", error="invalid_token"'}
    return {"WWW-Authenticate": f'Bearer realm="{REALM}"'}


def authenticate(registry: TenantRegistry, exchange: ScimExchange) -> TenantService:
    """The tenant a SCIM request's URL names, its credentials checked: 404 for a URL naming
    no tenant, else 401 unless they open that tenant. A tenant the URL names is kept on the
    exchange even when its credentials are refused, for its journal."""
    vendor, key = exchange.vendor, exchange.tenant_key
    brought = presented(request.environ.get("HTTP_AUTHORIZATION"))
    try:
        if key is None:
            return registry.admit(vendor, None, brought)
        tenant = exchange.named_tenant = registry.tenant_for_url(vendor, key)
        if tenant is None:
            # A test double should say plainly that the URL is wrong, not blame the token.
            raise not_found(f"No {vendor} tenant '{key}' here; GET /_sandbox/tenants lists them.")
        registry.check_credentials(tenant, brought)
        return tenant
    except CredentialRefused as error:
        kind = registry.profiles[vendor].auth.kind
        raise HeaderedScimError(401, error.detail, challenge(kind, error)) from None


def require_admin() -> None:
    """Refuse an admin API request without the admin token (401 with a challenge)."""
    token = bearer_token(request.environ.get("HTTP_AUTHORIZATION"))
    if not digest_matches(token, current_app.config[ADMIN_TOKEN_DIGEST]):
        raise ScimError(401, "The admin API needs 'Authorization: Bearer <admin token>'.")
