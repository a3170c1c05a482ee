"""App-wide settings that keep Flask's and Werkzeug's own costs off every SCIM request and
off `create_app()`, found by profiling (bench/RESULTS.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from werkzeug.routing import Rule


def spare_per_request_costs(app: Flask) -> None:
    """App-wide settings that keep Flask's own costs off the SCIM endpoints' path.

    Call it right after making the app, before any rule is added, so that every rule
    compiles lazily.
    """
    if type(app.session_interface) is SecureCookieSessionInterface:
        app.session_interface = _CookielessSessions()
    # The lazy rule overrides a private Werkzeug method; where it is gone, rules stay stock.
    if app.url_rule_class is Rule and hasattr(Rule, "_compile_builder"):
        app.url_rule_class = _LazyBuildRule


class _LazyBuildRule(Rule):
    """A URL rule that writes its URL-building code on its first `url_for`, not when added.

    Werkzeug generates and compiles two Python functions per rule as it is added, most of
    `create_app()`'s time, for rules that a test's app mostly never builds a URL for."""

    def _compile_builder(self, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
        compiled: list[Callable[..., tuple[str, str]]] = []

        def build(rule: Rule, *args: Any, **kwargs: Any) -> tuple[str, str]:
            if not compiled:
                compiled.append(Rule._compile_builder(rule, append_unknown).__get__(rule, None))
            return compiled[0](*args, **kwargs)

        return build


class _CookielessSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions (the console's sign-in), minus their cost on requests
    that carry no cookie, as every SCIM client's do: Flask would build a signing serializer
    and parse the absent cookies on each of them only to hand out an empty session, which is
    what this returns at once."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if not request.environ.get("HTTP_COOKIE"):
            return self.session_class() if app.secret_key else None
        return super().open_session(app, request)
