"""Stubbed answers: a fault that answers with a chosen status, headers and body.

A provisioning client must survive what a real endpoint (or the proxy in front of it) gets
wrong: a 200 whose user has no `id`, a body cut off halfway, an HTML error page, a 201
without `Location`. A stub says the whole answer, so a test can send exactly that.

This module reads and checks the answer part of a fault (`headers`, `body`, `body_text`) and
the request-body matcher `body_contains`; `faults` keeps the rules and decides which fires.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from typing import Any

from sandbox.constants import SCIM_JSON
from sandbox.scim.errors import invalid_value

MAX_HEADERS = 50
MAX_HEADER_VALUE = 8_192
# RFC 9110 §5.1: a field name is a token.
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
# The server frames the answer itself: PEP 3333 forbids an application to send hop-by-hop
# headers (RFC 9110 §7.6.1), and a Content-Length that lies would break the connection, not
# the client under test.
_FRAMING = frozenset({"connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
                      "te", "trailer", "trailers", "transfer-encoding", "upgrade",
                      "content-length"})
# RFC 9110 §15.3.5, §15.3.6, §15.4.5: these answers carry no content.
NO_CONTENT_STATUSES = frozenset({204, 205, 304})


@dataclass(frozen=True, slots=True)
class StubAnswer:
    """The exact HTTP answer a stub gives: status, headers in order, body bytes."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


def read_headers(value: Any) -> tuple[tuple[str, str], ...]:
    """`headers` of a fault: a JSON object of header name to string value; 400 naming the
    header that is wrong."""
    if not isinstance(value, dict):
        raise invalid_value("'headers' must be an object of header names to string values, "
                            "such as {\"Content-Type\": \"text/html\"}.")
    if len(value) > MAX_HEADERS:
        raise invalid_value(f"'headers' may hold at most {MAX_HEADERS} headers.")
    seen: set[str] = set()
    headers = []
    for name, text in value.items():
        if not isinstance(name, str) or not _TOKEN.fullmatch(name):
            raise invalid_value(f"'headers': {name!r} is not a valid header name (letters, "
                                "digits and !#$%&'*+-.^_`|~ only).")
        if name.lower() in _FRAMING:
            raise invalid_value(f"'headers': the server sets '{name}' itself; a stub cannot.")
        if name.lower() in seen:
            raise invalid_value(f"'headers': '{name}' is given twice (names ignore case).")
        seen.add(name.lower())
        headers.append((name, _header_value(name, text)))
    return tuple(headers)


def _header_value(name: str, text: Any) -> str:
    if not isinstance(text, str):
        raise invalid_value(f"'headers': the value of '{name}' must be a string.")
    if len(text) > MAX_HEADER_VALUE:
        raise invalid_value(f"'headers': the value of '{name}' is longer than "
                            f"{MAX_HEADER_VALUE} characters.")
    # RFC 9110 §5.5: no control characters but tab (a CR or LF would split the answer).
    if any((ord(c) < 32 and c != "\t") or ord(c) == 127 or ord(c) > 255 for c in text):
        raise invalid_value(f"'headers': the value of '{name}' holds a control character or "
                            "a character outside Latin-1.")
    return text


def json_bytes(name: str, value: Any) -> bytes:
    """`value` as compact UTF-8 JSON; 400 naming the field when it is not plain JSON."""
    try:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        raise invalid_value(f"'{name}' must be a plain JSON value (objects, arrays, strings, "
                            "finite numbers, booleans, null).") from None
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate read from a "\ud800" escape
        return json.dumps(value, separators=(",", ":")).encode("ascii")


def text_bytes(value: Any) -> bytes:
    """`body_text` of a fault: any string, sent as UTF-8 exactly as given."""
    if not isinstance(value, str):
        raise invalid_value("'body_text' must be a string; it is sent as it is, so it may be "
                            "broken JSON or HTML. Use 'body' for a JSON value.")
    try:
        return value.encode("utf-8")
    except UnicodeEncodeError:
        raise invalid_value("'body_text' holds a lone surrogate, which is not text.") from None


def stub_answer(status: int, headers: tuple[tuple[str, str], ...], body: bytes | None,
                retry_after: int | None) -> StubAnswer:
    """The answer of a stub: a body is `application/scim+json` unless `headers` name another
    Content-Type; no body, no Content-Type."""
    named = {name.lower() for name, _ in headers}
    extra: list[tuple[str, str]] = []
    if body is not None and "content-type" not in named:
        extra.append(("Content-Type", SCIM_JSON))
    if retry_after is not None:
        extra.append(("Retry-After", str(retry_after)))
    return StubAnswer(status, (*extra, *headers), body or b"")


def read_body_contains(value: Any) -> Any:
    """`body_contains` of a fault: a JSON object the request body must contain (see
    `contains`); kept as a private copy so the caller's later edits change nothing."""
    if not isinstance(value, dict):
        raise invalid_value("'body_contains' must be a JSON object, such as "
                            "{\"userName\": \"ann\"}: the request body must contain it.")
    json_bytes("body_contains", value)
    return copy.deepcopy(value)


def contains(value: Any, pattern: Any) -> bool:
    """Whether JSON `value` contains JSON `pattern`.

    - An object contains an object pattern when each of the pattern's keys is present
      (names compared ignoring case, as SCIM attribute names are, RFC 7643 §2.1) with a
      value that contains the pattern's value; other keys are ignored.
    - An array contains an array pattern when each item of the pattern is contained by some
      item of the array, in any order (one item may serve several pattern items).
    - Anything else must be equal, and of the same JSON type: `1` is not `true`, `"1"` is
      not `1`; `1` and `1.0` are equal. Strings compare exactly, case included.
    """
    if isinstance(pattern, dict):
        if not isinstance(value, dict):
            return False
        folded = {str(k).lower(): v for k, v in value.items()}
        return all(str(k).lower() in folded and contains(folded[str(k).lower()], v)
                   for k, v in pattern.items())
    if isinstance(pattern, list):
        return isinstance(value, list) and all(
            any(contains(item, wanted) for item in value) for wanted in pattern)
    if isinstance(pattern, bool) or isinstance(value, bool):
        return type(pattern) is type(value) and pattern == value
    if isinstance(pattern, int | float):
        return isinstance(value, int | float) and pattern == value
    return type(pattern) is type(value) and pattern == value
