"""The console blueprint: sign-in, the home page, and the three parts' routes."""

from __future__ import annotations

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

from sandbox.console import access, display
from sandbox.console.context import ConsoleContext
from sandbox.console.data_routes import register_data_routes
from sandbox.console.error_pages import register_error_pages
from sandbox.console.setup_routes import register_setup_routes
from sandbox.console.simulator_routes import register_simulator_routes
from sandbox.service import TenantRegistry
from sandbox.service.tokens import token_digest

FAVICON_MAX_AGE = 24 * 3600  # seconds; browsers ask for it on every page otherwise


def console_blueprint(sandbox: TenantRegistry, admin_token: str,
                      public_url: str | None = None) -> Blueprint:
    """The console's pages at `/` and `/console/...`, served by the same app as the SCIM
    endpoints; its stylesheet and script are local files under `/console/static/`."""
    console = Blueprint("console", __name__, template_folder="templates",
                        static_folder="static", static_url_path="/console/static")
    context = ConsoleContext(sandbox, public_url)
    admin_digest = token_digest(admin_token)  # the console keeps no copy of the token
    access.guard(console)
    for name, write in (("plural", display.plural), ("breakable", display.breakable),
                        ("short_id", display.short_id)):
        console.add_app_template_filter(write, name)

    @console.app_template_global()
    def csrf_field() -> Markup:
        return Markup('<input type="hidden" name="{}" value="{}">').format(
            access.CSRF_FIELD, escape(access.csrf_token()))

    @console.context_processor
    def common() -> dict[str, object]:
        return {"profiles": sandbox.profiles, "signed_in": access.signed_in(),
                "csrf_token": access.csrf_token()}

    @console.get("/")
    def home() -> str:
        return render_template("console/home.html")

    @console.get("/favicon.ico")
    def favicon() -> Response:
        # Browsers ask for /favicon.ico whatever the page links, so it is served there too.
        return send_from_directory(console.static_folder or "", "favicon.ico",
                                   mimetype="image/x-icon", max_age=FAVICON_MAX_AGE)

    @console.route("/console/login", methods=["GET", "POST"])
    def login() -> str | Response:
        error = None
        if request.method == "POST":
            if access.token_matches(request.form.get("admin_token", ""), admin_digest):
                access.sign_in()
                return redirect(access.safe_next(request.args.get("next"),
                                                 lambda: url_for("console.home")))
            error = "That is not this sandbox's admin token. It is printed when the sandbox starts."
        return render_template("console/login.html", error=error), 200 if error is None else 401

    @console.post("/console/logout")
    def logout() -> Response:
        access.sign_out()
        return redirect(url_for("console.login"))

    register_setup_routes(console, context)
    register_simulator_routes(console, context)
    register_data_routes(console, context)
    register_error_pages(console)
    return console
