"""Each OAuth tenant's own authorization server, outside every tenant URL (the profile loader
keeps `/oauth/` free):

- `POST /oauth/<tenant_id>/token`: RFC 6749 token endpoint. Grants `client_credentials`
  (§4.4), `authorization_code` (§4.1.3) and `refresh_token` (§6); the client authenticates
  with HTTP Basic or with `client_id`/`client_secret` in the form (§2.3.1). Answers are
  RFC 6749 JSON: tokens (§5.1) or an error (§5.2).
- `GET|POST /oauth/<tenant_id>/authorize`: the code grant's consent page (§4.1.1): the admin
  approves or denies, and is sent back to the client's http(s) redirect URI with `code` and
  `state`, or `error=access_denied`. A request that is wrong before then (tenant, client id,
  redirect URI, response type, or a POST not from the page shown) gets a page saying why.

These are not SCIM requests: they are not journalled, and nothing here is logged, since every
request carries a secret, a code or a token.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, unquote_plus, urlencode, urlsplit, urlunsplit

from flask import Blueprint, Response, current_app, jsonify, redirect, request

from sandbox.http.auth import basic_credentials
from sandbox.http.oauth_page import consent_page, consent_token_matches, problem_page
from sandbox.service import TenantRegistry, TenantService
from sandbox.service.oauth_grants import is_redirect_uri
from sandbox.service.token_requests import OAuthRefusal, token_answer
from sandbox.vendors.profile_auth import OAUTH_AUTHORIZATION_CODE

oauth_api = Blueprint("sandbox_oauth", __name__, url_prefix="/oauth")

_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}  # RFC 6749 §5.1


def _registry() -> TenantRegistry:
    return current_app.extensions["scim_sandbox"]


def _oauth_tenant(tenant_id: str) -> TenantService | None:
    tenant = _registry().tenant(tenant_id)
    return tenant if tenant is not None and tenant.profile.auth.is_oauth else None


@oauth_api.errorhandler(OAuthRefusal)
def _oauth_error(error: OAuthRefusal) -> Response:
    response = jsonify({"error": error.error, "error_description": error.description})
    response.status_code = error.status
    response.headers.update(_NO_STORE)
    if error.status == 401:  # RFC 6749 §5.2: invalid_client answers with a challenge
        response.headers["WWW-Authenticate"] = 'Basic realm="scim-sandbox"'
    return response


# The token endpoint -----------------------------------------------------------------------


@oauth_api.post("/<tenant_id>/token")
def token(tenant_id: str) -> Response:
    tenant = _oauth_tenant(tenant_id)
    if tenant is None:
        raise OAuthRefusal("invalid_request", f"No OAuth tenant '{tenant_id}' here; its "
                                              "token URL is in the admin API's tenant "
                                              "answer.", 404)
    if request.mimetype != "application/x-www-form-urlencoded":
        raise OAuthRefusal("invalid_request", "Send the parameters as application/"
                                              "x-www-form-urlencoded (RFC 6749 §3.2).")
    form = request.form
    client_id, client_secret = _client_credentials(form)
    answer = token_answer(_registry(), tenant, client_id, client_secret,
                          form.get("grant_type", ""), form)
    response = jsonify(answer)
    response.headers.update(_NO_STORE)
    return response


def _client_credentials(form: Any) -> tuple[str, str]:
    """The client's id and secret, from HTTP Basic or from the form, never both."""
    header = request.environ.get("HTTP_AUTHORIZATION", "")
    in_form = "client_id" in form or "client_secret" in form
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() == "basic":
        if in_form:
            raise OAuthRefusal("invalid_request", "Authenticate the client one way: HTTP "
                                                  "Basic or the form, not both (RFC 6749 "
                                                  "§2.3).")
        credentials = basic_credentials(value)
        if credentials is None:
            raise OAuthRefusal("invalid_client", "The Basic credentials are not base64 of "
                                                 "client_id:client_secret.", 401)
        # RFC 6749 §2.3.1: both parts are form-urlencoded before the Basic encoding.
        return unquote_plus(credentials[0]), unquote_plus(credentials[1])
    if not form.get("client_id") or not form.get("client_secret"):
        raise OAuthRefusal("invalid_client", "Authenticate the client: HTTP Basic with "
                                             "client_id:client_secret, or both in the "
                                             "form.", 401)
    return form["client_id"], form["client_secret"]


# The authorize page -----------------------------------------------------------------------


@oauth_api.route("/<tenant_id>/authorize", methods=["GET", "POST"])
def authorize(tenant_id: str) -> Response:
    params = request.args if request.method == "GET" else request.form
    tenant = _oauth_tenant(tenant_id)
    if tenant is None or tenant.profile.auth.kind != OAUTH_AUTHORIZATION_CODE:
        return problem_page(f"No tenant '{tenant_id}' here is authorized by an admin "
                            "(OAuth authorization code grant).", 404)
    client_id, redirect_uri = params.get("client_id", ""), params.get("redirect_uri", "")
    if not client_id or not _registry().keys.name_matches(tenant, client_id):
        return problem_page(f"The client id is not the one of {tenant.profile.name} tenant "
                            f"'{tenant.id}'.", 400)
    if not is_redirect_uri(redirect_uri):
        return problem_page("The redirect_uri must be an absolute http or https URL.", 400)
    state = params.get("state", "")
    if params.get("response_type") != "code":
        # Not redirected: the client is not trusted yet, and a redirect here would send a
        # browser anywhere without consent (RFC 6749 §4.1.2.1).
        return problem_page("Only response_type=code is offered.", 400)
    if request.method == "GET":
        return consent_page(tenant.profile.name, tenant.id, client_id, redirect_uri, state,
                            request.path)
    if not consent_token_matches(tenant.id, client_id, redirect_uri, state):
        return problem_page("This answer did not come from the consent page shown here (or "
                            "the page is stale): open the authorize link again.", 400)
    if params.get("decision") != "approve":
        return _back(redirect_uri, {"error": "access_denied",
                                    "error_description": "The admin denied the request."}, state)
    return _back(redirect_uri, {"code": _registry().oauth.issue_code(tenant.id, redirect_uri)},
                 state)


def _back(redirect_uri: str, answer: dict[str, str], state: str) -> Response:
    """A redirect to the client with `answer` (and `state`) added to its query (§4.1.2)."""
    if state:
        answer = {**answer, "state": state}
    parts = urlsplit(redirect_uri)
    query = urlencode([*parse_qsl(parts.query, keep_blank_values=True), *answer.items()])
    response = redirect(urlunsplit(parts._replace(query=query)), 302)
    response.headers["Cache-Control"] = "no-store"
    return response
