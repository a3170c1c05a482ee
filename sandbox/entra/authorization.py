"""Entra's **Authorize** for a vendor authorized by an admin (OAuth 2.0 authorization code
grant, RFC 6749 §4.1): the address of the vendor's consent page, and the exchange of the
code it sends back for an access token and a refresh token.

The tokens then go into `AdminCredentials` (`refresh_token`, `access_token`), whose
`signed_in` transport renews the access token through the refresh token.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sandbox.entra.credentials import client_basic_header
from sandbox.entra.transport import Transport, TransportError


class AuthorizationError(Exception):
    """The token URL gave no tokens for the code; the message says why, without secrets."""


@dataclass(frozen=True, slots=True)
class GrantedTokens:
    """What the token URL answered for a code. Secrets stay out of `repr`."""

    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    expires_in: float | None = None
    expires_at: float | None = None  # on `clock`'s scale, as AdminCredentials keeps it


def consent_url(authorize_url: str, client_id: str, redirect_uri: str, state: str) -> str:
    """The vendor's consent page for this client (RFC 6749 §4.1.1), keeping any query the
    authorize URL already has."""
    parts = urlsplit(authorize_url)
    query = [*parse_qsl(parts.query, keep_blank_values=True),
             ("response_type", "code"), ("client_id", client_id),
             ("redirect_uri", redirect_uri), ("state", state)]
    return urlunsplit(parts._replace(query=urlencode(query)))


def exchange_code(transport: Transport, token_url: str, client_id: str, client_secret: str,
                  code: str, redirect_uri: str,
                  clock: Callable[[], float] = time.monotonic) -> GrantedTokens:
    """Trade an authorization code for tokens (RFC 6749 §4.1.3), the client authenticating
    with HTTP Basic (§2.3.1). AuthorizationError when the token URL refuses."""
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
    headers = {"Authorization": client_basic_header(client_id, client_secret),
               "Accept": "application/json",
               "Content-Type": "application/x-www-form-urlencoded"}
    try:
        status, _, raw = transport("POST", token_url, headers, urlencode(form).encode("ascii"))
    except TransportError as error:
        raise AuthorizationError(f"The token URL {token_url} did not answer: {error}") from None
    try:
        answer = json.loads(raw)
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        answer = {}
    if status != 200 or not answer.get("access_token"):
        said = " ".join(str(answer.get(k, "")) for k in ("error", "error_description")).strip()
        raise AuthorizationError(f"The token URL {token_url} gave no tokens for the code: "
                                 f"HTTP {status}{' ' + said if said else ''}")
    lifetime = answer.get("expires_in")
    expires_in = float(lifetime) if isinstance(lifetime, int | float) else None
    return GrantedTokens(str(answer["access_token"]), str(answer.get("refresh_token") or ""),
                         expires_in, None if expires_in is None else clock() + expires_in)
