"""What the admin types on the simulated Provisioning page, checked before any request is
sent: the Tenant URL and Secret Token, and whether the URL is one of this sandbox's tenants
(then requests go straight into the app, and the vendor's attribute table applies)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from sandbox.entra import split_flags
from sandbox.vendors import Profile

_LOOPBACK = {"localhost", "127.0.0.1", "::1"}


class SimulationError(ValueError):
    """Input the simulator cannot use; the message is written for the admin to read."""


def check_tenant_url(tenant_url: str) -> str:
    """The Tenant URL, trimmed; SimulationError when it cannot be an SCIM base URL."""
    url = (tenant_url or "").strip()
    if not url:
        raise SimulationError("Enter the Tenant URL: the SCIM base URL the application gave you.")
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        raise SimulationError("The Tenant URL is not a valid URL.") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise SimulationError("The Tenant URL must start with https:// (or http:// for a "
                              "local endpoint), e.g. https://app.example.com/scim/v2.")
    try:
        parts.port  # noqa: B018 - reading it validates it
    except ValueError:
        raise SimulationError("The Tenant URL has an invalid port number.") from None
    if not parts.hostname:
        raise SimulationError("The Tenant URL has no host name.")
    if any(c.isspace() for c in url):
        raise SimulationError("The Tenant URL must not contain spaces.")
    return url


def check_token(token: str) -> str:
    value = (token or "").strip()
    if not value:
        raise SimulationError("Enter the Secret Token the application issued.")
    if not value.isprintable() or any(c.isspace() for c in value):
        raise SimulationError("The Secret Token must not contain spaces or line breaks.")
    return value


def same_origin(url: str, origins: Iterable[str]) -> bool:
    """Whether `url` points at one of `origins` (this server): same scheme, host and port.
    Loopback names count as one host, so `localhost` reaches a server opened as 127.0.0.1."""
    target = _origin(url)
    if target is None:
        return False
    for origin in origins:
        mine = _origin(origin)
        if mine is None:
            continue
        if mine == target:
            return True
        if (mine[0], mine[2]) == (target[0], target[2]) and {mine[1], target[1]} <= _LOOPBACK:
            return True
    return False


def _origin(url: str) -> tuple[str, str, int] | None:
    try:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        port = parts.port or {"http": 80, "https": 443}.get(scheme)
    except ValueError:
        return None
    if not parts.hostname or port is None:
        return None
    return scheme, parts.hostname.lower(), port


def vendor_of(tenant_url: str,
              profiles: Mapping[str, Profile]) -> tuple[Profile, str | None] | None:
    """The vendor profile whose Tenant URL template the URL's path fits, and the tenant key
    (id or slug) the path names (None when only the token names the tenant)."""
    path = urlsplit(split_flags(tenant_url)[0]).path.rstrip("/")
    for profile in profiles.values():
        found = _template(profile.tenant_url).fullmatch(path)
        if found:
            return profile, found.groupdict().get("key")
    return None


def _template(template: str) -> re.Pattern[str]:
    pattern = re.escape(template.rstrip("/"))
    pattern = re.sub(r"\\\{(tenant|slug)\\\}", "(?P<key>[^/]+)", pattern)
    return re.compile(pattern)
