"""Every gallery app's Tenant URL is its own on the sandbox's one host: below `/<id>`, with the
real path's shape where the tutorial gives one (found by token for a fixed URL, as Visitly's;
by slug for a template, as Vault Platform's), as docs/profiles.md says."""

from __future__ import annotations

import pytest

from sandbox.vendors.gallery_profile import profile_from_record
from sandbox.vendors.gallery_urls import sandbox_tenant_url


@pytest.mark.parametrize(("kind", "value", "expected"), [
    ("fixed", "https://api.acme.test/v1/usersync/SCIM", "/acme-hr/v1/usersync/SCIM"),
    ("fixed", "https://scim.acme.test/scim/v2/", "/acme-hr/scim/v2"),
    ("fixed", "https://api.acme.test", "/acme-hr"),
    ("fixed", "api.acme.test/scim", "/acme-hr/{tenant}/scim/v2"),  # no URL: the default
    ("fixed", "https://acme.test/scim v2", "/acme-hr/{tenant}/scim/v2"),
    ("template", "https://app.acme.test/api/scim/${organization-slug}",
     "/acme-hr/api/scim/{slug}"),
    ("template", "https://api.acme.test/scim/v2/enterprises/{enterprise}",
     "/acme-hr/scim/v2/enterprises/{slug}"),
    ("template", "https://api.acme.test/scim/<Organization_name>", "/acme-hr/scim/{slug}"),
    ("template", "https://<YOUR-SUBDOMAIN>.acme.test/api/scim/v2",
     "/acme-hr/{slug}/api/scim/v2"),
    ("template", "https://*your-org*.acme.test/scim/v2", "/acme-hr/{slug}/scim/v2"),
    ("template", "https://ws-[corp].acme.test/feed", "/acme-hr/{slug}/feed"),
    ("template", "{{API Url}}/api/v2/scim/v2", "/acme-hr/{slug}/api/v2/scim/v2"),
    ("template", "<Your_Project>/scim/v2/", "/acme-hr/{slug}/scim/v2"),
    ("template", "https://subdomain.acme.test/api/scim/v3", "/acme-hr/{slug}/api/scim/v3"),
    ("template", "https://api.acme.test/scim/v1/Realms/User-Roster-Realm-ID/",
     "/acme-hr/scim/v1/Realms/{slug}"),
    ("template", "{URL}/scim/{partition}", "/acme-hr/scim/{slug}"),
    ("template", "https://acme.test/{a}/scim/{b}", "/acme-hr/{tenant}/scim/v2"),
    ("console", None, "/acme-hr/{tenant}/scim/v2"),
    ("support", None, "/acme-hr/{tenant}/scim/v2"),
    ("none", None, "/acme-hr/{tenant}/scim/v2"),
    ("oauth_preset", None, "/acme-hr/{tenant}/scim/v2"),
])
def test_the_sandbox_url_of_each_kind(make_record, kind, value, expected):
    record = make_record(tenant_url={"kind": kind, "value": value, "label": None})
    assert sandbox_tenant_url(record) == expected
    profile = profile_from_record(record)
    assert profile.tenant_url == expected
    # A fixed URL names no tenant: the token alone finds it.
    found_by = "slug" if "{slug}" in expected else "tenant" if "{tenant}" in expected else None
    assert profile.tenant_placeholder == found_by


def test_a_regional_list_is_the_default_shape_and_its_urls_are_the_hint(make_record):
    record = make_record(tenant_url={"kind": "region_list", "value": None, "label": None,
                                     "values": ["https://eu.acme.test/scim/v2",
                                                "https://us.acme.test/scim/v2"]})
    profile = profile_from_record(record)
    assert profile.tenant_url == "/acme-hr/{tenant}/scim/v2"
    assert profile.setup["tenant_url_hint"] == (
        "https://eu.acme.test/scim/v2 or https://us.acme.test/scim/v2")
    assert "one of a list of regional URLs" in profile.doc["tenant_url"]
