"""Who may use the console: whoever signs in with the sandbox's admin token.

The console shows every tenant's Secret Token, so it is guarded like the admin API. A signed
session cookie remembers the sign-in, and every form post carries a per-session token, so a
page on another site cannot make a signed-in browser create or delete tenants.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from urllib.parse import urlsplit

from flask import Blueprint, Response, abort, redirect, request, session, url_for

SIGNED_IN = "console_signed_in"
CSRF = "console_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
# Pages anyone may open: the sign-in form, the stylesheet and script it uses, the icon.
_OPEN_ENDPOINTS = {"console.login", "console.static", "console.favicon"}


def sign_in() -> None:
    session.clear()
    session[SIGNED_IN] = True
    session[CSRF] = secrets.token_urlsafe(24)


def sign_out() -> None:
    session.clear()


def signed_in() -> bool:
    return bool(session.get(SIGNED_IN))


def csrf_token() -> str:
    """The token every form posts back (templates: `{{ csrf_field() }}`)."""
    return session.get(CSRF, "")


def _csrf_ok() -> bool:
    expected = session.get(CSRF)
    given = request.form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER) or ""
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


def guard(blueprint: Blueprint) -> None:
    """Every page of `blueprint` but the open ones asks for the sign-in first."""
    blueprint.before_request(require_sign_in)


def require_sign_in() -> Response | None:
    """Send visitors who have not signed in to the sign-in page; refuse forged posts."""
    if request.endpoint in _OPEN_ENDPOINTS:
        return None
    if not signed_in():
        if request.method == "GET" and not wants_json():
            return redirect(url_for("console.login", next=request.full_path.rstrip("?")))
        abort(401)
    if request.method not in ("GET", "HEAD", "OPTIONS") and not _csrf_ok():
        abort(400, "This form has expired; reload the page and try again.")
    return None


def wants_json() -> bool:
    """Whether the caller (the console's own scripts) asked for JSON rather than a page."""
    return request.accept_mimetypes.best == "application/json"


def wants_html() -> bool:
    """Whether the caller is a browser opening a page: it names HTML and ranks it above JSON
    (`*/*` alone, as curl sends, or no Accept at all is not a browser)."""
    return request.accept_mimetypes.best_match(("application/json", "text/html")) == "text/html"


def safe_next(target: str | None, default: Callable[[], str]) -> str:
    """Only a path on this site is a place to go after signing in (no open redirect).

    Browsers drop tabs and line breaks from URLs and read a backslash as a slash, so
    `/<TAB>/evil.example` or `/\\evil.example` would leave the site: such targets are refused."""
    if (not target or not target.startswith("/") or target.startswith("//")
            or "\\" in target or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target)):
        return default()
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default()
    return target
