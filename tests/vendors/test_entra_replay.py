"""Microsoft Entra's provisioning cycle replayed against each vendor, in Entra's request shapes.

The five tutorials in ../shared/vendor-docs/ describe the client the same way: it first runs
**Test Connection**, then finds each user through the attributes marked **Matching** before
updating it, and it creates, updates, disables and (de-)provisions users. DESIGN, Behaviour
that users count on: "Every vendor answers the requests that Microsoft Entra's provisioning
service sends, in the shapes it sends them, including its known deviations from the RFC
(capitalised PATCH ops such as "Replace", "active": "False" as a string, PATCH without a path
and with dotted keys, members[value eq "…"] removal, ... nulls for unmapped attributes ...)".
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
VERITAS = "urn:ietf:params:scim:schemas:extension:veritas:2.0:User"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
WORK_EMAIL = 'emails[type eq "work"].value'


def entra_user(vendor: str, user_name: str, mapping: str = "default") -> dict[str, Any]:
    """Entra's POST /Users body for the vendor: every attribute of its doc table (Velpic and
    Visitly have none: Entra's default mapping), and `null` for a mapped attribute whose
    source is empty. `mapping="core"` is the Velpic/Visitly mapping without the enterprise
    attributes (an admin who removed them)."""
    local = user_name.split("@")[0]
    email = [{"primary": True, "type": "work", "value": user_name}]
    if vendor in ("velpic", "visitly"):
        body: dict[str, Any] = {
            "schemas": [USER_SCHEMA, ENTERPRISE],
            "externalId": local,
            "userName": user_name,
            "active": True,
            "displayName": "Morgan Replay",
            "title": "Analyst",
            "emails": email,
            "preferredLanguage": "en-US",
            "meta": {"resourceType": "User"},
            "name": {"formatted": "Morgan Replay", "familyName": "Replay",
                     "givenName": "Morgan"},
            "addresses": [{"type": "work", "formatted": "1 Main St", "streetAddress": "1 Main St",
                           "locality": "Seattle", "region": "WA", "postalCode": "98101",
                           "country": "US", "primary": False}],
            "phoneNumbers": [{"type": "work", "value": "+1 206 555 0100"},
                             {"type": "mobile", "value": "+1 206 555 0199"}],
            ENTERPRISE: {"employeeNumber": "4711", "department": "Finance"},
            "nickName": None,
            "roles": [],
        }
        if mapping == "core":
            body["schemas"] = [USER_SCHEMA]
            del body[ENTERPRISE]
        return body
    if vendor == "vaultplatform":
        return {
            "schemas": [USER_SCHEMA, ENTERPRISE],
            "externalId": local,
            "userName": user_name,
            "active": True,
            "displayName": "Morgan Replay",
            "title": "Analyst",
            "emails": email,
            "meta": {"resourceType": "User"},
            "name": {"familyName": "Replay", "givenName": "Morgan"},
            "addresses": [{"type": "work", "locality": "London", "country": "GB"}],
            ENTERPRISE: {"employeeNumber": "4711", "department": "Finance",
                         "manager": {"value": str(uuid.uuid4())}},
            "nickName": None,
        }
    if vendor == "olfeo":
        return {
            "schemas": [USER_SCHEMA],
            "externalId": local,
            "userName": user_name,
            "active": True,
            "displayName": "Morgan Replay",
            "emails": email,
            "preferredLanguage": "fr-FR",
            "meta": {"resourceType": "User"},
            "name": {"formatted": "Morgan Replay", "familyName": "Replay",
                     "givenName": "Morgan"},
            "nickName": None,
        }
    assert vendor == "veritas"
    return {
        "schemas": [USER_SCHEMA, VERITAS],
        "userName": user_name,
        "emails": email,
        "active": True,
        "displayName": "Morgan Replay",
        "meta": {"resourceType": "User"},
        "name": {"familyName": "Replay", "givenName": "Morgan"},
        VERITAS: {"emailAliases": f"{local}.alias@example.test"},
        "title": None,
    }


# What each vendor keeps of Entra's body (its table; all of Entra's for the core User).
KEPT = {
    "velpic": ["externalId", "userName", "displayName", "title", "emails", "preferredLanguage",
               "name", "addresses", "phoneNumbers"],
    "visitly": ["externalId", "userName", "displayName", "title", "emails", "preferredLanguage",
                "name", "addresses", "phoneNumbers"],
    "vaultplatform": ["externalId", "userName", "displayName", "title", "emails", "name",
                      "addresses", ENTERPRISE],
    "olfeo": ["externalId", "userName", "displayName", "emails", "preferredLanguage", "name"],
    "veritas": ["userName", "emails", "displayName", "name", VERITAS],
}

REPLAY = [
    pytest.param("velpic", "default", id="velpic-default-mapping"),
    pytest.param("velpic", "core", id="velpic-core-mapping"),
    pytest.param("visitly", "default", id="visitly-default-mapping"),
    pytest.param("visitly", "core", id="visitly-core-mapping"),
    pytest.param("vaultplatform", "default", id="vaultplatform"),
    pytest.param("olfeo", "default", id="olfeo"),
    pytest.param("veritas", "default", id="veritas"),
]


def tenant_for(make_tenant, vendor: str):
    if vendor == "vaultplatform":
        return make_tenant(vendor, slug="contoso")
    return make_tenant(vendor)


def ops(*operations: dict[str, Any]) -> dict[str, Any]:
    return {"schemas": [PATCH_OP], "Operations": list(operations)}


def match(tenant, filter_text: str, path: str = "/Users", **params: Any) -> dict[str, Any]:
    """Entra's match query: GET with a filter; a 200 ListResponse is required."""
    response = tenant.get(path, query_string={"filter": filter_text, **params})
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["schemas"] == [LIST_RESPONSE], body
    return body


def patched(tenant, uid: str, *operations: dict[str, Any]) -> dict[str, Any]:
    response = tenant.patch(f"/Users/{uid}", ops(*operations))
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["id"] == uid
    return body


@pytest.mark.parametrize(("vendor", "mapping"), REPLAY)
def test_entra_user_provisioning_cycle(make_tenant, scim_error, vendor, mapping):
    """All five tutorials: a **Test Connection** first, then users matched by a Matching
    property (userName by default) are created, updated, disabled and de-provisioned; DESIGN:
    "Every vendor answers the requests that Microsoft Entra's provisioning service sends, in
    the shapes it sends them"."""
    tenant = tenant_for(make_tenant, vendor)

    # Test Connection: a query for a random userName that cannot exist.
    probe = match(tenant, f'userName eq "{uuid.uuid4()}"')
    assert probe["totalResults"] == 0 and probe.get("Resources", []) == []

    # Initial cycle: match by userName (not found), then create.
    user_name = f"morgan.{uuid.uuid4().hex[:8]}@contoso.test"
    assert match(tenant, f'userName eq "{user_name}"')["totalResults"] == 0
    body = entra_user(vendor, user_name, mapping)
    response = tenant.post("/Users", body)
    assert response.status_code == 201, response.get_data(as_text=True)
    created = response.get_json()
    uid = created["id"]
    for key in KEPT[vendor]:
        if key in body:
            assert key in created, key
    assert created["userName"] == user_name and created["active"] is True
    assert created["emails"][0]["value"] == user_name
    assert "nickName" not in created  # Entra's null for an empty source: nothing stored
    assert ("title" in created) == (vendor not in ("olfeo", "veritas"))  # kept where tabled
    assert "meta" in created and created["meta"]["resourceType"] == "User"
    if vendor in ("velpic", "visitly"):
        assert ENTERPRISE not in created  # the core User keeps no extension

    # Next cycle: match again, found.
    found = match(tenant, f'userName eq "{user_name}"')
    assert found["totalResults"] == 1 and found["Resources"][0]["id"] == uid

    # Updates, both PATCH dialects Entra speaks.
    assert patched(tenant, uid, {"op": "Replace", "path": "displayName",
                                 "value": "Morgan R. Replay"})["displayName"] == (
        "Morgan R. Replay")
    after = patched(tenant, uid, {"op": "Replace", "value": {"name.givenName": "Morgana",
                                                              "name.familyName": "Replayed"}})
    assert after["name"]["givenName"] == "Morgana"
    assert after["name"]["familyName"] == "Replayed"
    new_email = f"renamed.{user_name}"
    after = patched(tenant, uid, {"op": "Replace", "path": WORK_EMAIL, "value": new_email})
    assert [e["value"] for e in after["emails"] if e.get("type") == "work"] == [new_email]
    if vendor == "vaultplatform":
        after = patched(tenant, uid,
                        {"op": "Replace", "path": "title", "value": "Lead Analyst"},
                        {"op": "Replace", "path": f"{ENTERPRISE}:department",
                         "value": "Treasury"},
                        {"op": "Add", "path": f"{ENTERPRISE}:manager", "value": "mgr-42"})
        assert after["title"] == "Lead Analyst"
        assert after[ENTERPRISE]["department"] == "Treasury"
        assert after[ENTERPRISE]["manager"]["value"] == "mgr-42"
    if vendor == "veritas":
        after = patched(tenant, uid, {"op": "Add", "path": f"{VERITAS}:emailAliases",
                                      "value": "second.alias@example.test"})
        assert "second.alias@example.test" in after[VERITAS]["emailAliases"]
        assert match(tenant, f'emails[type eq "work"].value eq "{new_email}"')[
            "totalResults"] == 1

    # Disable: Entra's string "False", then a lower-case op with a real boolean.
    assert patched(tenant, uid, {"op": "Replace", "path": "active", "value": "False"})[
        "active"] is False
    assert tenant.user(uid)["active"] is False
    assert patched(tenant, uid, {"op": "replace", "path": "active", "value": False})[
        "active"] is False
    # Re-enable with "True".
    assert patched(tenant, uid, {"op": "Replace", "path": "active", "value": "True"})[
        "active"] is True

    # De-provision.
    response = tenant.delete(f"/Users/{uid}")
    assert response.status_code == 204, response.get_data(as_text=True)
    if vendor == "visitly":
        # Visitly tutorial, Connector limitations: deletes are soft only.
        assert tenant.user(uid)["active"] is False
        assert match(tenant, f'userName eq "{user_name}"')["Resources"][0]["active"] is False
    else:
        scim_error(tenant.get(f"/Users/{uid}"), 404)
        assert match(tenant, f'userName eq "{user_name}"')["totalResults"] == 0


@pytest.mark.parametrize("vendor", ["velpic", "visitly", "vaultplatform", "olfeo", "veritas"])
def test_entra_request_spellings(make_tenant, vendor):
    """DESIGN, Behaviour that users count on: Entra's shapes include "filters on `userName eq`
    ... with quoted or unquoted values, case-insensitive attribute names", "PATCH without a
    path and with dotted keys"; all five tutorials match users on userName by default."""
    tenant = tenant_for(make_tenant, vendor)
    user_name = "spelling+test@contoso.test"
    uid = tenant.create(entra_user(vendor, user_name, "core"))["id"]

    # The match query exactly as it travels: form-encoded, `+` for spaces, %22 for quotes.
    raw = tenant.client.get(f"{tenant.base}/Users?filter=userName+eq+%22spelling%2Btest"
                            "%40contoso.test%22", headers=tenant.headers)
    assert raw.status_code == 200, raw.get_data(as_text=True)
    assert [u["id"] for u in raw.get_json()["Resources"]] == [uid]

    # Attribute names in any letter case, in a path and as a pathless key.
    body = patched(tenant, uid, {"op": "Replace", "path": "DisplayName", "value": "Upper"})
    assert body["displayName"] == "Upper"
    body = patched(tenant, uid, {"op": "Add", "value": {"Name.FamilyName": "Cased",
                                                         WORK_EMAIL: "typed@contoso.test"}})
    assert body["name"]["familyName"] == "Cased"
    assert [e["value"] for e in body["emails"] if e.get("type") == "work"] == [
        "typed@contoso.test"]
    assert tenant.user(uid)["displayName"] == "Upper"


def test_entra_group_provisioning_cycle_on_olfeo(make_tenant):
    """Olfeo tutorial, Capabilities Supported: groups arrive with their memberships; the group
    table marks displayName filterable (Entra matches groups on it); DESIGN:
    "`members[value eq "…"]` removal ... group member add/remove by PATCH"."""
    tenant = make_tenant("olfeo")
    user = tenant.create(entra_user("olfeo", "member@contoso.test"))
    uid = user["id"]
    name = f"Replay Group {uuid.uuid4().hex[:6]}"

    assert match(tenant, f'displayName eq "{name}"', "/Groups",
                 excludedAttributes="members")["totalResults"] == 0
    external_id = str(uuid.uuid4())
    response = tenant.post("/Groups", {"schemas": [GROUP_SCHEMA], "externalId": external_id,
                                       "displayName": name, "members": []})
    assert response.status_code == 201, response.get_data(as_text=True)
    group = response.get_json()
    gid = group["id"]
    assert group["displayName"] == name and group["externalId"] == external_id

    found = match(tenant, f'displayName eq "{name}"', "/Groups", excludedAttributes="members")
    assert [g["id"] for g in found["Resources"]] == [gid]
    assert "members" not in found["Resources"][0]

    add = ops({"op": "Add", "path": "members", "value": [{"value": uid}]})
    response = tenant.patch(f"/Groups/{gid}", add)
    assert response.status_code == 204, response.get_data(as_text=True)
    assert [m["value"] for m in tenant.group(gid)["members"]] == [uid]
    slim = tenant.get(f"/Groups/{gid}", query_string={"excludedAttributes": "members"})
    assert slim.status_code == 200 and "members" not in slim.get_json()

    remove = ops({"op": "Remove", "path": f'members[value eq "{uid}"]'})
    response = tenant.patch(f"/Groups/{gid}", remove)
    assert response.status_code == 204, response.get_data(as_text=True)
    assert tenant.group(gid).get("members", []) == []

    rename = ops({"op": "Replace", "path": "displayName", "value": f"{name} (renamed)"})
    response = tenant.patch(f"/Groups/{gid}", rename)
    assert response.status_code == 204, response.get_data(as_text=True)
    assert tenant.group(gid)["displayName"] == f"{name} (renamed)"

    response = tenant.delete(f"/Groups/{gid}")
    assert response.status_code == 204
    assert tenant.get(f"/Groups/{gid}").status_code == 404
    assert tenant.user(uid)["userName"] == "member@contoso.test"
