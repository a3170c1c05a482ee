"""Setting when a tenant's secret expires (`token_expires_at` of the admin API).

A test of a client's handling of an expired token should not wait out a vendor's 90 days, nor
need a vendor whose profile has a `token_expires` rule: an admin sets the moment (a past one
expires the secret at once) or null (it never expires), and the next request is refused or
let in accordingly. The moment is kept in the tenant's record (`credentials.EXPIRY_FIELD`),
so a durable sandbox and a restart keep it; a new secret clears it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sandbox.scim.errors import invalid_value, not_found
from sandbox.service.credentials import EXPIRY_FIELD, expiry_set
from sandbox.service.registry import TenantRegistry
from sandbox.service.sandbox_clock import EARLIEST, LATEST
from sandbox.service.tenant import TenantService

_EXAMPLE = "2030-01-01T00:00:00Z"


def checked_expiry(value: Any) -> datetime | None:
    """`value` (an ISO 8601 time with a timezone, or None) as a moment, or a 400
    invalidValue saying what is expected."""
    if value is None:
        return None
    moment = None
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            moment = None
    if moment is None or moment.tzinfo is None:
        raise invalid_value(f"'token_expires_at' must be an ISO 8601 time with a timezone, e.g. "
                            f"{_EXAMPLE}, or null (the token never expires); got {value!r}.")
    if not EARLIEST <= moment <= LATEST:
        raise invalid_value(f"'token_expires_at' must fall between {EARLIEST.year} and "
                            f"{LATEST.year}; got {value!r}.")
    return moment


def set_token_expiry(registry: TenantRegistry, tenant_id: str,
                     moment: datetime | None) -> TenantService:
    """Make the tenant's current secret expire at `moment` (None: never), from its next
    request on; the change is written through the store."""
    with registry.store.lock:
        service = registry.tenant(tenant_id)
        if service is None:
            raise not_found(f"No tenant '{tenant_id}'.")
        record = {**service.record, EXPIRY_FIELD: expiry_set(moment)}
        registry.store.update_tenant(record)
        service.record = record
        registry.keys.index(service)
    return service
