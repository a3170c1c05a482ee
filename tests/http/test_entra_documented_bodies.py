"""Microsoft Entra ID's documented request bodies are accepted by every profile.

Source: Microsoft's tutorial "Develop and plan provisioning for a SCIM endpoint in Microsoft
Entra ID" (learn.microsoft.com/entra/identity/app-provisioning/use-scim-to-provision-users-and-
groups), its "Create User" and "Create Group" requests. The JSON below is the wire format the
page prints, sent byte for byte. RFC 7643 §2.5 makes a null "unassigned", so a body carrying
nulls for attributes the app does not map is valid for every profile, `generic` included.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from scim_client import new_tenant, valid_user

from sandbox.vendors.catalog import Catalog

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
ADSCIM_GROUP = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"

DOCUMENTED_CREATE_USER = """{
    "schemas": [
        "urn:ietf:params:scim:schemas:core:2.0:User",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
    "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
    "userName": "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee",
    "active": true,
    "emails": [{
        "primary": true,
        "type": "work",
        "value": "Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com"
    }],
    "meta": {
        "resourceType": "User"
    },
    "name": {
        "formatted": "givenName familyName",
        "familyName": "familyName",
        "givenName": "givenName"
    },
    "roles": []
}"""

DOCUMENTED_CREATE_GROUP = """{
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group", "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
    "externalId": "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
    "displayName": "displayName",
    "meta": {
        "resourceType": "Group"
    }
}"""

# The same user with the nulls Entra's body carries for attributes no mapping fills: some the
# schema has (title, department), some no profile has (a made-up custom attribute).
USER_WITH_NULLS = DOCUMENTED_CREATE_USER.replace(
    '"roles": []',
    '"roles": [],\n    "title": null,\n    "displayName": null,\n    "costCenterCode": null,\n'
    '    "name2": null,\n'
    '    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": '
    '{"department": null, "employeeNumber": null, "division": null}')

HAND_WRITTEN = sorted(Catalog.load().hand_written())


def _has(vendor: str, resource_type: str) -> bool:
    return resource_type in Catalog.load().hand_written()[vendor].resource_types


def _vendors_with(resource_type: str) -> list[str]:
    return [vendor for vendor in HAND_WRITTEN if _has(vendor, resource_type)]


def _post_text(tenant, path: str, text: str):
    return tenant.post(path, data=text)


def _user_text(vendor: str, text: str) -> str:
    """The documented body as sent to `vendor`: byte for byte, unless the vendor's doc
    requires attributes Entra's sample does not map; those are then filled in (a null there
    would be a missing required attribute, a 400 the vendor's doc asks for)."""
    required = valid_user(vendor, "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee")
    extra = {key: value for key, value in required.items() if key not in ("schemas", "userName")}
    if not extra:
        return text
    body = json.loads(text)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(body.get(key), dict):
            body[key] = {**body[key], **value}
        elif body.get(key) is None:
            body[key] = value
    body["schemas"] = sorted(set(body["schemas"]) | set(required["schemas"]))
    return json.dumps(body)


def _no_nulls(value: Any) -> bool:
    if isinstance(value, dict):
        return all(v is not None and _no_nulls(v) for v in value.values())
    if isinstance(value, list):
        return all(v is not None and _no_nulls(v) for v in value)
    return True


@pytest.mark.parametrize("vendor", _vendors_with("Group"))
def test_the_documented_group_create_body_is_accepted(client, vendor):
    """The tutorial's Create Group request carries the ADSCIM Group URN beside the core Group
    URN; every profile with groups answers 201 and keeps externalId and displayName."""
    tenant = new_tenant(client, vendor)
    response = _post_text(tenant, "/Groups", DOCUMENTED_CREATE_GROUP)
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    stored = tenant.get(f"/Groups/{created['id']}").get_json()
    assert stored["externalId"] == "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159"
    assert stored["displayName"] == "displayName"
    # The ADSCIM URN names no schema this server serves, so the group does not claim it.
    assert ADSCIM_GROUP not in stored["schemas"]
    assert "urn:ietf:params:scim:schemas:core:2.0:Group" in stored["schemas"]


@pytest.mark.parametrize("vendor", HAND_WRITTEN)
def test_the_documented_user_create_body_is_accepted(client, vendor):
    """The tutorial's Create User request, byte for byte, is a 201 for every profile."""
    tenant = new_tenant(client, vendor)
    response = _post_text(tenant, "/Users", _user_text(vendor, DOCUMENTED_CREATE_USER))
    assert response.status_code == 201, response.get_json()
    stored = tenant.get(f"/Users/{response.get_json()['id']}").get_json()
    assert stored["userName"] == "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee"
    assert stored["active"] is True


@pytest.mark.parametrize("vendor", HAND_WRITTEN)
def test_nulls_for_unmapped_attributes_are_unassigned(client, vendor):
    """Entra sends null for attributes no mapping fills (RFC 7643 §2.5: null is unassigned);
    the user is created and the stored resource carries no null and none of those names."""
    tenant = new_tenant(client, vendor)
    response = _post_text(tenant, "/Users", _user_text(vendor, USER_WITH_NULLS))
    assert response.status_code == 201, response.get_json()
    stored = tenant.get(f"/Users/{response.get_json()['id']}").get_json()
    assert _no_nulls(stored), stored
    sent = json.loads(_user_text(vendor, USER_WITH_NULLS))
    for name in ("title", "displayName", "costCenterCode", "name2"):
        assert (name in stored) == (sent[name] is not None)
    enterprise = stored.get("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", {})
    assert "division" not in enterprise
    assert ("department" in enterprise) == (sent[ENTERPRISE]["department"] is not None)


def test_a_null_on_replace_unassigns_the_attribute(tenant):
    """A PUT that sends null for a set attribute leaves it unassigned, and nothing stores
    the null."""
    created = tenant.create_user("ada@example.test", title="Engineer")
    body = {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": "ada@example.test", "title": None, "nickName": None}
    response = tenant.put(f"/Users/{created['id']}", body)
    assert response.status_code == 200, response.get_json()
    stored = tenant.get(f"/Users/{created['id']}").get_json()
    assert "title" not in stored and _no_nulls(stored)


def test_generic_still_refuses_an_undocumented_schema_urn(tenant, scim_error):
    """Only URNs Entra's pages show are let through; any other unknown URN is still a 400."""
    body = json.loads(DOCUMENTED_CREATE_GROUP)
    body["schemas"] = ["urn:ietf:params:scim:schemas:core:2.0:Group",
                       "urn:example:not:a:schema:2.0:Group"]
    response = tenant.post("/Groups", body)
    scim_error(response, 400, "invalidValue")
    assert tenant.get("/Groups").get_json()["totalResults"] == 0


def test_generic_still_refuses_an_unknown_attribute_with_a_value(tenant, scim_error):
    """A null is unassigned, but a value for an attribute the schema lacks is still refused."""
    body = json.loads(USER_WITH_NULLS)
    body["costCenterCode"] = "CC-12"
    response = tenant.post("/Users", body)
    scim_error(response, 400, "invalidSyntax")
    assert tenant.get("/Users").get_json()["totalResults"] == 0
