"""Tenants: creation rules, lookup by id, slug or token, constant-time authentication."""

from __future__ import annotations

import pytest

from sandbox.scim.errors import ScimError
from sandbox.service import TenantRegistry
from sandbox.vendors import bundled_vendors_dir, load_profiles
from sandbox.vendors.loader import profile_from_dict

TOKEN_ONLY = {
    "id": "tokenonly", "name": "Token Only", "tenant_url": "/v1/usersync/SCIM",
    "resource_types": {"User": {"endpoint": "/Users",
                                "schema": "urn:ietf:params:scim:schemas:core:2.0:User"}},
}
SLUGGED = {**TOKEN_ONLY, "id": "slugged", "name": "Slugged", "tenant_url": "/api/scim/{slug}"}


@pytest.fixture
def sandbox() -> TenantRegistry:
    profiles = load_profiles(bundled_vendors_dir())
    profiles["tokenonly"] = profile_from_dict(TOKEN_ONLY)
    profiles["slugged"] = profile_from_dict(SLUGGED)
    return TenantRegistry(profiles)


def test_create_tenant_gives_id_token_and_path(sandbox):
    tenant = sandbox.create_tenant("generic")
    assert tenant.id.startswith("generic-")
    assert len(tenant.token) >= 24
    assert tenant.path == f"/generic/{tenant.id}/scim/v2"
    assert sandbox.tenant(tenant.id) is tenant


def test_unknown_vendor_lists_known_ones(sandbox):
    with pytest.raises(ScimError) as caught:
        sandbox.create_tenant("nope")
    assert caught.value.status == 400
    assert "generic" in caught.value.detail


@pytest.mark.parametrize("kwargs", [{"tenant_id": "bad id"}, {"slug": "a/b"}, {"token": "short"},
                                    {"token": "has space in it"}])
def test_invalid_tenant_settings_are_refused(sandbox, kwargs):
    with pytest.raises(ScimError) as caught:
        sandbox.create_tenant("slugged", **kwargs)
    assert caught.value.status == 400 and caught.value.scim_type == "invalidValue"


def test_duplicate_id_and_slug_are_conflicts(sandbox):
    sandbox.create_tenant("generic", tenant_id="t1")
    with pytest.raises(ScimError) as caught:
        sandbox.create_tenant("generic", tenant_id="t1")
    assert caught.value.status == 409
    sandbox.create_tenant("slugged", slug="acme")
    with pytest.raises(ScimError):
        sandbox.create_tenant("slugged", slug="ACME")


def test_authenticate_by_url_key_and_token(sandbox):
    tenant = sandbox.create_tenant("generic", token="secret-token-1")
    assert sandbox.authenticate("generic", tenant.id, "secret-token-1") is tenant
    assert sandbox.authenticate("generic", tenant.id, "secret-token-2") is None
    assert sandbox.authenticate("generic", "other", "secret-token-1") is None
    assert sandbox.authenticate("tokenonly", tenant.id, "secret-token-1") is None


def test_token_only_tenants_are_found_by_their_token(sandbox):
    first = sandbox.create_tenant("tokenonly", token="visitor-key-1")
    second = sandbox.create_tenant("tokenonly", token="visitor-key-2")
    assert sandbox.authenticate("tokenonly", None, "visitor-key-1") is first
    assert sandbox.authenticate("tokenonly", None, "visitor-key-2") is second
    assert sandbox.authenticate("tokenonly", None, "visitor-key-3") is None
    with pytest.raises(ScimError) as caught:
        sandbox.create_tenant("tokenonly", token="visitor-key-1")
    assert caught.value.status == 409


def test_slug_and_token_must_belong_to_the_same_tenant(sandbox):
    acme = sandbox.create_tenant("slugged", slug="acme", token="acme-token-1")
    sandbox.create_tenant("slugged", slug="globex", token="globex-token")
    assert acme.path == "/api/scim/acme"
    assert sandbox.authenticate("slugged", "ACME", "acme-token-1") is acme
    assert sandbox.authenticate("slugged", "acme", "globex-token") is None


def test_delete_and_reset(sandbox):
    tenant = sandbox.create_tenant("generic", token="secret-token-1")
    rt = tenant.resource_type("Users")
    tenant.create(rt, {"userName": "ann"})
    assert sandbox.reset_tenant(tenant.id) is True
    assert sandbox.store.count(tenant.id, "User") == 0
    assert sandbox.authenticate("generic", tenant.id, "secret-token-1") is tenant
    assert sandbox.delete_tenant(tenant.id) is True
    assert sandbox.authenticate("generic", tenant.id, "secret-token-1") is None
    assert sandbox.delete_tenant(tenant.id) is False
    assert sandbox.reset_tenant(tenant.id) is False


def test_tenants_come_back_from_the_store(sandbox):
    tenant = sandbox.create_tenant("slugged", slug="acme", token="acme-token-1")
    reopened = TenantRegistry(sandbox.profiles, sandbox.store)
    assert reopened.authenticate("slugged", "acme", "acme-token-1").id == tenant.id
