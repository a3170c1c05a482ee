"""What the admin types on the simulated Provisioning page, checked before any request is
sent: the Tenant URL, the credentials, and whether the URL points at this very server (then
requests go straight into the app)."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

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
    """The Secret Token, trimmed; SimulationError when it is missing or has spaces."""
    return check_secret(token, "Secret Token", "Enter the Secret Token the application issued.")


def check_secret(value: str, label: str, missing: str | None = None) -> str:
    """One credential (`label` names it for the admin), trimmed; it travels in a header or
    a form, so it must be there and have no spaces or line breaks."""
    found = (value or "").strip()
    if not found:
        raise SimulationError(missing or f"Enter the {label}.")
    if not found.isprintable() or any(c.isspace() for c in found):
        raise SimulationError(f"The {label} must not contain spaces or line breaks.")
    return found


def check_web_url(url: str, label: str) -> str:
    """An absolute http(s) URL with a host (the OAuth token URL), trimmed."""
    found = check_secret(url, label)
    try:
        parts = urlsplit(found)
        parts.port  # noqa: B018 - reading it validates it
    except ValueError:
        raise SimulationError(f"The {label} is not a valid URL.") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise SimulationError(f"The {label} must be an http:// or https:// URL with a host.")
    return found


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
