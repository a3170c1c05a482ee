"""Microsoft Entra ID's manager reference PATCH, against every profile.

Source: Microsoft's SCIM endpoint tutorial ("Develop and plan provisioning for a SCIM endpoint
in Microsoft Entra ID", learn.microsoft.com/entra/identity/app-provisioning/use-scim-to-
provision-users-and-groups), its request that updates a user's manager once both users exist.
Entra sends op `Add`, path `manager` without a schema URN, and the value as a list holding one
`{"$ref", "value"}` object; its mapping table puts the manager in the enterprise extension.
The body below is the page's wire format (the blank after `"schemas":` included), with the
manager's id put in, sent as raw bytes.

A profile that keeps the enterprise manager stores it there as sent. A profile without a
manager attribute answers as it answers any attribute it lacks: one that ignores unknown
attributes says 200 and stores nothing; a strict one refuses a value with 400 invalidPath,
since it cannot keep what the client asked it to set. A remove or a null for an attribute a
profile lacks is no error anywhere: such an attribute is always unassigned (RFC 7643 §2.5).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from documented_bodies import DOCUMENTED_MANAGER_ID, DOCUMENTED_MANAGER_PATCH
from scim_client import (
    ENTERPRISE,
    Tenant,
    assert_scim_error,
    make_app,
    new_tenant,
    valid_user,
)

from sandbox.vendors.catalog import Catalog


def _keeps_manager(vendor: str) -> bool:
    user = Catalog.load().get(vendor).resource_types.get("User")
    extension = user.schema.extension(ENTERPRISE) if user is not None else None
    return extension is not None and extension.attribute("manager") is not None


HAND_WRITTEN = sorted(Catalog.load().hand_written())
HAND_WRITTEN_WITH_MANAGER = [vendor for vendor in HAND_WRITTEN if _keeps_manager(vendor)]
HAND_WRITTEN_WITHOUT_MANAGER = [vendor for vendor in HAND_WRITTEN if not _keeps_manager(vendor)]
# Gallery apps whose attribute table maps the manager (and whose users need no more than a
# userName, so the test can make them).
GALLERY_WITH_MANAGER = ["15five", "asana"]

STRICT_WITHOUT_MANAGER = """
id = "strict-no-manager"
name = "Strict, no manager"
tenant_url = "/strict-no-manager/{tenant}/scim"
unknown_attributes = "reject"

[features]
patch = true

[resource_types.User]
endpoint = "/Users"
schema = "urn:ietf:params:scim:schemas:core:2.0:User"
"""


def _documented_body(manager_id: str) -> bytes:
    return DOCUMENTED_MANAGER_PATCH.replace(DOCUMENTED_MANAGER_ID, manager_id).encode()


def _reference(manager_id: str) -> dict[str, str]:
    """The manager as the documented body names it."""
    return {"$ref": f"http://.../scim/Users/{manager_id}", "value": manager_id}


def _pair(tenant: Tenant) -> tuple[str, str]:
    """A user and the colleague who becomes their manager: both exist first, as in Entra's
    cycle, which sends references after the users are created."""
    ids = []
    for name in ("ada@example.test", "grace@example.test"):
        response = tenant.post("/Users", valid_user(tenant.vendor, name))
        assert response.status_code == 201, response.get_json()
        ids.append(response.get_json()["id"])
    return ids[0], ids[1]


def _patch_text(tenant: Tenant, uid: str, body: bytes, **kwargs: Any) -> Any:
    return tenant.patch(f"/Users/{uid}", data=body, **kwargs)


def _manager(tenant: Tenant, uid: str) -> Any:
    return tenant.user(uid).get(ENTERPRISE, {}).get("manager")


def _set_manager(tenant: Tenant, uid: str, manager_id: str) -> None:
    response = _patch_text(tenant, uid, _documented_body(manager_id))
    assert response.status_code == 200, response.get_json()


def _op(op: str, path: str | None, value: Any = None) -> dict[str, Any]:
    operation: dict[str, Any] = {"op": op}
    if path is not None:
        operation["path"] = path
    if value is not None:
        operation["value"] = value
    return operation


def test_the_hand_written_profiles_that_keep_a_manager():
    """The profiles these tests run the documented body on: `generic` and Vault Platform
    (whose tutorial's attribute table ends with the enterprise manager)."""
    assert HAND_WRITTEN_WITH_MANAGER == ["generic", "vaultplatform"]
    assert all(_keeps_manager(vendor) for vendor in GALLERY_WITH_MANAGER)


@pytest.mark.parametrize("vendor", HAND_WRITTEN_WITH_MANAGER + GALLERY_WITH_MANAGER)
def test_the_documented_manager_patch_sets_the_enterprise_manager(client, vendor):
    """Microsoft's SCIM endpoint tutorial: the update-user request with path `manager` and a
    one-item list sets the user's manager; GET shows it under the enterprise extension's URN
    with `$ref` kept as sent, and no core `manager` appears."""
    tenant = new_tenant(client, vendor)
    uid, manager_id = _pair(tenant)
    response = _patch_text(tenant, uid, _documented_body(manager_id))
    assert response.status_code == 200, response.get_json()
    stored = tenant.user(uid)
    assert stored[ENTERPRISE]["manager"] == _reference(manager_id)
    assert ENTERPRISE in stored["schemas"]
    assert "manager" not in stored
    assert _manager(tenant, manager_id) is None  # only the report got a manager


def test_the_documented_body_with_the_legacy_json_content_type(client):
    """Older copies of Microsoft's SCIM endpoint tutorial send the same body as
    `application/json`; it sets the manager just the same."""
    tenant = new_tenant(client)
    uid, manager_id = _pair(tenant)
    response = _patch_text(tenant, uid, _documented_body(manager_id),
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 200, response.get_json()
    assert _manager(tenant, uid) == _reference(manager_id)


@pytest.mark.parametrize("op", ["Add", "add", "Replace", "replace", "REPLACE"])
@pytest.mark.parametrize("path", ["manager", "Manager", "MANAGER", f"{ENTERPRISE}:manager"])
def test_manager_is_set_by_add_or_replace_in_any_letter_case(client, op, path):
    """Microsoft's SCIM endpoint tutorial: Entra writes ops capitalised (Add, Replace) and
    attribute names are case-insensitive; every spelling sets the same enterprise manager."""
    tenant = new_tenant(client)
    uid, manager_id = _pair(tenant)
    response = tenant.patch_ops(f"/Users/{uid}", _op(op, path, [_reference(manager_id)]))
    assert response.status_code == 200, response.get_json()
    assert _manager(tenant, uid) == _reference(manager_id)


def test_replace_moves_the_user_to_another_manager(client):
    """Microsoft's SCIM endpoint tutorial sends the reference again when the manager changes:
    the new `value` and `$ref` replace the old ones."""
    tenant = new_tenant(client)
    uid, first = _pair(tenant)
    second = tenant.create_user("linus@example.test")["id"]
    _set_manager(tenant, uid, first)
    response = tenant.patch_ops(f"/Users/{uid}", _op("Replace", "manager", [_reference(second)]))
    assert response.status_code == 200, response.get_json()
    assert _manager(tenant, uid) == _reference(second)


def test_a_pathless_add_may_name_the_manager_without_its_urn(client):
    """Entra's pathless PATCH names attributes as its mappings do; Microsoft's SCIM endpoint
    tutorial maps the manager under the bare name `manager`."""
    tenant = new_tenant(client)
    uid, manager_id = _pair(tenant)
    response = tenant.patch_ops(
        f"/Users/{uid}", _op("Add", None, {"manager": [_reference(manager_id)]}))
    assert response.status_code == 200, response.get_json()
    assert _manager(tenant, uid) == _reference(manager_id)


@pytest.mark.parametrize("vendor", HAND_WRITTEN_WITH_MANAGER)
@pytest.mark.parametrize("removal", [
    _op("Remove", "manager"),
    _op("remove", "MANAGER"),
    {"op": "Replace", "path": "manager", "value": None},
])
def test_remove_clears_the_manager(client, vendor, removal):
    """A user whose manager Microsoft's SCIM endpoint tutorial's request set loses it on a
    remove (or a null, which RFC 7643 §2.5 reads as unassigned); the rest of the enterprise
    data stays."""
    tenant = new_tenant(client, vendor)
    uid, manager_id = _pair(tenant)
    before = tenant.user(uid).get(ENTERPRISE, {})
    _set_manager(tenant, uid, manager_id)
    response = tenant.patch_ops(f"/Users/{uid}", removal)
    assert response.status_code == 200, response.get_json()
    stored = tenant.user(uid)
    assert stored.get(ENTERPRISE, {}) == before
    assert (ENTERPRISE in stored["schemas"]) == bool(before)


@pytest.mark.parametrize("vendor", HAND_WRITTEN_WITH_MANAGER)
def test_a_list_of_two_managers_is_refused(client, vendor):
    """The manager is single-valued: Microsoft's SCIM endpoint tutorial sends a list of one;
    a list of two is a 400 invalidValue naming the attribute, and the stored manager stays."""
    tenant = new_tenant(client, vendor)
    uid, manager_id = _pair(tenant)
    _set_manager(tenant, uid, manager_id)
    before = tenant.user(uid)
    response = tenant.patch_ops(
        f"/Users/{uid}", _op("Add", "manager", [_reference(uid), _reference(manager_id)]))
    error = assert_scim_error(response, 400, "invalidValue")
    assert "manager" in error["detail"]
    assert "2 values" in error["detail"]
    assert tenant.user(uid) == before


@pytest.mark.parametrize("value", [
    [{"value": 42}],
    [{"$ref": 7, "value": "mgr"}],
    [{"value": {"id": "mgr"}}],
    [["mgr"]],
    [],
    True,
])
def test_a_malformed_manager_is_refused_and_nothing_is_stored(client, value):
    """Only the documented shape, `value` and `$ref` strings, is a manager; anything else is
    a 400 invalidValue (never a 500) that names the manager and leaves the user as it was."""
    tenant = new_tenant(client)
    uid, manager_id = _pair(tenant)
    _set_manager(tenant, uid, manager_id)
    before = tenant.user(uid)
    response = tenant.patch_ops(f"/Users/{uid}", _op("Add", "manager", value))
    error = assert_scim_error(response, 400, "invalidValue")
    assert "manager" in error["detail"]
    assert tenant.user(uid) == before


def test_a_manager_id_is_stored_as_sent_without_a_lookup(client):
    """The sandbox does not check that a reference names a stored user, on PATCH as on POST:
    Microsoft's SCIM endpoint tutorial's body with an id no user has is stored as sent."""
    tenant = new_tenant(client)
    uid, _ = _pair(tenant)
    response = _patch_text(tenant, uid, _documented_body(DOCUMENTED_MANAGER_ID))
    assert response.status_code == 200, response.get_json()
    assert _manager(tenant, uid) == _reference(DOCUMENTED_MANAGER_ID)


@pytest.mark.parametrize("vendor", HAND_WRITTEN_WITHOUT_MANAGER)
def test_a_profile_without_a_manager_accepts_the_body_and_stores_nothing(client, vendor):
    """Vendors whose tutorial has no manager ignore attributes they do not keep: Microsoft's
    SCIM endpoint tutorial's manager request is a 200 and the user is unchanged."""
    tenant = new_tenant(client, vendor)
    uid, manager_id = _pair(tenant)
    before = tenant.user(uid)
    response = _patch_text(tenant, uid, _documented_body(manager_id))
    assert response.status_code == 200, response.get_json()
    after = tenant.user(uid)
    assert after == before
    assert "manager" not in json.dumps(after)


@pytest.fixture
def strict_tenant(tmp_path: Path) -> Tenant:
    """A tenant of a profile that refuses unknown attributes and has no manager."""
    (tmp_path / "strict.toml").write_text(STRICT_WITHOUT_MANAGER)
    client = make_app(vendors_dirs=[tmp_path]).test_client()
    return new_tenant(client, "strict-no-manager")


def test_a_strict_profile_without_a_manager_refuses_a_manager_value(strict_tenant):
    """A strict profile that keeps no manager cannot do what Microsoft's SCIM endpoint
    tutorial's request asks: a 400 invalidPath naming `manager`, and nothing is stored."""
    uid, manager_id = _pair(strict_tenant)
    before = strict_tenant.user(uid)
    response = _patch_text(strict_tenant, uid, _documented_body(manager_id))
    error = assert_scim_error(response, 400, "invalidPath")
    assert "'manager'" in error["detail"]
    assert strict_tenant.user(uid) == before


@pytest.mark.parametrize("operation", [
    _op("Remove", "manager"),
    {"op": "Replace", "path": "manager", "value": None},
    {"op": "Add", "value": {"manager": None}},
    _op("remove", "shoeSize"),
])
def test_unassigning_an_attribute_a_profile_lacks_is_no_error(strict_tenant, operation):
    """An attribute the profile does not have is always unassigned (RFC 7643 §2.5), so a
    remove or a null for it, as Entra sends for attributes it stops mapping, changes nothing
    and is a 200 even on a strict profile."""
    uid, _ = _pair(strict_tenant)
    before = strict_tenant.user(uid)
    response = strict_tenant.patch_ops(f"/Users/{uid}", operation)
    assert response.status_code == 200, response.get_json()
    assert strict_tenant.user(uid) == before


def test_generic_still_refuses_a_value_for_an_attribute_it_lacks(client):
    """`generic` stays strict on anything but unassigning: a value for an unknown attribute
    is a 400 invalidPath."""
    tenant = new_tenant(client)
    uid, _ = _pair(tenant)
    response = tenant.patch_ops(f"/Users/{uid}", _op("Add", "shoeSize", "42"))
    assert_scim_error(response, 400, "invalidPath")
    assert tenant.patch_ops(f"/Users/{uid}", _op("Remove", "shoeSize")).status_code == 200
