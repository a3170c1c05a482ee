"""Discovery documents of every vendor (and generic), checked with scim2-models.

DESIGN, Public interface: "SCIM endpoints per tenant under its `tenant_url`: `/Users`,
`/Groups` (where the vendor has groups), `/ServiceProviderConfig`, `/ResourceTypes`,
`/Schemas` ... each answering with that vendor's contract." RFC 7644 §4 defines the documents;
scim2-models (the library whose schema definitions the sandbox ships) validates them as a
client validates a server's query response (`Context.RESOURCE_QUERY_RESPONSE`).
"""

from __future__ import annotations

from typing import Any

import pytest

scim2_models = pytest.importorskip("scim2_models")
from scim2_models import (  # noqa: E402
    Context,
    Extension,
    Resource,
    ResourceType,
    Schema,
    ServiceProviderConfig,
)

VENDORS = ["velpic", "visitly", "vaultplatform", "olfeo", "veritas", "generic"]
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
RESPONSE = Context.RESOURCE_QUERY_RESPONSE

# Each vendor doc's resource types: Olfeo "Provision groups and group memberships"; the other
# vendor tutorials provision users only; generic is the full RFC 7643 server.
RESOURCE_TYPES = {
    "velpic": {"User"}, "visitly": {"User"}, "vaultplatform": {"User"}, "veritas": {"User"},
    "olfeo": {"User", "Group"}, "generic": {"User", "Group"},
}


@pytest.fixture(params=VENDORS)
def tenant(request, make_tenant):
    return make_tenant(request.param)


def documents(tenant, path: str) -> list[dict[str, Any]]:
    listing = tenant.list(path)
    assert listing["totalResults"] == len(listing["Resources"]), listing
    return listing["Resources"]


def test_service_provider_config_validates(tenant):
    """DESIGN: `/ServiceProviderConfig` "answering with that vendor's contract"; RFC 7643 §5.
    Every tutorial's client is Entra, which updates by PATCH and matches by filter (Velpic
    step 10: "used to match the user accounts ... for update operations")."""
    response = tenant.get("/ServiceProviderConfig")
    assert response.status_code == 200, response.get_data(as_text=True)
    document = response.get_json()
    config = ServiceProviderConfig.model_validate(document, scim_ctx=RESPONSE)
    assert config.patch.supported is True
    assert config.filter.supported is True and config.filter.max_results > 0
    assert any(scheme.type == "oauthbearertoken" for scheme in config.authentication_schemes)
    assert document["meta"]["location"] == f"{tenant.url}/ServiceProviderConfig"


def test_resource_types_validate_and_match_the_doc(tenant):
    """DESIGN: `/ResourceTypes` "answering with that vendor's contract"; vendor-docs README:
    Olfeo has "Users **and groups with memberships**", the other four users only."""
    resources = documents(tenant, "/ResourceTypes")
    names = set()
    for document in resources:
        resource_type = ResourceType.model_validate(document, scim_ctx=RESPONSE)
        names.add(resource_type.id)
        assert resource_type.name == resource_type.id
        assert document["meta"]["location"] == f"{tenant.url}/ResourceTypes/{document['id']}"
        single = tenant.get(f"/ResourceTypes/{document['id']}")
        assert single.status_code == 200 and single.get_json() == document
    assert names == RESOURCE_TYPES[tenant.vendor]


def test_schemas_validate(tenant):
    """DESIGN: `/Schemas` "answering with that vendor's contract"; RFC 7643 §7 schema
    representation, as scim2-models reads it."""
    for document in documents(tenant, "/Schemas"):
        schema = Schema.model_validate(document, scim_ctx=RESPONSE)
        assert schema.id == document["id"]
        names = [a.name for a in schema.attributes]
        assert len(names) == len({n.lower() for n in names}), names
        assert document["meta"]["location"] == f"{tenant.url}/Schemas/{document['id']}"
        single = tenant.get(f"/Schemas/{document['id']}")
        assert single.status_code == 200 and single.get_json() == document


def test_resource_types_and_schemas_are_consistent(tenant):
    """RFC 7643 §6: a resource type's `schema` and `schemaExtensions` name schemas the server
    publishes; DESIGN: every endpoint listed answers (`/Groups` "where the vendor has
    groups")."""
    schema_ids = {s["id"] for s in documents(tenant, "/Schemas")}
    referenced: set[str] = set()
    for document in documents(tenant, "/ResourceTypes"):
        referenced.add(document["schema"])
        referenced.update(e["schema"] for e in document.get("schemaExtensions", []))
        listing = tenant.list(document["endpoint"])
        assert listing["totalResults"] == 0
    assert referenced == schema_ids
    if "Group" not in RESOURCE_TYPES[tenant.vendor]:
        assert GROUP_SCHEMA not in schema_ids
        assert tenant.get("/Groups").status_code == 404


def test_a_created_user_validates_against_its_published_schemas(tenant, valid_user):
    """RFC 7643 §7: /Schemas describes the resources the server returns; a model built from
    the published User schema and its extension reads back a created user."""
    schemas = {s["id"]: Schema.model_validate(s, scim_ctx=RESPONSE)
               for s in documents(tenant, "/Schemas")}
    user_type = next(d for d in documents(tenant, "/ResourceTypes") if d["id"] == "User")
    model = Resource.from_schema(schemas[user_type["schema"]])
    extensions = [Extension.from_schema(schemas[e["schema"]])
                  for e in user_type.get("schemaExtensions", [])]
    if extensions:
        assert len(extensions) == 1, "one extension per vendor User today"
        model = model[extensions[0]]
    created = tenant.create(valid_user(tenant.vendor, "discovery@example.test"))
    user = model.model_validate(tenant.user(created["id"]), scim_ctx=RESPONSE)
    assert user.id == created["id"]
    assert user.user_name == "discovery@example.test"


# What each tutorial says about delete and resource types, as the admin API publishes it.
DOC_SUMMARY = {
    # Visitly tutorial, Connector limitations: "Everything is soft delete only."
    "visitly": ("soft", ["User"], "/v1/usersync/SCIM"),
    # Vault Platform tutorial: "Remove users in Vault Platform ..."; `.../api/scim/${slug}`.
    "vaultplatform": ("hard", ["User"], "/api/scim/{slug}"),
    # Olfeo tutorial: "Remove users in Olfeo SAAS ...", "Provision groups and group memberships"
    "olfeo": ("hard", ["User", "Group"], None),
    # Veritas tutorial: "Remove users in Veritas Enterprise Vault.cloud SSO-SCIM ..."
    "veritas": ("hard", ["User"], None),
    # Velpic tutorial: "provision and de-provision user accounts" (users only)
    "velpic": ("hard", ["User"], None),
}


def test_admin_vendor_list_matches_the_docs(client, admin):
    """DESIGN: "`GET /_sandbox/vendors` → the profiles: id, name, resource types, delete mode,
    tenant URL template"; the values are the tutorials' (see DOC_SUMMARY's comments)."""
    response = client.get("/_sandbox/vendors", headers=admin)
    assert response.status_code == 200, response.get_data(as_text=True)
    profiles = {p["id"]: p for p in response.get_json()["vendors"]}
    assert set(DOC_SUMMARY) | {"generic"} <= set(profiles)
    for vendor, (delete_mode, resource_types, template) in DOC_SUMMARY.items():
        profile = profiles[vendor]
        assert profile["delete_mode"] == delete_mode, vendor
        assert profile["resource_types"] == resource_types, vendor
        if template is not None:
            assert profile["tenant_url_template"] == template, vendor
    assert profiles["olfeo"]["patch_response"] == {"User": "resource", "Group": "no_content"}
