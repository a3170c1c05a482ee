"""The console blueprint: sign-in, the home page, and the three parts' routes.

The blueprint is made per app (it carries that app's sandbox and admin token in its
`ConsoleContext`); the views are module-level functions that read the context back.
"""

from __future__ import annotations

from pathlib import Path

from flask import (
    Blueprint,
    Response,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from markupsafe import Markup, escape

from sandbox.console import access, data_routes, display, setup_routes, simulator_routes
from sandbox.console.context import ConsoleContext, console_context, keep_on_app
from sandbox.console.error_pages import register_error_pages
from sandbox.console.routing import BLUEPRINT_NAME, Route, add_routes
from sandbox.console.setup_flows import doc_line, menu_slug
from sandbox.console.vendor_index import core_profiles
from sandbox.service import TenantRegistry
from sandbox.service.tokens import digest_matches, token_digest

FAVICON_MAX_AGE = 24 * 3600  # seconds; browsers ask for it on every page otherwise
STATIC_FOLDER = Path(__file__).parent / "static"
TEMPLATE_FILTERS = (("plural", display.plural), ("breakable", display.breakable),
                    ("short_id", display.short_id), ("doc_line", doc_line),
                    ("setup_slug", menu_slug), ("pretty_json", display.pretty_json))


def console_blueprint(sandbox: TenantRegistry, admin_token: str,
                      public_url: str | None = None) -> Blueprint:
    """The console's pages at `/` and `/console/...`, served by the same app as the SCIM
    endpoints; its stylesheet and script are local files under `/console/static/`."""
    console = Blueprint(BLUEPRINT_NAME, __name__, template_folder="templates",
                        static_folder=STATIC_FOLDER, static_url_path="/console/static")
    # The console keeps no copy of the admin token, only its digest.
    keep_on_app(console, ConsoleContext(sandbox, token_digest(admin_token), public_url))
    access.guard(console)
    for name, write in TEMPLATE_FILTERS:
        console.add_app_template_filter(write, name)
    console.add_app_template_global(csrf_field)
    console.context_processor(page_values)
    for routes in (ROUTES, setup_routes.ROUTES, simulator_routes.ROUTES, data_routes.ROUTES):
        add_routes(console, routes)
    register_error_pages(console)
    return console


def csrf_field() -> Markup:
    return Markup('<input type="hidden" name="{}" value="{}">').format(
        access.CSRF_FIELD, escape(access.csrf_token()))


def page_values() -> dict[str, object]:
    """What every console page template may use."""
    return {"profiles": console_context().sandbox.profiles, "signed_in": access.signed_in(),
            "csrf_token": access.csrf_token()}


def home() -> str:
    profiles = console_context().sandbox.profiles
    core = core_profiles(profiles)
    return render_template("console/home.html", core=core,
                           more=len(profiles) - len(core))


def favicon() -> Response:
    # Browsers ask for /favicon.ico whatever the page links, so it is served there too.
    return send_from_directory(STATIC_FOLDER, "favicon.ico",
                               mimetype="image/x-icon", max_age=FAVICON_MAX_AGE)


def login() -> tuple[str, int] | Response:
    error = None
    if request.method == "POST":
        if digest_matches(request.form.get("admin_token", ""),
                          console_context().admin_digest):
            access.sign_in()
            return redirect(access.safe_next(request.args.get("next"),
                                             lambda: url_for("console.home")))
        error = "That is not this sandbox's admin token. It is printed when the sandbox starts."
    return render_template("console/login.html", error=error), 200 if error is None else 401


def logout() -> Response:
    access.sign_out()
    return redirect(url_for("console.login"))


ROUTES = (
    Route("/", home),
    Route("/favicon.ico", favicon),
    Route("/console/login", login, ("GET", "POST")),
    Route("/console/logout", logout, ("POST",)),
)
