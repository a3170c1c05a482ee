"""The Authorization header a test client sends, by the tenant's auth kind.

A bearer tenant's client sends its token and a basic tenant's its username and password. An
OAuth tenant's client sends an access token: for the client credentials grant it fetches one
from the tenant's token endpoint, over the same transport as its SCIM requests (so a live
tenant's client uses the real token URL); for the authorization code grant it is issued one as
if an admin had approved Entra on the consent page, which a test has no browser to click.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Protocol
from urllib.parse import urlencode

from sandbox.entra.credentials import basic_header, client_basic_header
from sandbox.service.registry import TenantRegistry
from sandbox.service.tenant import TenantService
from sandbox.vendors.profile_auth import BASIC, OAUTH_AUTHORIZATION_CODE, OAUTH_CLIENT_CREDENTIALS

# `authorization(fresh)` → the header value; `fresh` asks for a new access token (after a 401).
Authorization = Callable[[bool], str]


class _Sends(Protocol):
    def send(self, method: str, url: str, headers: dict[str, str],
             body: bytes | None) -> Any: ...


def authorization_for(registry: TenantRegistry, service: TenantService, root_url: str,
                      transport: _Sends) -> Authorization:
    """How a client of `service` authenticates, as `authorization(fresh) -> header`."""
    kind = service.profile.auth.kind
    if kind == BASIC:
        return lambda fresh: basic_header(service.record["username"], service.token)
    if kind == OAUTH_CLIENT_CREDENTIALS:
        return _Cached(lambda: _client_credentials_token(service, root_url, transport))
    if kind == OAUTH_AUTHORIZATION_CODE:
        return _Cached(lambda: str(registry.oauth.issue_tokens(
            service.id, service.profile.auth.access_token_seconds)["access_token"]))
    return lambda fresh: f"Bearer {service.token}"


class _Cached:
    """An access token, fetched on first use and again when asked for a fresh one."""

    def __init__(self, fetch: Callable[[], str]) -> None:
        self._fetch = fetch
        self._token: str | None = None

    def __call__(self, fresh: bool) -> str:
        if fresh or self._token is None:
            self._token = self._fetch()
        return f"Bearer {self._token}"


def _client_credentials_token(service: TenantService, root_url: str, transport: _Sends) -> str:
    credentials = service.credentials(root_url)
    body = urlencode({"grant_type": "client_credentials"}).encode("ascii")
    answer = transport.send("POST", credentials["token_url"], {
        "Authorization": client_basic_header(credentials["client_id"],
                                             credentials["client_secret"]),
        "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
        body)
    if answer.status_code != 200:
        raise RuntimeError(f"The token endpoint of tenant {service.id} answered "
                           f"{answer.status_code}: {answer.content[:300]!r}")
    return str(json.loads(answer.content)["access_token"])
