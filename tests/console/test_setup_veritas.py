"""Veritas Enterprise Vault.cloud: no self-service; a support request whose reply carries the
credentials."""

from __future__ import annotations

import re

from test_setup_index import assert_credentials_work

ENTRA_TENANT = "8a3b2c1d-0000-4000-8000-123456789abc"


def _request(page, **fields):
    values = {"Your name": "Ann Admin", "Work email": "ann@contoso.com", "Company": "Contoso",
              "Microsoft Entra tenant ID": ENTRA_TENANT, **fields}
    page.goto("/console/setup/veritas")
    for label, value in values.items():
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name="Send request to support").click()


def test_a_support_request_is_answered_with_working_credentials(page, console_server,
                                                                screenshot):
    """Veritas tutorial, step 2: the admin asks Veritas support to set up provisioning with
    Microsoft Entra ID; there is no self-service screen."""
    _request(page)
    page.wait_for_url(re.compile(r".*/console/setup/veritas/veritas-[0-9a-f]+$"))
    reply = page.get_by_role("article", name="Support reply")
    assert re.search(r"Re: Request SCIM provisioning \[VX-\d{6}\]", reply.inner_text())
    assert "Hello Ann Admin," in reply.inner_text()
    assert "for Contoso" in reply.inner_text()
    assert "To: ann@contoso.com" in reply.inner_text()
    tenant_url, _ = assert_credentials_work(page, console_server.url)
    assert re.fullmatch(re.escape(console_server.url) + r"/veritas/veritas-[0-9a-f]+/scim/v2",
                        tenant_url)
    screenshot(page, "setup-veritas-credentials")


def test_an_incomplete_request_says_what_is_missing_and_keeps_the_rest(page, console_app):
    sandbox = console_app.extensions["scim_sandbox"]
    before = len(sandbox.tenants())
    _request(page, **{"Work email": "ann-at-contoso", "Microsoft Entra tenant ID": "contoso"})
    alert = page.get_by_role("alert").inner_text()
    assert "Work email must be an email address." in alert
    assert "Microsoft Entra tenant ID is a GUID" in alert
    assert page.get_by_label("Your name").input_value() == "Ann Admin"
    assert page.get_by_label("Work email").input_value() == "ann-at-contoso"
    assert len(sandbox.tenants()) == before
