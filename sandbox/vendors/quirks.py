"""Vendor behaviour that profile data cannot express, each a small named function.

A profile switches one on by listing its name under `quirks`. Each runs before every SCIM
request to a tenant of that vendor, with the vendor profile and the tenant's settings, and
raises a SCIM error to refuse the request.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from sandbox.scim.errors import ScimError

if TYPE_CHECKING:
    from sandbox.vendors.profile import Profile

Quirk = Callable[["Profile", Mapping[str, Any]], None]


def inactive_provider_refuses(profile: Profile, settings: Mapping[str, Any]) -> None:
    """Vault Platform: Administration > Data Integration has a toggle "Set as active SCIM
    Provider" that the tutorial (Step 2.2, item 4) tells the admin to turn on. Until it is on,
    the endpoint does not accept the secret: every SCIM request answers 401."""
    if not settings.get("active_scim_provider", True):
        raise ScimError(
            401,
            f"{profile.name} is not the active SCIM provider: turn on 'Set as active SCIM "
            "Provider' under Administration > Data Integration.",
        )


QUIRKS: dict[str, Quirk] = {
    "inactive_provider_refuses": inactive_provider_refuses,
}
