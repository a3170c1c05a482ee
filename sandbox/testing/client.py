"""A small HTTP client bound to one tenant: its URL, its credentials, SCIM JSON bodies.

Two transports answer the same calls: in process through Flask's test client (a WSGI call,
no socket), and live through `urllib.request` to the loopback server. Both send through the
Entra client's transport functions (`sandbox.entra.transport`), so the sandbox has one way of
sending HTTP; the standard library is enough, so the plugin adds no dependency.
"""

from __future__ import annotations

import json as jsonlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlencode

from sandbox.constants import SCIM_JSON
from sandbox.entra.transport import (
    DEFAULT_TIMEOUT,
    TransportError,
    urllib_transport,
    wsgi_transport,
)


class Headers(Mapping[str, str]):
    """Response headers, read case-insensitively (`headers["etag"]` is `headers["ETag"]`)."""

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        self._items: dict[str, tuple[str, str]] = {}
        for name, value in pairs:
            key = name.lower()
            if key in self._items:  # repeated header: one comma-joined value (RFC 9110 §5.3)
                value = f"{self._items[key][1]}, {value}"
            self._items[key] = (name, value)

    def __getitem__(self, name: str) -> str:
        return self._items[name.lower()][1]

    def __iter__(self) -> Iterator[str]:
        return (name for name, _ in self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return repr(dict(self._items.values()))


@dataclass(frozen=True, slots=True)
class Response:
    """An answer as a test reads it: `status_code`, `headers`, `json()`, `text`."""

    method: str
    url: str
    status_code: int
    headers: Headers
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")

    @property
    def ok(self) -> bool:
        return self.status_code < 400

    def json(self) -> Any:
        """The decoded JSON body; None for an empty body (a 204, a DELETE)."""
        if not self.content:
            return None
        return jsonlib.loads(self.content)

    def __repr__(self) -> str:
        return f"<Response [{self.status_code}] {self.method} {self.url}>"


class Transport(Protocol):
    """Sends one request to an absolute or root-relative URL."""

    def send(self, method: str, url: str, headers: dict[str, str],
             body: bytes | None) -> Response: ...


class WsgiTransport:
    """In process: the app's own test client, no socket."""

    def __init__(self, app: Any) -> None:  # a Flask app; typed loosely to avoid importing Flask
        self._send = wsgi_transport(app, test_client=True)

    def send(self, method: str, url: str, headers: dict[str, str],
             body: bytes | None) -> Response:
        status, answer_headers, content = self._send(method, url, headers, body)
        return Response(method, url, status, Headers(answer_headers.items()), content)


class UrllibTransport:
    """Live: a real HTTP request to the loopback server, as any client would send it. A 4xx
    or 5xx is an answer, not a failure; loopback requests never go through a proxy."""

    def __init__(self, timeout: float = DEFAULT_TIMEOUT) -> None:
        self._send = urllib_transport(timeout)

    def send(self, method: str, url: str, headers: dict[str, str],
             body: bytes | None) -> Response:
        try:
            status, answer_headers, content = self._send(method, url, headers, body)
        except TransportError as error:
            # No answer at all: raise what urllib raised (a URLError for a stopped server),
            # which is what a test written against this client expects.
            raise (error.__cause__ or error) from None
        return Response(method, url, status, Headers(answer_headers.items()), content)


class TenantClient:
    """Requests relative to a tenant's SCIM base URL, already authenticated.

    `client.get("/Users", params={"filter": 'userName eq "ann"'})`,
    `client.post("/Users", json={...})`. A path that is already an absolute URL (a
    `meta.location`) is used as it is. `headers` add to or override the defaults
    (Authorization, Accept and, with a body, Content-Type `application/scim+json`).
    """

    def __init__(self, base_url: str, token: str, transport: Transport,
                 authorization: Callable[[bool], str] | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self._transport = transport
        # `authorization(fresh)` gives the Authorization header when it is not a bearer
        # token (Basic credentials, an OAuth access token that may need renewing).
        self._authorization = authorization

    def request(self, method: str, path: str = "", *, json: Any = None,
                data: bytes | str | None = None, params: Mapping[str, Any] | None = None,
                headers: Mapping[str, str] | None = None) -> Response:
        """Send one request; `json` is serialised, `data` goes as it is (for malformed bodies)."""
        url = self.url_for(path)
        if params:
            url += ("&" if "?" in url else "?") + urlencode(params, doseq=True)
        authorization = (self._authorization(False) if self._authorization
                         else f"Bearer {self.token}")
        sent = {"Authorization": authorization, "Accept": SCIM_JSON}
        body: bytes | None = None
        if json is not None:
            body = jsonlib.dumps(json).encode("utf-8")
        elif data is not None:
            body = data.encode("utf-8") if isinstance(data, str) else data
        if body is not None:
            sent["Content-Type"] = SCIM_JSON
        for name, value in (headers or {}).items():
            # Override whatever default has this name, in any letter case.
            for default in [k for k in sent if k.lower() == name.lower()]:
                del sent[default]
            sent[name] = value
        response = self._transport.send(method.upper(), url, sent, body)
        if (response.status_code == 401 and self._authorization is not None
                and sent.get("Authorization") == authorization):
            # An OAuth access token expires: fetch a fresh one and try once more, as a
            # client of such a vendor does. Basic credentials come back unchanged.
            renewed = self._authorization(True)
            if renewed != authorization:
                response = self._transport.send(method.upper(), url,
                                                {**sent, "Authorization": renewed}, body)
        return response

    def url_for(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            return path
        if path and not path.startswith(("/", "?")):
            path = "/" + path
        return self.base_url + path

    def get(self, path: str = "", **kwargs: Any) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str = "", **kwargs: Any) -> Response:
        return self.request("POST", path, **kwargs)

    def put(self, path: str = "", **kwargs: Any) -> Response:
        return self.request("PUT", path, **kwargs)

    def patch(self, path: str = "", **kwargs: Any) -> Response:
        return self.request("PATCH", path, **kwargs)

    def delete(self, path: str = "", **kwargs: Any) -> Response:
        return self.request("DELETE", path, **kwargs)

    def __repr__(self) -> str:
        return f"<TenantClient {self.base_url}>"
