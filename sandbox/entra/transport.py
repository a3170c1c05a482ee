"""How the simulator's requests reach an endpoint: a plain callable, so the same cycle runs
against a sandbox app in the same process (no socket) or any SCIM server on the network.

A transport is `(method, url, headers, body) -> (status, headers, body)`. It answers every
HTTP status (a 4xx or 5xx is an answer, not an error) and raises `TransportError` only when
there is no answer: refused connection, DNS failure, timeout.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

Response = tuple[int, dict[str, str], bytes]
Transport = Callable[[str, str, Mapping[str, str], bytes | None], Response]

DEFAULT_TIMEOUT = 30.0
_LOOPBACK = {"localhost", "127.0.0.1", "::1"}


class TransportError(Exception):
    """No HTTP answer at all; `timeout` tells a slow endpoint from an unreachable one."""

    def __init__(self, message: str, timeout: bool = False) -> None:
        super().__init__(message)
        self.timeout = timeout


def urllib_transport(timeout: float = DEFAULT_TIMEOUT) -> Transport:
    """Requests over the network with the standard library.

    Loopback URLs bypass any HTTP proxy set in the environment: a developer testing a local
    endpoint behind a corporate proxy would otherwise reach the proxy, not their server.
    """
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    proxied = urllib.request.build_opener()

    def send(method: str, url: str, headers: Mapping[str, str],
             body: bytes | None) -> Response:
        opener = direct if (urlsplit(url).hostname or "") in _LOOPBACK else proxied
        request = urllib.request.Request(url, data=body, headers=dict(headers), method=method)
        try:
            with opener.open(request, timeout=timeout) as answer:
                return answer.status, _headers(answer.headers.items()), answer.read()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, _headers(error.headers.items()), error.read()
        except TimeoutError as error:
            raise TransportError(f"no answer within {timeout:g} s", timeout=True) from error
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError):
                raise TransportError(f"no answer within {timeout:g} s",
                                     timeout=True) from error
            raise TransportError(f"cannot reach {url}: {error.reason}") from error
        except (OSError, ValueError) as error:
            raise TransportError(f"cannot reach {url}: {error}") from error

    return send


def wsgi_transport(app: Any, *, test_client: bool = False) -> Transport:
    """Requests straight into a WSGI app (a sandbox from `create_app`), without a socket.

    The URL's scheme and host become the WSGI environ's, so an app that builds absolute
    URLs (`meta.location`) builds the ones the simulator was given. `test_client` sends
    through the app's own test client (Flask's `app.test_client()`, which also gives each
    request a remote address and a default User-Agent) instead of a bare WSGI one.
    """
    from werkzeug.test import Client  # werkzeug comes with Flask

    client = app.test_client() if test_client else Client(app)

    def send(method: str, url: str, headers: Mapping[str, str],
             body: bytes | None) -> Response:
        # Werkzeug takes only the path and query of a full URL; the host must be given apart.
        parts = urlsplit(url)
        base_url = f"{parts.scheme}://{parts.netloc}" if parts.netloc else None
        answer = client.open(url, base_url=base_url, method=method,
                             headers=list(headers.items()), data=body)
        try:
            return answer.status_code, _headers(answer.headers.items()), answer.get_data()
        finally:
            answer.close()

    return send


def _headers(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Answer headers as one dict; a repeated header becomes one comma-joined value
    (RFC 9110 §5.3) rather than losing all but its last line."""
    joined: dict[str, str] = {}
    for name, value in pairs:
        joined[name] = f"{joined[name]}, {value}" if name in joined else value
    return joined
