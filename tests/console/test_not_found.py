"""Console addresses that do not exist: browsers get the console's 404 page, everyone else
the answers they had (SCIM errors, or the console scripts' JSON); and the console's icon."""

from __future__ import annotations

import pytest

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
SCIM_ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
MISSING = [
    "/console/nope",
    "/console",
    "/console/data/no-such-tenant",
    "/console/data/tenants/no-such-tenant",
    "/console/data/tenants/velpic-demo/users/no-such-user",
    "/console/setup/no-such-vendor",
    "/console/setup/velpic/no-such-tenant",
    "/console/setup/velpic/a/b/c/d",
    "/console/simulator/no-such-page",
]


@pytest.mark.parametrize("path", MISSING)
def test_a_browser_gets_the_console_404_page(signed_in, path):
    _, client, _ = signed_in
    answer = client.get(path, headers={"Accept": BROWSER_ACCEPT})
    assert answer.status_code == 404
    assert answer.content_type.startswith("text/html")
    page = answer.get_data(as_text=True)
    assert "Error 404" in page
    assert 'href="/">Back to the console</a>' in page
    assert 'href="/console/simulator"' in page  # the console's own navigation
    assert "Sign out" in page  # the signed-in chrome, even where no route matched
    assert SCIM_ERROR not in page


def test_the_404_page_names_the_missing_address(signed_in):
    _, client, _ = signed_in
    page = client.get("/console/nope", headers={"Accept": BROWSER_ACCEPT}).get_data(as_text=True)
    assert "Page not found" in page
    assert "The console has no page at /console/nope." in page


@pytest.mark.parametrize("accept", [None, "application/json", "*/*",
                                    "application/scim+json"])
@pytest.mark.parametrize("path", ["/console/nope", "/console/data/no-such-tenant",
                                  "/console/simulator/no-such-page"])
def test_api_clients_keep_the_scim_404(signed_in, path, accept):
    _, client, _ = signed_in
    answer = client.get(path, headers={"Accept": accept} if accept else {})
    assert answer.status_code == 404
    assert answer.content_type == "application/scim+json"
    assert answer.get_json()["schemas"] == [SCIM_ERROR]


def test_the_console_scripts_keep_their_json_for_a_missing_tenant(signed_in):
    _, client, _ = signed_in
    answer = client.get("/console/data/tenants/no-such-tenant",
                        headers={"Accept": "application/json"})
    assert answer.status_code == 404
    assert answer.get_json() == {
        "status": 404, "detail": "There is no tenant 'no-such-tenant' in this sandbox (any more)."}


def test_scim_urls_answer_scim_errors_even_to_a_browser(signed_in):
    _, client, _ = signed_in
    for path in ("/velpic/no-such-tenant/scim/v2/Users", "/nope"):
        answer = client.get(path, headers={"Accept": BROWSER_ACCEPT})
        assert answer.status_code == 404
        assert answer.content_type == "application/scim+json"


def test_a_visitor_who_has_not_signed_in_gets_the_page_without_the_console_menu(console_app):
    answer = console_app.test_client().get("/console/nope", headers={"Accept": BROWSER_ACCEPT})
    assert answer.status_code == 404
    page = answer.get_data(as_text=True)
    assert "Page not found" in page and "Sign out" not in page


def test_a_wrong_method_on_a_console_page_is_a_page_too(signed_in):
    _, client, csrf = signed_in
    answer = client.post("/console/data", data={"csrf_token": csrf},
                         headers={"Accept": BROWSER_ACCEPT})
    assert answer.status_code == 405
    assert answer.content_type.startswith("text/html")
    assert "Back to the console" in answer.get_data(as_text=True)
    scim = client.post("/console/data", data={"csrf_token": csrf})
    assert scim.status_code == 405 and scim.content_type == "application/scim+json"


def test_the_favicon_is_served_to_anyone(console_app):
    answer = console_app.test_client().get("/favicon.ico")
    assert answer.status_code == 200
    assert answer.content_type == "image/x-icon"
    body = answer.get_data()
    assert body[:4] == b"\x00\x00\x01\x00" and len(body) < 10_000  # a small ICO
    svg = console_app.test_client().get("/console/static/favicon.svg")
    assert svg.status_code == 200 and b"<svg" in svg.get_data()


def test_every_page_links_the_icon(console_app):
    page = console_app.test_client().get("/console/login").get_data(as_text=True)
    assert '<link rel="icon" href="/favicon.ico"' in page
    assert 'href="/console/static/favicon.svg" type="image/svg+xml"' in page


def test_in_a_browser_the_404_page_looks_like_the_console_and_leads_back(page, screenshot):
    failed = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    answer = page.goto("/console/data/no-such-tenant")
    assert answer.status == 404
    assert page.get_by_role("heading", name="Page not found").is_visible()
    assert page.locator(".topbar").is_visible()  # the console's own header
    screenshot(page, "not-found")
    assert failed == [page.url]  # the page itself only: its styles and icon all load
    page.get_by_role("link", name="Back to the console").click()
    page.get_by_role("heading", name="Practise connecting an app to Microsoft Entra ID").wait_for()
