"""SCIM JSON responses and request bodies, in one place."""

from __future__ import annotations

import json
from typing import Any

from flask import Request, Response, current_app, has_app_context
from werkzeug.exceptions import HTTPException

from sandbox.constants import SCIM_JSON
from sandbox.scim.errors import ScimError, invalid_syntax
from sandbox.service.limits import Limits, body_size_words

LIMITS = "SCIM_SANDBOX_LIMITS"  # app.config key: the request limits the body parser applies
_ACCEPTED_TYPES = (SCIM_JSON, "application/json")


class HeaderedScimError(ScimError):
    """A SCIM error whose HTTP answer needs headers too (`Allow` on a 405)."""

    def __init__(self, status: int, detail: str, headers: dict[str, str]) -> None:
        super().__init__(status, detail)
        self.headers = headers


_HTTP_DETAILS = {
    404: "No such endpoint. SCIM endpoints live under a tenant URL; see GET /_sandbox/tenants.",
    405: "This method is not allowed on this endpoint.",
}
INTERNAL_ERROR = ("The sandbox hit an internal error; it has been logged. Your data was not "
                  "changed.")


def http_error_response(error: HTTPException) -> Response:
    """A Werkzeug HTTP error (404, 405, 413, ...) as a SCIM error body."""
    status = error.code or 500
    detail = _too_large() if status == 413 else _HTTP_DETAILS.get(status)
    detail = detail or error.description or error.name
    headers = {}
    valid_methods = getattr(error, "valid_methods", None)
    if status == 405 and valid_methods:
        headers["Allow"] = ", ".join(valid_methods)
    return error_response(ScimError(status, detail), headers)


def _too_large() -> str:
    limit = current_app.config.get("MAX_CONTENT_LENGTH") if has_app_context() else None
    if not limit:
        return "The request body is larger than this sandbox accepts."
    return (f"The request body is larger than {body_size_words(limit)}, the most this sandbox "
            "accepts (its max_body_bytes setting); send a smaller body.")


def scim_json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    payload = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    if not payload.isascii():
        try:
            payload.encode("utf-8")
        except UnicodeEncodeError:
            # A lone surrogate escaped in a request ("\ud800") and quoted back in an answer
            # cannot be UTF-8: \u escapes carry it as the request did.
            payload = json.dumps(body, separators=(",", ":"))
    return Response(payload, status=status, headers=headers, content_type=SCIM_JSON)


def no_content(headers: dict[str, str] | None = None, status: int = 204) -> Response:
    """An answer without a body (204, 304): no Content-Type either, where Flask would put
    text/html on it."""
    response = Response(status=status, headers=headers)
    del response.headers["Content-Type"]
    return response


BEARER_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="scim-sandbox"'}


def error_response(error: ScimError, headers: dict[str, str] | None = None) -> Response:
    if isinstance(error, HeaderedScimError):
        headers = {**error.headers, **(headers or {})}
    if error.status == 401:  # RFC 7235 §3.1: every 401 carries a challenge
        headers = {**BEARER_CHALLENGE, **(headers or {})}
    return scim_json(error.to_dict(), error.status, headers)


def json_body(request: Request) -> Any:
    """The request's JSON body; 415 for another media type, 400 for JSON that does not parse
    or nests deeper than the limit. SCIM requests read it through their exchange, once."""
    limits = current_app.config.get(LIMITS) or _DEFAULT_LIMITS
    body = _parse_json_body(request, limits)
    limits.check_json_depth(body)
    return body


_DEFAULT_LIMITS = Limits()


def _parse_json_body(request: Request, limits: Limits) -> Any:
    media_type = (request.mimetype or "").lower()
    if media_type not in _ACCEPTED_TYPES:
        shown = request.content_type or "no Content-Type"
        raise ScimError(415, f"Send the body as application/scim+json or application/json, "
                             f"not {shown}.")
    raw = request.get_data(cache=True)
    if not raw.strip():
        raise invalid_syntax("The request body is empty; a JSON object is expected.")
    try:
        return json.loads(raw)
    except RecursionError:
        raise limits.unparsable_depth(raw) from None
    except ValueError as exc:
        raise invalid_syntax(f"The request body is not valid JSON: {exc}.") from None
