"""Which Admin Credentials the fields given imply, what is missing, and that no secret shows
in a repr."""

from __future__ import annotations

import pytest

from sandbox.entra.credentials import AdminCredentials


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
