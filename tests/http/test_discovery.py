"""Discovery endpoints (RFC 7644 §4) of the generic profile."""

from __future__ import annotations

import pytest

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
SPC_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
RESOURCE_TYPE_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
SCHEMA_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema"


def get_json(tenant, path: str) -> dict:
    response = tenant.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/scim+json"
    return response.get_json()


def test_service_provider_config(tenant):
    config = get_json(tenant, "/ServiceProviderConfig")
    assert config["schemas"] == [SPC_SCHEMA]
    assert config["patch"]["supported"] is True
    assert config["filter"]["supported"] is True
    assert isinstance(config["filter"]["maxResults"], int) and config["filter"]["maxResults"] > 0
    assert config["sort"]["supported"] is True
    assert config["etag"]["supported"] is True
    assert config["bulk"] == {"supported": True, "maxOperations": 1000,
                              "maxPayloadSize": 1048576}
    assert config["changePassword"]["supported"] is False
    schemes = config["authenticationSchemes"]
    assert [s["type"] for s in schemes] == ["oauthbearertoken"]
    assert schemes[0]["name"] and schemes[0]["description"]
    assert config["meta"]["resourceType"] == "ServiceProviderConfig"
    assert config["meta"]["location"] == f"{tenant.url}/ServiceProviderConfig"


def test_service_provider_config_max_results_caps_a_page(tenant):
    max_results = get_json(tenant, "/ServiceProviderConfig")["filter"]["maxResults"]
    assert max_results <= 1000, "too many users to create for this test"
    for i in range(max_results + 3):
        tenant.create_user(f"u{i:04d}")
    for params in ({"count": max_results + 1000}, {}):
        listing = tenant.list(**params)
        assert listing["totalResults"] == max_results + 3
        assert listing["itemsPerPage"] == max_results
        assert len(listing["Resources"]) == max_results
    rest = tenant.list(startIndex=max_results + 1, count=max_results)
    assert rest["itemsPerPage"] == 3


def test_service_provider_config_path_is_case_insensitive(tenant):
    assert get_json(tenant, "/serviceproviderconfig") == get_json(tenant,
                                                                   "/ServiceProviderConfig")


def test_resource_types(tenant):
    listing = get_json(tenant, "/ResourceTypes")
    assert listing["schemas"] == [LIST_RESPONSE]
    assert listing["totalResults"] == 2
    by_name = {rt["name"]: rt for rt in listing["Resources"]}
    assert set(by_name) == {"User", "Group"}
    user = by_name["User"]
    assert user["schemas"] == [RESOURCE_TYPE_SCHEMA]
    assert user["id"] == "User"
    assert user["endpoint"] == "/Users"
    assert user["schema"] == USER_SCHEMA
    assert user["schemaExtensions"] == [{"schema": ENTERPRISE, "required": False}]
    assert user["meta"]["location"] == f"{tenant.url}/ResourceTypes/User"
    group = by_name["Group"]
    assert group["endpoint"] == "/Groups"
    assert group["schema"] == GROUP_SCHEMA
    assert not group.get("schemaExtensions")


def test_one_resource_type(tenant):
    user = get_json(tenant, "/ResourceTypes/User")
    assert user["name"] == "User"
    assert user["schema"] == USER_SCHEMA
    assert get_json(tenant, "/ResourceTypes/Group")["endpoint"] == "/Groups"


def test_schemas_list_user_enterprise_and_group(tenant):
    listing = get_json(tenant, "/Schemas")
    assert listing["schemas"] == [LIST_RESPONSE]
    ids = {s["id"] for s in listing["Resources"]}
    assert ids == {USER_SCHEMA, ENTERPRISE, GROUP_SCHEMA}
    assert listing["totalResults"] == 3
    for schema in listing["Resources"]:
        assert schema["meta"]["resourceType"] == "Schema"
        assert schema["meta"]["location"] == f"{tenant.url}/Schemas/{schema['id']}"
        assert schema["attributes"]


@pytest.mark.parametrize(("urn", "attribute"), [
    (USER_SCHEMA, "userName"), (ENTERPRISE, "department"), (GROUP_SCHEMA, "members"),
])
def test_one_schema_by_urn(tenant, urn, attribute):
    schema = get_json(tenant, f"/Schemas/{urn}")
    assert schema["id"] == urn
    names = {a["name"] for a in schema["attributes"]}
    assert attribute in names
    for described in schema["attributes"]:
        assert {"name", "type", "multiValued"} <= set(described)


def test_user_schema_describes_user_name_and_password(tenant):
    schema = get_json(tenant, f"/Schemas/{USER_SCHEMA}")
    by_name = {a["name"]: a for a in schema["attributes"]}
    assert by_name["userName"]["required"] is True
    assert by_name["userName"]["uniqueness"] == "server"
    assert by_name["userName"]["caseExact"] is False
    assert by_name["password"]["returned"] == "never"
    assert by_name["password"]["mutability"] == "writeOnly"
    assert by_name["groups"]["mutability"] == "readOnly"


@pytest.mark.parametrize("path", [
    "/Schemas/urn:ietf:params:scim:schemas:core:2.0:Nope", "/Schemas/nope",
    "/ResourceTypes/Device", "/ServiceProviderConfig/x",
])
def test_unknown_discovery_document_is_404(tenant, scim_error, path):
    scim_error(tenant.get(path), 404)


@pytest.mark.parametrize("path", [
    "/ServiceProviderConfig", "/ResourceTypes", "/ResourceTypes/User", "/Schemas",
    f"/Schemas/{USER_SCHEMA}",
])
def test_discovery_needs_the_tenant_token(tenant, make_tenant, scim_error, path):
    scim_error(tenant.client.get(tenant.base + path), 401)
    scim_error(tenant.client.get(tenant.base + path,
                                 headers={"Authorization": "Bearer wrong-token"}), 401)
    other = make_tenant()
    scim_error(tenant.client.get(tenant.base + path,
                                 headers={"Authorization": f"Bearer {other.token}"}), 401)
