"""The running sandbox serves the whole catalog: a gallery app's profile is built on its
first use (not at start), its tenants are reached below `/<id>` in its Tenant URL's shape,
and the admin API gives every `scim` record a tenant; records that are not served, and ids a
hand-written profile stands for, get errors saying so."""

from __future__ import annotations

import pytest

from sandbox import create_app
from sandbox.testing import ScimSandbox
from sandbox.testing.tenant import SandboxTenant
from sandbox.vendors.catalog import Catalog

ADMIN = {"Authorization": "Bearer admin-secret"}
ROOT = "http://localhost"


@pytest.fixture(scope="module")
def sandbox():
    with ScimSandbox.start({"admin_token": "admin-secret"}) as started:
        yield started


@pytest.fixture(scope="module")
def catalog(sandbox) -> Catalog:
    return sandbox.registry.profiles


def _gallery_ids(catalog: Catalog) -> list[str]:
    return [vendor_id for vendor_id in catalog if catalog.is_record(vendor_id)]


def _first_with(catalog: Catalog, test) -> str:
    return next(i for i in _gallery_ids(catalog) if test(catalog.tenant_url(i)))


def _below(tenant_url: str, vendor: str) -> bool:
    """Whether the URL is `/<vendor>` or below it, on the sandbox's host."""
    return tenant_url == f"{ROOT}/{vendor}" or tenant_url.startswith(f"{ROOT}/{vendor}/")


def _as_tenant(sandbox, body: dict) -> SandboxTenant:
    service = sandbox.registry.tenant(body["id"])
    return SandboxTenant(sandbox.registry, service, ROOT, sandbox.transport(False), live=False)


def test_create_app_builds_no_gallery_profile_and_a_request_builds_only_its_own(
        built_gallery_profiles):
    built = built_gallery_profiles
    app = create_app({"admin_token": "admin-secret"})
    assert built == []
    assert len(app.extensions["scim_sandbox"].tenants()) == 6  # the core profiles' demos
    client = app.test_client()
    created = client.post("/_sandbox/tenants", json={"vendor": "asana"}, headers=ADMIN)
    assert created.status_code == 201, created.json
    assert built == ["asana"]
    path = created.json["tenant_url"].removeprefix(ROOT)
    listed = client.get(path + "/Users",
                        headers={"Authorization": f"Bearer {created.json['token']}"})
    assert listed.status_code == 200 and listed.json["totalResults"] == 0
    assert built == ["asana"]


@pytest.mark.parametrize("shape", ["{tenant}", "{slug}", "token only"])
def test_each_tenant_url_shape_reaches_its_tenant_and_no_other(sandbox, catalog, shape):
    if shape == "token only":
        vendor = _first_with(catalog, lambda url: "{" not in url)
    else:
        vendor = _first_with(catalog, lambda url: shape in url)
    admin = sandbox.admin_client()
    first = admin.post("/tenants", json={"vendor": vendor})
    second = admin.post("/tenants", json={"vendor": vendor})
    assert first.status_code == second.status_code == 201, first.json()
    assert _below(first.json()["tenant_url"], vendor)
    one, other = _as_tenant(sandbox, first.json()), _as_tenant(sandbox, second.json())
    user = {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": "ann@contoso.com", "active": True}
    required = catalog[vendor].resource_types["User"].required
    assert one.client.get("/Users").status_code == 200
    if not set(required) - {"userName", "active"}:
        assert one.client.post("/Users", json=user).status_code == 201
        assert [u["userName"] for u in one.users()] == ["ann@contoso.com"]
    assert other.users() == []
    if shape != "token only":  # a URL naming one tenant does not open to the other's secret
        assert other.client.get(one.url + "/Users").status_code == 401


def test_a_path_that_does_not_fit_the_apps_tenant_url_is_a_404_naming_it(sandbox, catalog,
                                                                          ):
    client = sandbox.app.test_client()
    vendor = _first_with(catalog, lambda url: url.endswith("/{tenant}/scim/v2"))
    response = client.get(f"/{vendor}/nowhere", headers=ADMIN)
    assert response.status_code == 404
    assert response.json["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    assert catalog.tenant_url(vendor) in response.json["detail"]
    missing = client.get(f"/{vendor}/no-such-tenant/scim/v2/Users", headers=ADMIN)
    assert missing.status_code == 404
    assert "No " in missing.json["detail"] and "no-such-tenant" in missing.json["detail"]


def test_a_record_that_is_not_served_answers_404_and_400_with_its_reason(sandbox, catalog):
    refused = catalog.not_served()[0]
    client = sandbox.app.test_client()
    response = client.get(f"/{refused.id}/x/scim/v2/Users", headers=ADMIN)
    assert response.status_code == 404
    assert refused.reason in response.json["detail"]
    created = client.post("/_sandbox/tenants", json={"vendor": refused.id}, headers=ADMIN)
    assert created.status_code == 400
    assert created.json["scimType"] == "invalidValue"
    assert refused.reason in created.json["detail"]
    assert sandbox.registry.tenants() == [t for t in sandbox.registry.tenants()
                                          if t.profile.id != refused.id]


def test_an_app_a_hand_written_profile_covers_names_that_profile(sandbox, catalog):
    client = sandbox.app.test_client()
    for record_id, vendor in catalog.covered().items():
        created = client.post("/_sandbox/tenants", json={"vendor": record_id}, headers=ADMIN)
        if record_id == vendor:  # the profile kept the record's id
            assert created.status_code == 201
            continue
        assert created.status_code == 400
        assert f"served as vendor '{vendor}'" in created.json["detail"]


def test_an_unknown_vendor_names_close_ids_not_all_of_them(sandbox, catalog):
    client = sandbox.app.test_client()
    almost = _gallery_ids(catalog)[0][:-1] + "x"
    created = client.post("/_sandbox/tenants", json={"vendor": almost}, headers=ADMIN)
    assert created.status_code == 400
    detail = created.json["detail"]
    assert _gallery_ids(catalog)[0] in detail and "generic" in detail
    assert _gallery_ids(catalog)[-1] not in detail


def test_every_scim_record_can_be_given_a_tenant_that_answers(sandbox, catalog):
    admin = sandbox.admin_client()
    failures = {}
    for vendor in _gallery_ids(catalog):
        created = admin.post("/tenants", json={"vendor": vendor})
        if created.status_code != 201:
            failures[vendor] = created.json()
            continue
        body = created.json()
        assert _below(body["tenant_url"], vendor)
        tenant = _as_tenant(sandbox, body)
        answer = tenant.client.get("/Users")
        if answer.status_code != 200:
            failures[vendor] = answer.json()
        tenant.delete()
    assert failures == {}


def test_the_test_helpers_give_a_gallery_tenant_of_any_url_shape(sandbox, catalog):
    vendor = _first_with(catalog, lambda url: "{slug}" in url)
    tenant = sandbox.tenant(vendor, slug="acme-corp")
    assert tenant.url == f"{ROOT}{catalog.tenant_url(vendor).replace('{slug}', 'acme-corp')}"
    assert tenant.client.get("/Users").status_code == 200
    tenant.delete()


def test_a_data_file_keeps_a_gallery_tenant_across_a_restart(tmp_path):
    settings = {"admin_token": "admin-secret", "data_file": tmp_path / "d.json",
                "demo_tenants": False}
    app = create_app(settings)
    created = app.test_client().post("/_sandbox/tenants", json={"vendor": "asana"},
                                     headers=ADMIN).json
    app.extensions["scim_sandbox"].store.close()
    again = create_app(settings)
    try:
        kept = again.extensions["scim_sandbox"].tenant(created["id"])
        assert kept is not None and kept.profile.id == "asana"
        answer = again.test_client().get(
            created["tenant_url"].removeprefix(ROOT) + "/Users",
            headers={"Authorization": f"Bearer {created['token']}"})
        assert answer.status_code == 200
    finally:
        again.extensions["scim_sandbox"].store.close()
