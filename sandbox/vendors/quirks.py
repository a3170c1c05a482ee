"""Vendor behaviour that profile data cannot express, each a small named function.

A profile switches one on by listing its name under `quirks`. Each runs before every SCIM
request to a tenant of that vendor, with the vendor's display name and the tenant's settings,
and raises a SCIM error to refuse the request. Quirks know nothing of profiles, so that
profiles may name them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sandbox.scim.errors import ScimError

# (the vendor's display name, the tenant's settings) → None, or raises a ScimError.
Quirk = Callable[[str, Mapping[str, Any]], None]


def inactive_provider_refuses(vendor_name: str, settings: Mapping[str, Any]) -> None:
    """Vault Platform: Administration > Data Integration has a toggle "Set as active SCIM
    Provider" that the tutorial (Step 2.2, item 4) tells the admin to turn on. Until it is on,
    the endpoint does not accept the secret: every SCIM request answers 401."""
    if not settings.get("active_scim_provider", True):
        raise ScimError(
            401,
            f"{vendor_name} is not the active SCIM provider: turn on 'Set as active SCIM "
            "Provider' under Administration > Data Integration.",
        )


QUIRKS: dict[str, Quirk] = {
    "inactive_provider_refuses": inactive_provider_refuses,
}
