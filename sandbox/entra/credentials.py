"""Entra's Admin Credentials beyond a Secret Token: HTTP Basic, and OAuth 2.0 clients that
fetch (and renew) access tokens from the vendor's token URL.

`signed_in(transport, credentials)` wraps a transport so that every SCIM request carries the
right Authorization header: the Basic credentials, or a current access token. An access token
is fetched on the first request (client credentials grant, or the refresh token an admin's
"Authorize" left), fetched again shortly before it expires, and once more after a 401. A
bearer Secret Token needs no wrapping: the engine sends it itself.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from sandbox.constants import ERROR_SCHEMA
from sandbox.entra.transport import Response, Transport, TransportError

_EARLY_SECONDS = 30  # renew an access token this long before it expires


@dataclass(frozen=True, slots=True)
class AdminCredentials:
    """What an admin gave beside the Tenant URL: `username`/`password` (Basic), or an OAuth
    client (`client_id`, `client_secret`, `token_url`) and, after an admin authorized it,
    the `refresh_token` (and a first `access_token`) of the authorization code grant. Empty:
    a bearer Secret Token, which the config's `token` carries."""

    username: str = ""
    password: str = field(default="", repr=False)
    client_id: str = ""
    client_secret: str = field(default="", repr=False)
    token_url: str = ""
    refresh_token: str = field(default="", repr=False)
    access_token: str = field(default="", repr=False)
    # When `access_token` expires, on the scale of the clock AccessTokens reads
    # (time.monotonic unless a test gives another); None: unknown, kept until a 401.
    access_token_expires_at: float | None = None

    @property
    def kind(self) -> str:
        """"oauth" when any OAuth field is given, "basic" when a username or a password is,
        else "bearer"."""
        if (self.client_id or self.client_secret or self.token_url or self.refresh_token
                or self.access_token):
            return "oauth"
        return "basic" if self.username or self.password else "bearer"

    def problem(self) -> str | None:
        """What is missing (or mixed) for the kind the fields imply, or None."""
        if self.kind == "oauth":
            if self.username or self.password:
                return "give Basic credentials or an OAuth client, not both"
            missing = [name for name, value in (("a client id", self.client_id),
                                                ("a client secret", self.client_secret),
                                                ("a token URL", self.token_url)) if not value]
            if missing:
                return f"an OAuth client needs {_listed(missing)} as well"
        if self.kind == "basic" and not (self.username and self.password):
            return ("Basic credentials need a password as well as a username" if self.username
                    else "Basic credentials need a username as well as a password")
        return None


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def basic_header(name: str, password: str) -> str:
    """An `Authorization: Basic` value for a name and password (RFC 7617)."""
    return "Basic " + base64.b64encode(f"{name}:{password}".encode()).decode("ascii")


def client_basic_header(client_id: str, client_secret: str) -> str:
    """The Basic value an OAuth client authenticates with at a token endpoint: RFC 6749
    §2.3.1 form-encodes both parts first, so a secret holding '+', '%' or ':' survives."""
    return basic_header(quote(client_id, safe=""), quote(client_secret, safe=""))


def signed_in(transport: Transport, credentials: AdminCredentials | None,
              clock: Callable[[], float] = time.monotonic) -> Transport:
    """`transport`, with the Authorization header these credentials call for."""
    if credentials is None or credentials.kind == "bearer":
        return transport
    if credentials.kind == "basic":
        header = basic_header(credentials.username, credentials.password)

        def send_basic(method: str, url: str, headers: Mapping[str, str],
                       body: bytes | None) -> Response:
            return transport(method, url, _with_authorization(headers, header), body)

        return send_basic
    tokens = AccessTokens(transport, credentials, clock)

    def send_oauth(method: str, url: str, headers: Mapping[str, str],
                   body: bytes | None) -> Response:
        header = tokens.header()
        if header is None:
            return tokens.refusal()
        answer = transport(method, url, _with_authorization(headers, header), body)
        if answer[0] == 401:  # expired early, or revoked: one more try with a new token
            header = tokens.header(fresh=True)
            if header is None:
                return tokens.refusal()
            answer = transport(method, url, _with_authorization(headers, header), body)
        return answer

    return send_oauth


def _with_authorization(headers: Mapping[str, str], value: str) -> dict[str, str]:
    kept = {k: v for k, v in headers.items() if k.lower() != "authorization"}
    return {**kept, "Authorization": value}


class AccessTokens:
    """Access tokens of one OAuth client, from its token URL (RFC 6749 §4.4 or §6)."""

    def __init__(self, transport: Transport, credentials: AdminCredentials,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._transport = transport
        self._credentials = credentials
        self._clock = clock
        self._token = credentials.access_token or None
        self._refresh = credentials.refresh_token
        self._expires = _renew_at(credentials.access_token_expires_at) if self._token else 0.0
        self._refused = ""
        self._lock = threading.Lock()  # the console runs cycles in a thread

    def header(self, fresh: bool = False) -> str | None:
        """`Bearer <access token>`, fetched when there is none, it is about to expire, or
        `fresh` is asked; None when the token URL refused (see `refusal`)."""
        with self._lock:
            if fresh or self._token is None or self._clock() >= self._expires:
                self._fetch()
            return f"Bearer {self._token}" if self._token else None

    def refusal(self) -> Response:
        """A 401 answer saying why no access token could be had, as the SCIM request's."""
        body = {"schemas": [ERROR_SCHEMA], "status": "401", "detail": self._refused}
        return 401, {"Content-Type": "application/scim+json"}, json.dumps(body).encode()

    def _fetch(self) -> None:
        creds = self._credentials
        form = ({"grant_type": "refresh_token", "refresh_token": self._refresh}
                if self._refresh else {"grant_type": "client_credentials"})
        auth = client_basic_header(creds.client_id, creds.client_secret)
        headers = {"Authorization": auth, "Accept": "application/json",
                   "Content-Type": "application/x-www-form-urlencoded"}
        self._token = None
        try:
            status, _, raw = self._transport("POST", creds.token_url, headers,
                                             urlencode(form).encode("ascii"))
        except TransportError as error:
            self._refused = f"The token URL {creds.token_url} did not answer: {error}"
            return
        try:
            answer = json.loads(raw)
        except ValueError:
            answer = {}
        if status != 200 or not isinstance(answer, dict) or not answer.get("access_token"):
            error = answer.get("error", "") if isinstance(answer, dict) else ""
            said = answer.get("error_description", "") if isinstance(answer, dict) else ""
            self._refused = (f"The token URL {creds.token_url} gave no access token: HTTP "
                             f"{status} {error} {said}".strip())
            return
        self._token = str(answer["access_token"])
        self._refresh = str(answer.get("refresh_token") or self._refresh)
        lifetime = answer.get("expires_in")
        self._expires = _renew_at(self._clock() + float(lifetime)
                                  if isinstance(lifetime, int | float) else None)


def _renew_at(expires_at: float | None) -> float:
    """When to fetch a new access token: a little before it expires (never, when unknown)."""
    return float("inf") if expires_at is None else expires_at - _EARLY_SECONDS
