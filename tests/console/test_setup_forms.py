"""Bad input to any setup form is a page with a message, never a 500, and creates nothing."""

from __future__ import annotations

import random
import string

import pytest

ODD_VALUES = ["", " ", "x" * 100_000, "é\u0000\u202e", "<script>alert(1)</script>", "../../etc",
              "Ω" * 70]
FORMS = [
    ("/console/setup/velpic", ["prerequisite-0", "prerequisite-1"]),
    ("/console/setup/veritas", ["contact_name", "email", "company", "entra_tenant_id",
                                "domain", "notes"]),
    ("/console/setup/generic", ["tenant_id", "token"]),
    ("/console/setup/vaultplatform/menu/administration/authentication",
     ["login_method", "issuer", "sso_url", "certificate"]),
    ("/console/setup/vaultplatform/menu/administration/data-integration",
     ["provider", "secret_location", "secret", "slug", "active"]),
    ("/console/setup/olfeo/menu/configuration/annuaires", ["name", "provider"]),
]


# An empty generic form is valid (the sandbox makes the id and token up), so it is left out.
ODD_POSTS = [(url, fields, value) for url, fields in FORMS for value in ODD_VALUES
             if value.strip() or not url.endswith("/generic")]


@pytest.mark.parametrize(("url", "fields", "value"), ODD_POSTS)
def test_odd_input_re_renders_the_form_and_creates_nothing(signed_in, url, fields, value):
    sandbox, client, csrf = signed_in
    before = len(sandbox.tenants())
    answer = client.post(url, data={"csrf_token": csrf, **{name: value for name in fields}})
    assert answer.status_code in (400, 422), answer.status_code
    assert len(sandbox.tenants()) == before


@pytest.mark.parametrize(("url", "fields"), FORMS)
def test_bytes_that_are_not_utf8_are_a_form_message(signed_in, url, fields):
    sandbox, client, csrf = signed_in
    before = len(sandbox.tenants())
    body = "&".join([f"csrf_token={csrf}", *(f"{name}=%FF%FE%ED%A0%80" for name in fields)])
    answer = client.post(url, data=body, content_type="application/x-www-form-urlencoded")
    assert answer.status_code in (400, 422), answer.status_code
    assert len(sandbox.tenants()) == before


def test_a_post_to_a_menu_page_without_a_form_is_refused_as_a_page(signed_in):
    _, client, csrf = signed_in
    answer = client.post("/console/setup/visitly/menu/integrations", data={"csrf_token": csrf})
    assert answer.status_code == 405 and answer.content_type.startswith("text/html")


@pytest.mark.parametrize("url", ["/console/setup/velpic/menu/manage/billing",
                                 "/console/setup/generic/menu/anything",
                                 "/console/setup/olfeo/no-such-directory",
                                 "/console/setup/velpic/velpic-demo/general"])
def test_pages_that_do_not_exist_are_404_pages(signed_in, url):
    _, client, _ = signed_in
    answer = client.get(url)
    assert answer.status_code == 404 and answer.content_type.startswith("text/html")


def test_settings_of_an_unknown_or_foreign_tenant_are_refused(signed_in):
    sandbox, client, csrf = signed_in
    for url in ("/console/setup/vaultplatform/nope/settings",
                "/console/setup/vaultplatform/velpic-demo/settings"):
        assert client.post(url, data={"csrf_token": csrf}).status_code == 404
    assert sandbox.tenant("vaultplatform-demo").settings["active_scim_provider"] is True


def test_a_tenant_page_shows_only_its_own_token(signed_in):
    sandbox, client, _ = signed_in
    other = sandbox.create_tenant("velpic", token="other-tenant-token-1")
    page = client.get("/console/setup/velpic/velpic-demo").get_data(as_text=True)
    assert sandbox.tenant("velpic-demo").token in page
    assert other.token not in page


def test_many_long_support_requests_keep_the_session_cookie_small(signed_in):
    """The session is a cookie; a browser drops one over 4 KB, which would sign the admin
    out. Twenty-five requests with long answers leave it small and the admin signed in."""
    rng = random.Random(7)  # letters that do not compress, as real names and companies

    def text(length: int) -> str:
        return "".join(rng.choice(string.ascii_letters) for _ in range(length))

    _, client, csrf = signed_in
    for number in range(25):
        answer = client.post("/console/setup/veritas", data={
            "csrf_token": csrf, "contact_name": "Ann " + text(400),
            "email": f"ann{number}@contoso.com", "company": "Contoso " + text(400),
            "entra_tenant_id": "8a3b2c1d-0000-4000-8000-123456789abc"})
        assert answer.status_code == 302, answer.get_data(as_text=True)[:500]
    cookie = client.get_cookie("session")
    assert cookie is not None and len(cookie.value) < 4000
    assert client.get("/console/data").status_code == 200  # still signed in
