"""The Provisioning blade's settings: Tenant URL, Secret Token, Attribute Mappings, groups on
or off, the SCIM behaviour flags, and the clock and sleep a cycle runs by."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sandbox.entra.credentials import AdminCredentials
from sandbox.entra.mappings import AttributeMapping, default_group_mappings, default_mappings
from sandbox.entra.quarantine import QuarantinePolicy
from sandbox.entra.requests import FLAG
from sandbox.entra.scoping import Scope

KNOWN_FLAGS = {FLAG.lower(): FLAG}


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(slots=True)
class ProvisioningConfig:
    """The Provisioning blade: Admin Credentials (Tenant URL, and a Secret Token or other
    `credentials`), the Attribute Mappings, whether groups are provisioned, and the SCIM
    behaviour flags."""

    tenant_url: str
    token: str
    user_mappings: tuple[AttributeMapping, ...] = field(default_factory=default_mappings)
    group_mappings: tuple[AttributeMapping, ...] = field(default_factory=default_group_mappings)
    flags: frozenset[str] = frozenset()
    provision_groups: bool = True
    group_actions: frozenset[str] = frozenset({"Create", "Update", "Delete"})  # Object Actions
    member_batch_size: int = 50  # members per PATCH; our choice, Microsoft gives no number
    max_retry_after: float = 5.0  # seconds: a 429's Retry-After is honoured up to this, once
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], datetime] = _utc_now
    # Admin Credentials other than the Secret Token (`token`): Basic, or an OAuth client.
    # The engine signs its requests in with them (`credentials.signed_in`).
    credentials: AdminCredentials | None = None
    # Settings: the Scope and the scoping filters; the accidental deletions threshold and
    # escrow figures of quarantine.
    scope: Scope = field(default_factory=Scope)
    quarantine_policy: QuarantinePolicy = field(default_factory=QuarantinePolicy)
    # False for an app that keeps no disabled accounts (a `hard_delete_only` rule): Entra
    # deletes where it would disable.
    soft_delete: bool = True

    @classmethod
    def from_tenant_url(cls, tenant_url: str, token: str, **options: Any) -> ProvisioningConfig:
        """Read the flags an admin appends to the Tenant URL, as Entra does
        (`https://host/scim?aadOptscim062020`), and keep the URL without them."""
        url, in_url = split_flags(tenant_url)
        flags = {KNOWN_FLAGS.get(f.lower(), f) for f in options.pop("flags", ())}
        return cls(url, token, flags=frozenset(flags | in_url), **options)

    @property
    def compliant(self) -> bool:
        """Whether `aadOptscim062020` asks for RFC-compliant PATCH requests."""
        return any(flag.lower() == FLAG.lower() for flag in self.flags)


def split_flags(tenant_url: str) -> tuple[str, frozenset[str]]:
    """`https://h/scim?aadOptscim062020` → (`https://h/scim`, {"aadOptscim062020"})."""
    parts = urlsplit(tenant_url)
    params = parse_qsl(parts.query, keep_blank_values=True)
    flags = frozenset(KNOWN_FLAGS[k.lower()] for k, _ in params if k.lower() in KNOWN_FLAGS)
    kept = [(k, v) for k, v in params if k.lower() not in KNOWN_FLAGS]
    return urlunsplit(parts._replace(query=urlencode(kept))), flags
