"""Which Admin Credentials the fields given imply, what is missing, and that no secret shows
in a repr."""

from __future__ import annotations

import json

import pytest

from sandbox.entra.authorization import exchange_code
from sandbox.entra.credentials import AccessTokens, AdminCredentials


@pytest.mark.parametrize(("fields", "kind", "missing"), [
    ({"password": "pw-123456"}, "basic", "username"),
    ({"username": "sync"}, "basic", "password"),
    ({"client_secret": "s3cret-123"}, "oauth", "a client id"),
    ({"client_id": "app", "client_secret": "s3cret-123"}, "oauth", "a token URL"),
    ({"token_url": "https://v.example.test/token"}, "oauth", "a client secret"),
])
def test_a_partial_credential_is_of_its_kind_and_says_what_is_missing(fields, kind, missing):
    credentials = AdminCredentials(**fields)
    assert credentials.kind == kind
    problem = credentials.problem()
    assert problem is not None and missing in problem


def test_basic_and_oauth_fields_together_are_refused():
    credentials = AdminCredentials(username="sync", password="pw-123456", client_id="app",
                                   client_secret="s3cret-123",
                                   token_url="https://v.example.test/token")
    assert "not both" in (credentials.problem() or "")


def test_complete_credentials_have_no_problem_and_empty_ones_are_bearer():
    assert AdminCredentials(username="sync", password="pw-123456").problem() is None
    assert AdminCredentials(client_id="app", client_secret="s3cret-123",
                            token_url="https://v.example.test/token").problem() is None
    assert AdminCredentials().kind == "bearer"


def test_no_secret_is_in_the_repr():
    credentials = AdminCredentials(username="sync", password="Pass-Word-1",
                                   client_id="app", client_secret="Client-Secret-1",
                                   token_url="https://v.example.test/token",
                                   refresh_token="Refresh-1", access_token="Access-1")
    shown = repr(credentials)
    assert "sync" in shown and "app" in shown
    for secret in ("Pass-Word-1", "Client-Secret-1", "Refresh-1", "Access-1"):
        assert secret not in shown


class _TokenURL:
    """A token URL answering every request with a new access token, counting them."""

    def __init__(self) -> None:
        self.forms: list[bytes] = []

    def __call__(self, method, url, headers, body):
        self.forms.append(body or b"")
        answer = {"access_token": f"access-{len(self.forms)}", "token_type": "Bearer",
                  "expires_in": 600, "refresh_token": "refresh-1"}
        return 200, {"Content-Type": "application/json"}, json.dumps(answer).encode()


def test_an_authorized_access_token_is_renewed_before_it_expires():
    now = [1000.0]
    token_url = _TokenURL()
    granted = exchange_code(token_url, "https://v.example.test/token", "app", "s3cret-123",
                            "code-1", "https://back.example.test/", clock=lambda: now[0])
    assert granted.expires_in == 600 and granted.expires_at == 1600
    credentials = AdminCredentials(client_id="app", client_secret="s3cret-123",
                                   token_url="https://v.example.test/token",
                                   refresh_token=granted.refresh_token,
                                   access_token=granted.access_token,
                                   access_token_expires_at=granted.expires_at)
    tokens = AccessTokens(token_url, credentials, clock=lambda: now[0])
    assert tokens.header() == "Bearer access-1" and len(token_url.forms) == 1
    now[0] = 1590.0  # inside the last seconds of its life: renewed through the refresh token
    assert tokens.header() == "Bearer access-2"
    assert b"grant_type=refresh_token" in token_url.forms[-1]
