"""A tenant's credentials by its vendor's auth kind (`[auth] kind`), and why one is refused.

Every tenant keeps exactly one secret, under "token" in its record whatever the kind: the
bearer token, the Basic password, or the OAuth client secret: one digest to compare. The
kind adds a public name beside it: "username" (basic) or "client_id" (both OAuth kinds).
"token_issued" says when the secret was issued (the `token_expires` rule counts from it, unless
an admin set the secret's expiry: "token_expiry"), and
"replaced" keeps the SHA-256 digests (hex, never the secrets) of replaced secrets with the
moment each stops working, so a request with an old one can be told "this token was
replaced" rather than "wrong token". Both "token" and "replaced" stay out of snapshots
(`SECRET_FIELDS`): an unsalted digest of a secret still in its grace period is as good as a
guess-checker for it.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sandbox.scim.errors import ScimError
from sandbox.service.clock import format_time
from sandbox.service.tokens import digest_matches
from sandbox.vendors import Profile
from sandbox.vendors.profile_auth import (
    BASIC,
    BEARER,
    OAUTH_AUTHORIZATION_CODE,
    OAUTH_CLIENT_CREDENTIALS,
)

# The field an admin sends for the secret, per kind (the record keeps it under "token").
SECRET_NAME = {BEARER: "token", BASIC: "password",
               OAUTH_CLIENT_CREDENTIALS: "client_secret",
               OAUTH_AUTHORIZATION_CODE: "client_secret"}
# The public name beside the secret, per kind.
NAME_FIELD = {BASIC: "username", OAUTH_CLIENT_CREDENTIALS: "client_id",
              OAUTH_AUTHORIZATION_CODE: "client_id"}
# Record fields that hold a secret or its digest: never exported.
SECRET_FIELDS = frozenset({"token", "replaced"})
# The record's expiry an admin set, {"at": time or null}; null or absent: the rule decides.
EXPIRY_FIELD = "token_expiry"
KEPT_REPLACED = 5  # replaced secrets remembered per tenant, to name them in a 401
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")


class CredentialRefused(ScimError):
    """A 401: what the request brought does not open this tenant. `reason` is one of
    "missing", "wrong", "expired", "replaced"; the HTTP layer adds the challenge."""

    def __init__(self, detail: str, reason: str) -> None:
        super().__init__(401, detail)
        self.reason = reason


def secret_problem(secret: Any, what: str = "a tenant token") -> str | None:
    """Why `secret` cannot be a tenant's secret, or None when it can. It travels in an
    Authorization header (or a form), so: printable ASCII, no spaces, 8 characters or more."""
    if (not isinstance(secret, str) or len(secret) < 8 or not secret.isascii()
            or not secret.isprintable() or any(c.isspace() for c in secret)):
        return f"{what} must be at least 8 printable ASCII characters, no spaces"
    return None


def given_problem(profile: Profile, given: Mapping[str, Any]) -> str | None:
    """Why credentials asked for at creation do not suit `profile`'s auth kind, or None."""
    kind = profile.auth.kind
    secret_name = SECRET_NAME[kind]
    secrets_given = [name for name in ("token", "password", "client_secret")
                     if given.get(name) is not None]
    wrong = [name for name in secrets_given if name not in ("token", secret_name)]
    name_field = NAME_FIELD.get(kind)
    wrong += [name for name in ("username", "client_id")
              if given.get(name) is not None and name != name_field]
    if wrong:
        fits = " and ".join(f"'{n}'" for n in (name_field, secret_name) if n)
        return (f"{profile.name} tenants use {kind} credentials: give {fits}, not "
                f"{', '.join(repr(n) for n in wrong)}")
    if len(secrets_given) > 1:
        return f"give the secret once, as '{secret_name}'"
    for name in secrets_given:
        problem = secret_problem(given[name], f"'{name}'")
        if problem:
            return problem
    if name_field and given.get(name_field) is not None:
        value = given[name_field]
        if not isinstance(value, str) or not _NAME.fullmatch(value):
            return (f"'{name_field}' must be 1-64 letters, digits, '.', '_', '@' or '-', "
                    "starting with a letter or digit")
    return None


def new_credentials(profile: Profile, tenant_id: str, given: Mapping[str, Any],
                    now: datetime) -> dict[str, Any]:
    """The record fields of a new tenant's credentials: those given, the rest made up."""
    kind = profile.auth.kind
    secret = next((given[n] for n in ("token", SECRET_NAME[kind]) if given.get(n)), None)
    fields: dict[str, Any] = {"token": secret or secrets.token_urlsafe(24),
                              "token_issued": format_time(now)}
    name_field = NAME_FIELD.get(kind)
    if name_field:
        made_up = f"{tenant_id}-{secrets.token_hex(3)}" if name_field == "client_id" \
            else f"scim-{tenant_id}"
        fields[name_field] = given.get(name_field) or made_up
    return fields


def credentials_of(record: Mapping[str, Any], profile: Profile) -> dict[str, str | None]:
    """What an admin pastes into Entra's Admin Credentials, named as the kind names them;
    the secret is None for a tenant restored from a whole-sandbox snapshot (only its digest
    came with it: whoever took the snapshot still has the secret)."""
    kind = profile.auth.kind
    name_field = NAME_FIELD.get(kind)
    if name_field is None:
        return {"token": record.get("token")}
    return {name_field: record[name_field], SECRET_NAME[kind]: record.get("token")}


def oauth_paths(tenant_id: str) -> dict[str, str]:
    """The tenant's OAuth endpoints below the server root (outside every tenant URL)."""
    return {"token_url": f"/oauth/{tenant_id}/token",
            "authorize_url": f"/oauth/{tenant_id}/authorize"}


def expiry_of(record: Mapping[str, Any], profile: Profile) -> datetime | None:
    """When the tenant's secret stops working (None: never): the time an admin set for it
    (`token_expiry`, see `expiry_set`), else the `token_expires` rule's lifetime."""
    explicit = record.get(EXPIRY_FIELD)
    if isinstance(explicit, dict):
        return datetime.fromisoformat(explicit["at"]) if explicit.get("at") else None
    rules = profile.rules_of("token_expires")
    if not rules:
        return None
    issued = datetime.fromisoformat(record.get("token_issued") or record["created"])
    return issued + timedelta(days=min(rule.days or 0 for rule in rules))


def expiry_set(moment: datetime | None) -> dict[str, str | None]:
    """The record's `token_expiry` for a time an admin set (None: the secret never expires,
    whatever the profile's rule says). A new secret clears it (`token_expiry` null), so the
    rule's lifetime counts again from its issue."""
    return {"at": format_time(moment) if moment is not None else None}


def token_expires_at(record: Mapping[str, Any], profile: Profile) -> str | None:
    """The secret's expiry as the admin API shows it (`token_expires_at`), or None."""
    expires = expiry_of(record, profile)
    return format_time(expires) if expires is not None else None


def expired_detail(record: Mapping[str, Any], profile: Profile, tenant_id: str,
                   expired: datetime) -> str:
    """The 401's detail for an expired secret: when, and why (a time set, or the rule)."""
    renew = f"Issue a new one with POST /_sandbox/tenants/{tenant_id}/token"
    if isinstance(record.get(EXPIRY_FIELD), dict):
        return (f"The token expired at {format_time(expired)}, the token_expires_at set for "
                f"it. {renew}, or set a later token_expires_at with PATCH "
                f"/_sandbox/tenants/{tenant_id}.")
    days = min(rule.days or 0 for rule in profile.rules_of("token_expires"))
    return (f"The token expired on {format_time(expired)}: {profile.name} tokens are valid "
            f"for {days} days after they are issued. {renew}.")


def replaced_detail(when: str) -> str:
    return (f"This token was replaced (it stopped working at {when}); use the tenant's new "
            "secret.")


def grace_end(now: datetime, seconds: int, expires: datetime | None) -> datetime:
    """Until when a replaced secret keeps working: `seconds` of grace from `now`, but never
    past `expires`, when it would have stopped on its own (a replacement does not bring an
    expired secret back)."""
    until = now + timedelta(seconds=seconds)
    return until if expires is None else max(now, min(until, expires))


def with_replaced(record: Mapping[str, Any], old_digest: bytes, until: datetime,
                  ) -> list[dict[str, str]]:
    """The record's replaced secrets with one more: the old digest, working until `until`."""
    kept = list(record.get("replaced") or ())[-(KEPT_REPLACED - 1):]
    return [*kept, {"digest": old_digest.hex(), "until": format_time(until)}]


def replaced_until(record: Mapping[str, Any], secret: str) -> datetime | None:
    """Until when `secret`, a replaced one of this tenant, works; None when it never was."""
    for entry in reversed(record.get("replaced") or ()):
        if digest_matches(secret, bytes.fromhex(entry["digest"])):
            return datetime.fromisoformat(entry["until"])
    return None
