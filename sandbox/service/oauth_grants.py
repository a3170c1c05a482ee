"""What the tenants' OAuth endpoints hand out: authorization codes, access tokens and refresh
tokens (RFC 6749), kept in memory by their SHA-256 digests, never by value. Each expires
(codes in CODE_SECONDS, access tokens by the profile, refresh tokens in REFRESH_DAYS) and is
swept some while after; a tenant's secret rotation or deletion revokes them all.

A restart forgets them all, as a vendor's token service would after losing its sessions:
clients fetch new tokens with their client credentials (or the admin authorizes again).
Times are the registry's clock, so a test can move past an access token's lifetime.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sandbox.service.clock import Clock
from sandbox.service.tokens import token_digest

CODE_SECONDS = 120  # an authorization code is redeemed at once by the client; RFC 6749 §4.1.2
REFRESH_DAYS = 30  # a refresh token's life from its issue; then the admin authorizes again
_SWEEP_EVERY = 512  # grants issued between two sweeps of long-expired ones
_KEEP_EXPIRED = timedelta(days=1)  # an expired token is still named "expired" this long


def is_redirect_uri(url: str) -> bool:
    """Whether `url` can be a client's redirect URI: absolute http(s) with a host and a port
    that parses (or none), no fragment (RFC 6749 §3.1.2)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - reading it validates it (ValueError past 65535)
    except ValueError:  # an unclosed "[" of an IPv6 host, a port out of range
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not parts.fragment


@dataclass(frozen=True, slots=True)
class Grant:
    """One issued code or token: whose it is, until when, and (codes) where it may go."""

    tenant_id: str
    expires: datetime | None
    redirect_uri: str = ""


class OAuthGrants:
    """Codes, access tokens and refresh tokens of every tenant of one registry."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._codes: dict[bytes, Grant] = {}
        self._access: dict[bytes, Grant] = {}
        self._refresh: dict[bytes, Grant] = {}
        self._lock = threading.Lock()
        self._issued = 0

    def issue_code(self, tenant_id: str, redirect_uri: str) -> str:
        """A single-use authorization code for `redirect_uri`, valid CODE_SECONDS."""
        code = secrets.token_urlsafe(24)
        expires = self._clock() + timedelta(seconds=CODE_SECONDS)
        self._keep(self._codes, code, Grant(tenant_id, expires, redirect_uri))
        return code

    def redeem_code(self, tenant_id: str, code: str, redirect_uri: str) -> bool:
        """Whether `code` is a live code of this tenant for this redirect URI; it is spent
        either way, so a code tried twice never works the second time (RFC 6749 §4.1.2)."""
        with self._lock:
            grant = self._codes.pop(token_digest(code), None)
        return (grant is not None and grant.tenant_id == tenant_id
                and grant.redirect_uri == redirect_uri and not self._expired(grant))

    def issue_tokens(self, tenant_id: str, lifetime_seconds: int, *,
                     refresh_token: str | None = None, with_refresh: bool = False,
                     ) -> dict[str, str | int]:
        """A new access token (RFC 6749 §5.1 answer); a refresh token too when asked for,
        or the one being used again (`refresh_token`)."""
        access = secrets.token_urlsafe(32)
        expires = self._clock() + timedelta(seconds=lifetime_seconds)
        self._keep(self._access, access, Grant(tenant_id, expires))
        answer: dict[str, str | int] = {"access_token": access, "token_type": "Bearer",
                                        "expires_in": lifetime_seconds}
        if refresh_token is None and with_refresh:
            refresh_token = secrets.token_urlsafe(32)
            self._keep(self._refresh, refresh_token,
                       Grant(tenant_id, self._clock() + timedelta(days=REFRESH_DAYS)))
        if refresh_token is not None:
            answer["refresh_token"] = refresh_token
        return answer

    def refresh_works(self, tenant_id: str, refresh_token: str) -> bool:
        """Whether `refresh_token` is a live refresh token of this tenant; an expired one is
        forgotten as it is tried."""
        digest = token_digest(refresh_token)
        with self._lock:
            grant = self._refresh.get(digest)
            if grant is not None and self._expired(grant):
                del self._refresh[digest]
                return False
        return grant is not None and grant.tenant_id == tenant_id

    def access_grant(self, token: str) -> Grant | None:
        """The grant of an access token, expired or not (None: never issued, or forgotten)."""
        return self._access.get(token_digest(token)) if token else None

    def expired(self, grant: Grant) -> bool:
        return self._expired(grant)

    def revoke_tenant(self, tenant_id: str) -> None:
        """Forget every code and token of a tenant (deleted, or its secret replaced)."""
        with self._lock:
            for table in (self._codes, self._access, self._refresh):
                for digest in [d for d, g in table.items() if g.tenant_id == tenant_id]:
                    del table[digest]

    def _expired(self, grant: Grant) -> bool:
        return grant.expires is not None and self._clock() >= grant.expires

    def _keep(self, table: dict[bytes, Grant], value: str, grant: Grant) -> None:
        with self._lock:
            table[token_digest(value)] = grant
            self._issued += 1
            if self._issued % _SWEEP_EVERY == 0:
                self._sweep()

    def _sweep(self) -> None:
        """Drop grants expired long ago, so a long-running sandbox does not grow."""
        horizon = self._clock() - _KEEP_EXPIRED
        for table in (self._codes, self._access, self._refresh):
            for digest in [d for d, g in table.items()
                           if g.expires is not None and g.expires < horizon]:
                del table[digest]
