"""The vendor setup index, and helpers the per-vendor setup tests share.

The helpers check a flow's credentials the way Microsoft Entra would use them: an HTTP request
to the Tenant URL with the Secret Token as a bearer token, against the live server.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from sandbox.vendors import bundled_vendors_dir, load_profiles

PROFILES = load_profiles(bundled_vendors_dir())


def scim_get(url: str, token: str) -> tuple[int, dict[str, Any]]:
    """GET a SCIM URL with a bearer token: (status, JSON body), errors included."""
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}",
                                                   "Accept": "application/scim+json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def entra_test_connection(tenant_url: str, token: str) -> tuple[int, dict[str, Any]]:
    """Entra's Test Connection: a userName filter for a user who does not exist."""
    query = urllib.parse.urlencode({"filter": 'userName eq "test-connection@contoso.com"'})
    return scim_get(f"{tenant_url}/Users?{query}", token)


def credentials_on(page: Any) -> tuple[str, str]:
    """The Tenant URL and Secret Token a final setup screen shows."""
    return (page.locator("#tenant-url").input_value(),
            page.locator("#secret-token").input_value())


def assert_credentials_work(page: Any, server_url: str) -> tuple[str, str]:
    """The final screen's credentials answer Entra's Test Connection with an empty
    ListResponse, and the simulator link carries the Tenant URL but never the token."""
    tenant_url, token = credentials_on(page)
    assert tenant_url.startswith(server_url + "/")
    status, body = entra_test_connection(tenant_url, token)
    assert status == 200, body
    assert body["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:ListResponse"]
    assert body["totalResults"] == 0
    link = page.get_by_role("link", name="Continue in the Entra simulator")
    href = link.get_attribute("href")
    assert href == "/console/simulator?" + urllib.parse.urlencode({"tenant_url": tenant_url})
    assert token not in urllib.parse.unquote(href)
    return tenant_url, token


def test_the_index_has_a_card_per_vendor_with_prerequisites(page, screenshot):
    page.goto("/console/setup")
    for profile in PROFILES.values():
        card = page.get_by_role("article", name=profile.name)
        assert card.get_by_role("link", name=f"Start {profile.name} setup").is_visible()
        for line in profile.setup.get("prerequisites", []):
            assert card.get_by_text(line).is_visible()
    screenshot(page, "setup-index")


def test_start_opens_that_vendors_flow(page):
    page.goto("/console/setup")
    page.get_by_role("link", name="Start Visitly setup").click()
    assert page.url.endswith("/console/setup/visitly")
    assert page.get_by_label("Visitly console (simulation)").is_visible()


def test_an_unknown_vendor_is_a_404_page(page):
    answer = page.goto("/console/setup/no-such-vendor")
    assert answer.status == 404
    assert "no vendor 'no-such-vendor'" in page.get_by_role("alert").inner_text()


def test_a_tenant_page_never_shows_another_vendors_tenant(page):
    """A final screen is for one tenant of its vendor: asking Velpic's screen for Visitly's
    demo tenant is a 404, not its token."""
    answer = page.goto("/console/setup/velpic/visitly-demo")
    assert answer.status == 404
    assert page.locator("#secret-token").count() == 0
