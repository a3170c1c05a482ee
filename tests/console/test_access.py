"""The console is behind the admin token, like the admin API: it shows every tenant's secret."""

from __future__ import annotations

import re

import pytest
from console_support import ADMIN_TOKEN

from sandbox.app import create_app


def test_pages_send_visitors_to_sign_in_first(anonymous_page):
    anonymous_page.goto("/console/data")
    assert "/console/login" in anonymous_page.url
    heading = anonymous_page.get_by_role("heading", name="Sign in to the training console")
    assert heading.is_visible()


def test_a_wrong_admin_token_is_refused_with_a_message(anonymous_page):
    anonymous_page.goto("/console/login")
    anonymous_page.get_by_label("Admin token").fill("not-the-token")
    anonymous_page.get_by_role("button", name="Sign in").click()
    assert anonymous_page.get_by_role("alert").inner_text().startswith("That is not")
    assert "/console/login" in anonymous_page.url


def test_signing_in_returns_to_the_page_asked_for(anonymous_page):
    anonymous_page.goto("/console/data")
    anonymous_page.get_by_label("Admin token").fill(ADMIN_TOKEN)
    anonymous_page.get_by_role("button", name="Sign in").click()
    anonymous_page.wait_for_url(re.compile(r".*/console/data$"))
    assert anonymous_page.get_by_role("heading", name="Data browser").is_visible()


def test_signing_out_ends_the_session(page):
    page.get_by_role("button", name="Sign out").click()
    page.goto("/console/data")
    assert "/console/login" in page.url


def test_a_post_without_the_form_token_is_refused():
    client = create_app({"admin_token": ADMIN_TOKEN}).test_client()
    client.post("/console/login", data={"admin_token": ADMIN_TOKEN})
    assert client.post("/console/logout").status_code == 400
    assert client.get("/console/data").status_code == 200  # still signed in


def test_sign_in_never_redirects_off_the_site():
    client = create_app({"admin_token": ADMIN_TOKEN}).test_client()
    answer = client.post("/console/login?next=//evil.example/x",
                         data={"admin_token": ADMIN_TOKEN})
    assert answer.headers["Location"] == "/"


def test_scim_endpoints_still_answer_scim_errors_beside_the_console():
    client = create_app({"admin_token": ADMIN_TOKEN}).test_client()
    answer = client.get("/velpic/velpic-demo/scim/v2/Users")
    assert answer.status_code == 401
    assert answer.content_type == "application/scim+json"


@pytest.mark.parametrize("target", ["/%09/evil.example/x", "/%0a/x", "/%5Cevil.example",
                                    "/%0d%0aSet-Cookie:x=1", "//evil.example"])
def test_sign_in_refuses_targets_a_browser_would_read_as_another_site(target):
    """Browsers drop tabs and line breaks and read a backslash as a slash, so each of these
    would leave the site (or break the header): they all go home instead."""
    client = create_app({"admin_token": ADMIN_TOKEN}).test_client()
    answer = client.post(f"/console/login?next={target}", data={"admin_token": ADMIN_TOKEN})
    assert (answer.status_code, answer.headers["Location"]) == (302, "/")
