"""What a tenant's OAuth token endpoint does with a parsed request (RFC 6749): check the
client, then the grant, then issue tokens, all under the store's lock, so a secret rotated
away meanwhile (`TenantRegistry.rotate_secret` holds the same lock) cannot still earn a token.

Which grant each auth kind may use is decided here: client_credentials for a
`oauth2_client_credentials` vendor (§4.4), authorization_code for a
`oauth2_authorization_code` one (§4.1.3), whose refresh tokens alone exist (§6). The HTTP
layer parses and serialises.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from sandbox.service.credentials import CredentialRefused
from sandbox.service.tenant import TenantService
from sandbox.vendors.profile_auth import OAUTH_AUTHORIZATION_CODE, OAUTH_CLIENT_CREDENTIALS

if TYPE_CHECKING:
    from sandbox.service.registry import TenantRegistry


class OAuthRefusal(Exception):
    """An RFC 6749 §5.2 error answer: `error` code, a description, the HTTP status."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error = error
        self.description = description
        self.status = status


def token_answer(registry: TenantRegistry, tenant: TenantService, client_id: str,
                 client_secret: str, grant_type: str, form: Mapping[str, str],
                 ) -> dict[str, Any]:
    """The §5.1 answer to a token request with these client credentials and grant, or
    `OAuthRefusal` saying why none is issued."""
    grant = _GRANTS.get(grant_type)
    with registry.store.lock:
        try:
            registry.check_client(tenant, client_id, client_secret)
        except CredentialRefused as refused:
            detail = refused.detail if refused.reason in ("expired", "replaced") else \
                "The client id or client secret is not this tenant's."
            raise OAuthRefusal("invalid_client", detail, 401) from None
        if not grant_type:
            raise OAuthRefusal("invalid_request", "'grant_type' is required.")
        if grant is None:
            raise OAuthRefusal("unsupported_grant_type",
                               f"Grant type {grant_type!r} is not offered; this endpoint takes "
                               f"{', '.join(_GRANTS)}.")
        return grant(registry, tenant, form)


def _client_credentials(registry: TenantRegistry, tenant: TenantService,
                        form: Mapping[str, str]) -> dict[str, Any]:
    if tenant.profile.auth.kind != OAUTH_CLIENT_CREDENTIALS:
        raise OAuthRefusal("unauthorized_client", f"{tenant.profile.name} tenants are "
                                                  "authorized by an admin (authorization_code "
                                                  "grant).")
    # RFC 6749 §4.4.3: no refresh token; the client asks again with its credentials.
    return registry.oauth.issue_tokens(tenant.id, tenant.profile.auth.access_token_seconds)


def _authorization_code(registry: TenantRegistry, tenant: TenantService,
                        form: Mapping[str, str]) -> dict[str, Any]:
    _require_code_kind(tenant)
    code, redirect_uri = form.get("code", ""), form.get("redirect_uri", "")
    if not code or not redirect_uri:
        raise OAuthRefusal("invalid_request", "'code' and 'redirect_uri' are required.")
    if not registry.oauth.redeem_code(tenant.id, code, redirect_uri):
        raise OAuthRefusal("invalid_grant", "The code is unknown, expired, already used, or "
                                            "was issued for another redirect_uri.")
    return registry.oauth.issue_tokens(tenant.id, tenant.profile.auth.access_token_seconds,
                                       with_refresh=True)


def _refresh_token(registry: TenantRegistry, tenant: TenantService,
                   form: Mapping[str, str]) -> dict[str, Any]:
    # Only authorization code tenants are ever given refresh tokens, so any other's is unknown.
    refresh_token = form.get("refresh_token", "")
    if not refresh_token:
        raise OAuthRefusal("invalid_request", "'refresh_token' is required.")
    if not registry.oauth.refresh_works(tenant.id, refresh_token):
        raise OAuthRefusal("invalid_grant", "The refresh token is not valid for this tenant.")
    return registry.oauth.issue_tokens(tenant.id, tenant.profile.auth.access_token_seconds,
                                       refresh_token=refresh_token)


def _require_code_kind(tenant: TenantService) -> None:
    if tenant.profile.auth.kind != OAUTH_AUTHORIZATION_CODE:
        raise OAuthRefusal("unauthorized_client", f"{tenant.profile.name} tenants use the "
                                                  "client_credentials grant.")


_GRANTS: dict[str, Callable[[TenantRegistry, TenantService, Mapping[str, str]],
                            dict[str, Any]]] = {
    "client_credentials": _client_credentials,
    "authorization_code": _authorization_code,
    "refresh_token": _refresh_token,
}
