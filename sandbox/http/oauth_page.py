"""The vendor's consent page at a tenant's authorize endpoint, and the page that says why a
request cannot be authorized (RFC 6749 §4.1.2.1: a request that fails before its client and
redirect URI are trusted is told to the person, never sent back to the redirect URI).

The consent form carries a token: an HMAC, under a random key of this app, of a nonce kept in
a cookie set with the page, the tenant, client id, redirect URI and state. The POST must bring
both back, so a form posted from another site (which cannot read the page or set the cookie)
neither approves nor redirects (RFC 6749 §10.12).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import Response, current_app, render_template_string, request

_KEY = "scim_sandbox_consent_key"  # app.extensions key of the HMAC key
_COOKIE = "scim_sandbox_consent"
FORM_TOKEN = "consent_token"  # the form field

_STYLE = """
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 32rem; margin: 4rem auto;
         padding: 0 1rem; color: #1b1b1b; }
  .card { border: 1px solid #d0d0d0; border-radius: 8px; padding: 1.5rem 2rem; }
  h1 { font-size: 1.25rem; margin-top: 0; }
  .actions { display: flex; gap: 1rem; margin-top: 1.5rem; }
  button { font: inherit; padding: .5rem 1.25rem; border-radius: 4px; cursor: pointer;
           border: 1px solid #0f6cbd; background: #fff; color: #0f6cbd; }
  button.approve { background: #0f6cbd; color: #fff; }
  .small { color: #555; font-size: .875rem; }
"""

_CONSENT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ vendor }}: authorize</title>
<style>{{ style }}</style></head>
<body><main class="card">
  <h1>{{ vendor }} asks: allow Microsoft Entra ID to provision users?</h1>
  <p>Approving lets the application with client id <code>{{ client_id }}</code> create,
     update and deactivate users and groups in the {{ vendor }} tenant
     <code>{{ tenant_id }}</code>.</p>
  <p class="small">It will be sent back to <code>{{ redirect_uri }}</code>.</p>
  <form method="post" action="{{ action }}">
    <input type="hidden" name="client_id" value="{{ client_id }}">
    <input type="hidden" name="redirect_uri" value="{{ redirect_uri }}">
    <input type="hidden" name="state" value="{{ state }}">
    <input type="hidden" name="response_type" value="code">
    <input type="hidden" name="consent_token" value="{{ consent_token }}">
    <div class="actions">
      <button class="approve" type="submit" name="decision" value="approve">Approve</button>
      <button type="submit" name="decision" value="deny">Deny</button>
    </div>
  </form>
</main></body></html>"""

_PROBLEM = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Cannot authorize</title>
<style>{{ style }}</style></head>
<body><main class="card">
  <h1>This request cannot be authorized</h1>
  <p>{{ problem }}</p>
</main></body></html>"""

# The page must not be framed by another site (a click on Approve taken by stealth).
_HEADERS = {"X-Frame-Options": "DENY", "Content-Security-Policy": "frame-ancestors 'none'",
            "Cache-Control": "no-store"}


def consent_page(vendor: str, tenant_id: str, client_id: str, redirect_uri: str, state: str,
                 action: str) -> Response:
    """The page asking the admin to approve or deny, with a fresh consent token and its
    cookie (scoped to this authorize endpoint)."""
    nonce = secrets.token_urlsafe(24)
    html = render_template_string(
        _CONSENT, style=_STYLE, vendor=vendor, tenant_id=tenant_id, client_id=client_id,
        redirect_uri=redirect_uri, state=state, action=action,
        consent_token=_consent_token(nonce, tenant_id, client_id, redirect_uri, state))
    response = Response(html, 200, _HEADERS, content_type="text/html; charset=utf-8")
    response.set_cookie(_COOKIE, nonce, path=action, httponly=True, samesite="Lax",
                        secure=request.is_secure)
    return response


def consent_token_matches(tenant_id: str, client_id: str, redirect_uri: str,
                          state: str) -> bool:
    """Whether the POSTed form's consent token is the one this app gave the page for these
    parameters, with the cookie set beside it."""
    nonce = request.cookies.get(_COOKIE, "")
    sent = request.form.get(FORM_TOKEN, "")
    expected = _consent_token(nonce, tenant_id, client_id, redirect_uri, state)
    return bool(nonce and sent) and hmac.compare_digest(sent, expected)


def _consent_token(nonce: str, *parts: str) -> str:
    key = current_app.extensions.setdefault(_KEY, secrets.token_bytes(32))
    message = "\0".join((nonce, *parts)).encode("utf-8", "surrogatepass")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def problem_page(problem: str, status: int) -> Response:
    """A page telling the person why the request cannot be authorized (no redirect)."""
    html = render_template_string(_PROBLEM, style=_STYLE, problem=problem)
    return Response(html, status, _HEADERS, content_type="text/html; charset=utf-8")
