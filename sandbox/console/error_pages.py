"""Errors on console pages are pages a person reads, not SCIM bodies.

Errors raised by a console route go through the blueprint's handlers. A URL under `/console`
that no route matches belongs to no blueprint, so only an app-wide handler sees it: a browser
asking for a page there gets the console's 404 page, while SCIM clients and scripts (asking
for JSON, or for nothing in particular) keep the app's SCIM error.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, render_template, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from sandbox.console import access
from sandbox.console.routing import BLUEPRINT_NAME
from sandbox.http.responses import http_error_response
from sandbox.scim.errors import ScimError

log = logging.getLogger("sandbox.console")

CONSOLE_PREFIX = "/console"
Page = tuple[str, int] | tuple[dict[str, object], int]


def page(status: int, title: str, detail: str) -> Page:
    """The console's error page, or `{"status", "detail"}` for the console's own scripts."""
    if access.wants_json():
        return {"status": status, "detail": detail}, status
    # Set here as well as by the blueprint's context processor, which does not run for a
    # URL that no console route matched.
    return render_template("console/error.html", status=status, title=title, detail=detail,
                           signed_in=access.signed_in(), csrf_token=access.csrf_token()), status


def is_console_path(path: str) -> bool:
    return path == CONSOLE_PREFIX or path.startswith(CONSOLE_PREFIX + "/")


def scim_error(error: ScimError) -> Page:
    return page(error.status, "The sandbox refused this", error.detail)


def http_error(error: HTTPException) -> Page:
    return page(error.code or 500, error.name, error.description or "")


def unexpected(error: Exception) -> Page:
    log.exception("unhandled console error")
    return page(500, "Something went wrong",
                "The console hit an unexpected error; the sandbox's log has the details.")


def routing_error(error: HTTPException) -> Page | Response:
    if request.blueprint == BLUEPRINT_NAME:
        return http_error(error)
    if is_console_path(request.path) and access.wants_html():
        if isinstance(error, MethodNotAllowed):
            return page(405, "Not allowed here",
                        f"{request.path} does not take a {request.method} request.")
        return page(404, "Page not found",
                    f"The console has no page at {request.path}.")
    return http_error_response(error)


def register_error_pages(console: Blueprint) -> None:
    console.register_error_handler(ScimError, scim_error)
    console.register_error_handler(HTTPException, http_error)
    console.register_error_handler(Exception, unexpected)
    # Flask looks for a handler of the exact status before one of its class, in the
    # blueprint and then app-wide: these also see 404s and 405s raised by console routes.
    console.app_errorhandler(NotFound)(routing_error)
    console.app_errorhandler(MethodNotAllowed)(routing_error)
