"""Which vendor a Tenant URL belongs to, when it is a sandbox tenant's: the profile whose
Tenant URL template its path fits (the loader keeps templates distinct, so at most one
does). The simulator then pre-fills Attribute Mappings from that vendor, as Entra's gallery
app for it would."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from sandbox.entra.config import split_flags

if TYPE_CHECKING:
    from sandbox.vendors import Profile


def vendor_of_url(tenant_url: str, profiles: Mapping[str, Profile]) -> Profile | None:
    """The profile whose Tenant URL template the URL's path fits, or None."""
    try:
        path = urlsplit(split_flags(tenant_url)[0]).path.rstrip("/")
    except ValueError:
        return None
    return next((profile for profile in profiles.values()
                 if _template(profile.tenant_url).fullmatch(path)), None)


@lru_cache(maxsize=256)
def _template(template: str) -> re.Pattern[str]:
    """`/olfeo/{tenant}/scim/v2` → a pattern with one path segment for the placeholder."""
    pattern = re.escape(template.rstrip("/"))
    return re.compile(re.sub(r"\\\{(tenant|slug)\\\}", "[^/]+", pattern))
