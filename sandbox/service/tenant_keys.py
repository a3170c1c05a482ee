"""Every tenant's secret as digests, and the checks a request's credentials must pass.

The registry owns the tenants; this keeps what opens them: the SHA-256 digest of each
tenant's secret (and of its Basic username or OAuth client id), the digests of replaced
secrets, when each secret expires under a `token_expires` rule, and the OAuth grants. Every
comparison of a presented secret goes through `tokens.digest_matches` (constant time), and a
tenant found by its secret alone is found by the secret's digest, never by comparing secrets.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sandbox.service.clock import Clock, format_time
from sandbox.service.credentials import (
    NAME_FIELD,
    CredentialRefused,
    expired_detail,
    expiry_of,
    replaced_detail,
    replaced_until,
)
from sandbox.service.oauth_grants import OAuthGrants
from sandbox.service.tenant import TenantService
from sandbox.service.tokens import digest_matches, token_digest
from sandbox.vendors.profile_auth import is_oauth_kind


@dataclass(frozen=True, slots=True)
class Presented:
    """What a request's Authorization header brought: `scheme` "bearer" or "basic" ("" for
    none or another), the bearer token or Basic password (`secret`), the Basic `name`, and
    whether any header came at all (`sent`)."""

    scheme: str = ""
    secret: str = ""
    name: str = ""
    sent: bool = False


_NOTHING_SENT = {
    "bearer": "Authentication required: send 'Authorization: Bearer <secret token>'.",
    "basic": "Authentication required: send 'Authorization: Basic <base64 of "
             "username:password>' with this tenant's username and password.",
    "oauth": "Authentication required: send 'Authorization: Bearer <access token>' with an "
             "access token from the tenant's token endpoint (POST /oauth/<tenant id>/token).",
}
_WRONG = {
    "bearer": "The bearer token is not valid for this tenant URL.",
    "basic": "The username or password is not valid for this tenant URL.",
    "oauth": "The access token is not valid for this tenant URL; fetch one from the tenant's "
             "token endpoint (POST /oauth/<tenant id>/token).",
}


def family(kind: str) -> str:
    """"bearer", "basic" or "oauth": which header a SCIM request of this kind carries."""
    return "oauth" if is_oauth_kind(kind) else kind


class TenantKeys:
    """The digests and grants of one registry's tenants."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self.oauth = OAuthGrants(clock)
        self._digests: dict[str, bytes] = {}  # tenant id → its secret's digest
        self._names: dict[str, bytes] = {}  # tenant id → its username's or client id's digest
        # (vendor, digest) → tenant id: how a URL without {tenant} finds its tenant.
        self._by_digest: dict[tuple[str, bytes], str] = {}
        self._by_old_digest: dict[tuple[str, bytes], str] = {}  # replaced secrets, the same way
        self._expiry: dict[str, datetime] = {}  # tenant id → when its secret expires

    # Keeping the index ---------------------------------------------------------------------

    def index(self, service: TenantService) -> None:
        """Learn (or re-learn, after a change) a tenant's secret, name and expiry."""
        self.forget(service, revoke=False)
        record, vendor = service.record, service.profile.id
        # A tenant restored from a whole-sandbox snapshot knows only its secret's digest.
        digest = (token_digest(record["token"]) if record.get("token")
                  else bytes.fromhex(record["token_sha256"]))
        self._digests[service.id] = digest
        self._by_digest[(vendor, digest)] = service.id
        name_field = NAME_FIELD.get(service.profile.auth.kind)
        if name_field:
            self._names[service.id] = token_digest(record[name_field])
        for entry in record.get("replaced") or ():
            self._by_old_digest[(vendor, bytes.fromhex(entry["digest"]))] = service.id
        expires = expiry_of(record, service.profile)
        if expires is not None:
            self._expiry[service.id] = expires

    def forget(self, service: TenantService, *, revoke: bool = True) -> None:
        """Drop what opens a tenant (deleted, or about to be re-indexed)."""
        vendor = service.profile.id
        digest = self._digests.pop(service.id, None)
        if digest is not None:
            # Only token-found vendors read this map, and their secrets are unique, so the
            # entry is this tenant's.
            self._by_digest.pop((vendor, digest), None)
        for key in [k for k, v in self._by_old_digest.items() if v == service.id]:
            del self._by_old_digest[key]
        self._names.pop(service.id, None)
        self._expiry.pop(service.id, None)
        if revoke:
            self.oauth.revoke_tenant(service.id)

    def holder(self, vendor: str, secret: str) -> str | None:
        """The tenant of `vendor` whose secret this is, found by its digest."""
        return self._by_digest.get((vendor, token_digest(secret)))

    def digest_of(self, tenant_id: str) -> bytes | None:
        return self._digests.get(tenant_id)

    # Checks ----------------------------------------------------------------------------------

    def secret_matches(self, service: TenantService, secret: str) -> bool:
        """Whether `secret` is the tenant's current secret, compared in constant time."""
        expected = self._digests.get(service.id)  # None if deleted meanwhile
        return expected is not None and digest_matches(secret, expected)

    def name_matches(self, service: TenantService, name: str) -> bool:
        expected = self._names.get(service.id)
        return expected is not None and digest_matches(name, expected)

    def check(self, service: TenantService, presented: Presented) -> None:
        """Let the request in, or raise `CredentialRefused` saying why."""
        kind = family(service.profile.auth.kind)
        if kind == "oauth":
            self._check_access_token(service, presented)
            return
        self.check_static(service, kind, presented)

    def check_static(self, service: TenantService, kind: str, presented: Presented) -> None:
        """Check the tenant's own secret (no OAuth access token): a bearer token, or a name
        and secret (`kind` "basic": a Basic username and password, or OAuth client
        credentials at the token endpoint)."""
        if presented.scheme != kind or not presented.secret:
            raise CredentialRefused(_NOTHING_SENT[kind] if not presented.sent else _WRONG[kind],
                                    "missing" if not presented.sent else "wrong")
        name_ok = kind != "basic" or self.name_matches(service, presented.name)
        if self.secret_matches(service, presented.secret) and name_ok:
            self.check_not_expired(service)
            return
        if name_ok and self.in_grace(service, presented.secret):
            return
        raise CredentialRefused(_WRONG[kind], "wrong")

    def check_not_expired(self, service: TenantService) -> None:
        expires = self._expiry.get(service.id)
        if expires is not None and self._clock() >= expires:
            raise CredentialRefused(expired_detail(service.record, service.profile, service.id,
                                                   expires), "expired")

    def in_grace(self, service: TenantService, secret: str) -> bool:
        """Whether `secret` is a replaced secret of the tenant still in its grace period;
        a replaced one past it raises "this token was replaced"."""
        until = replaced_until(service.record, secret) if service.record.get("replaced") \
            else None
        if until is None:
            return False
        if self._clock() < until:
            return True
        raise CredentialRefused(replaced_detail(format_time(until)), "replaced")

    def find(self, vendor: str, kind: str, presented: Presented, services: dict[str, Any],
             ) -> TenantService:
        """The tenant of `vendor` (auth `kind`) that a URL without {tenant} reaches with
        these credentials."""
        if presented.scheme == "bearer" and presented.secret:
            grant = self.oauth.access_grant(presented.secret)
            if grant is not None:
                tenant_id: str | None = grant.tenant_id
            else:
                tenant_id = (self.holder(vendor, presented.secret)
                             or self._by_old_digest.get((vendor, token_digest(presented.secret))))
        elif presented.scheme == "basic" and presented.secret:
            tenant_id = (self.holder(vendor, presented.secret)
                         or self._by_old_digest.get((vendor, token_digest(presented.secret))))
        else:
            tenant_id = None
        service = services.get(tenant_id) if tenant_id else None
        if service is None or service.profile.id != vendor:
            kind = family(kind)
            raise CredentialRefused(_NOTHING_SENT[kind] if not presented.sent else _WRONG[kind],
                                    "missing" if not presented.sent else "wrong")
        self.check(service, presented)
        return service

    def _check_access_token(self, service: TenantService, presented: Presented) -> None:
        if presented.scheme != "bearer" or not presented.secret:
            raise CredentialRefused(_NOTHING_SENT["oauth"] if not presented.sent
                                    else _WRONG["oauth"],
                                    "missing" if not presented.sent else "wrong")
        grant = self.oauth.access_grant(presented.secret)
        if grant is None or grant.tenant_id != service.id:
            if self.secret_matches(service, presented.secret):
                raise CredentialRefused(
                    "That is the tenant's client secret, not an access token: exchange the "
                    f"client id and secret for one at POST /oauth/{service.id}/token.", "wrong")
            raise CredentialRefused(_WRONG["oauth"], "wrong")
        if self.oauth.expired(grant):
            raise CredentialRefused(
                f"The access token expired at {format_time(grant.expires)}; fetch a new one "
                f"from POST /oauth/{service.id}/token (or use the refresh token).", "expired")
