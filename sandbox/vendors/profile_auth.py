"""A profile's `[auth]`: how Entra proves itself to the vendor's SCIM endpoint, and where the
admin gets the secret from (the kinds and sources of the gallery record format)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# The auth kinds, named once: every layer compares a profile's kind with these.
BEARER = "bearer"
BASIC = "basic"
OAUTH_CLIENT_CREDENTIALS = "oauth2_client_credentials"
OAUTH_AUTHORIZATION_CODE = "oauth2_authorization_code"
AUTH_KINDS = (BEARER, BASIC, OAUTH_CLIENT_CREDENTIALS, OAUTH_AUTHORIZATION_CODE)
OAUTH_KINDS = (OAUTH_CLIENT_CREDENTIALS, OAUTH_AUTHORIZATION_CODE)
TOKEN_SOURCES = ("console", "support", "self_chosen", "oauth")
_KEYS = {"kind", "token_label", "token_from", "access_token_seconds"}
ACCESS_TOKEN_SECONDS = 3600  # an hour, the usual lifetime of an OAuth access token


@dataclass(frozen=True, slots=True)
class AuthProfile:
    """`kind` says what a SCIM request carries: a bearer secret, HTTP Basic credentials, or
    an access token from the tenant's OAuth token endpoint (`access_token_seconds` long)."""

    kind: str = BEARER
    token_label: str = "Secret Token"  # the vendor console's word for the secret
    token_from: str = "console"  # where the admin finds it (TOKEN_SOURCES)
    access_token_seconds: int = ACCESS_TOKEN_SECONDS

    @property
    def is_oauth(self) -> bool:
        """Whether SCIM requests carry an access token from the tenant's token endpoint."""
        return is_oauth_kind(self.kind)


def is_oauth_kind(kind: str) -> bool:
    """Whether an auth kind is one of the OAuth 2.0 grants (the one test of it)."""
    return kind in OAUTH_KINDS


def parse_auth(table: Any, fail: Callable[[str, str], None]) -> AuthProfile:
    """The profile's `[auth]` table (bearer from the console when it has none)."""
    if table is None:
        return AuthProfile()
    if not isinstance(table, dict):
        fail("auth", "must be a table, e.g. [auth] kind = \"bearer\"")
    for key in table:
        if key not in _KEYS:
            fail(f"auth.{key}", f"is not an auth key; expected one of {sorted(_KEYS)}")
    kind = table.get("kind", BEARER)
    if kind not in AUTH_KINDS:
        fail("auth.kind", f"must be one of {', '.join(AUTH_KINDS)}; got {kind!r}")
    default_source = "oauth" if is_oauth_kind(kind) else "console"
    source = table.get("token_from", default_source)
    if source not in TOKEN_SOURCES:
        fail("auth.token_from", f"must be one of {', '.join(TOKEN_SOURCES)}; got {source!r}")
    label = table.get("token_label", "Secret Token")
    if not isinstance(label, str) or not label:
        fail("auth.token_label", "must be a non-empty string")
    lifetime = table.get("access_token_seconds", ACCESS_TOKEN_SECONDS)
    if not isinstance(lifetime, int) or isinstance(lifetime, bool) or lifetime < 1:
        fail("auth.access_token_seconds", "must be a positive integer (seconds)")
    return AuthProfile(kind=kind, token_label=label, token_from=source,
                       access_token_seconds=lifetime)
