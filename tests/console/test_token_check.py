"""One token check for every secret: SHA-256 digests compared in constant time
(`sandbox.service.tokens`), used by the console's sign-in and the admin API."""

from __future__ import annotations

import hashlib

import pytest

from sandbox.app import create_app
from sandbox.service.tokens import digest_matches, token_digest

UNICODE_TOKEN = "clé-dadministration-ünïcode-0123"


def test_token_digest_is_the_sha256_of_the_utf8_bytes():
    assert token_digest("abc") == hashlib.sha256(b"abc").digest()
    assert token_digest(UNICODE_TOKEN) == hashlib.sha256(UNICODE_TOKEN.encode("utf-8")).digest()
    assert len(token_digest("")) == 32


@pytest.mark.parametrize(("given", "expected"), [
    ("s3cret", True),
    ("s3cret ", False),
    ("S3cret", False),
    ("s3cre", False),
    ("", False),
])
def test_digest_matches_only_the_token_itself(given, expected):
    assert digest_matches(given, token_digest("s3cret")) is expected


def test_an_empty_token_never_matches_even_the_digest_of_an_empty_token():
    assert digest_matches("", token_digest("")) is False


def test_the_console_check_takes_a_digest_not_the_token():
    # The console's sign-in calls digest_matches with the admin token's kept digest.
    assert digest_matches(UNICODE_TOKEN, token_digest(UNICODE_TOKEN)) is True
    assert digest_matches("other", token_digest(UNICODE_TOKEN)) is False
    assert digest_matches("", token_digest("")) is False


def test_console_sign_in_and_admin_api_accept_the_same_token_and_refuse_others():
    client = create_app({"admin_token": UNICODE_TOKEN}).test_client()
    refused = client.post("/console/login", data={"admin_token": "wrong"})
    assert refused.status_code == 401
    assert client.post("/console/login", data={"admin_token": ""}).status_code == 401
    signed = client.post("/console/login", data={"admin_token": UNICODE_TOKEN})
    assert signed.status_code == 302
    assert client.get("/console/data").status_code == 200

    api = create_app({"admin_token": UNICODE_TOKEN}).test_client()
    ok = api.get("/_sandbox/vendors", headers={"Authorization": f"Bearer {UNICODE_TOKEN}"})
    assert ok.status_code == 200
    for header in ("Bearer wrong", "Bearer ", "Basic abc"):
        answer = api.get("/_sandbox/vendors", headers={"Authorization": header})
        assert answer.status_code == 401
        assert answer.get_json()["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
