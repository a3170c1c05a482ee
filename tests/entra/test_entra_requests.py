"""Entra's request shapes, as Microsoft documents them, without and with aadOptscim062020.

The expected bodies are Microsoft's own examples: those of the page on SCIM 2.0 compliance
issues, section "Flags to alter the SCIM behavior" (disable a user, add a single-value
attribute, replace several attributes, remove a group member),
https://learn.microsoft.com/entra/identity/app-provisioning/application-provisioning-config-problem-scim-compatibility
and those of the SCIM endpoint tutorial,
https://learn.microsoft.com/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups
"""

from __future__ import annotations

from urllib.parse import unquote

from sandbox.entra import requests as shapes
from sandbox.entra.requests import Change

PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
WORK_EMAIL = 'emails[type eq "work"].value'


def ops(request):
    assert request.body["schemas"] == [PATCH_OP]
    return request.body["Operations"]


def test_match_query_is_quoted_and_url_encoded():
    request = shapes.match_user("userName", 'ann "the" o\\neil@contoso.com')
    assert request.method == "GET"
    assert request.path.startswith("/Users?filter=userName%20eq%20%22")
    expected = r'/Users?filter=userName eq "ann \"the\" o\\neil@contoso.com"'
    assert unquote(request.path) == expected
    group = shapes.match_group("displayName", "Sales")
    assert unquote(group.path) == '/Groups?excludedAttributes=members&filter=displayName eq "Sales"'
    probe = shapes.test_connection("3c0f6b8e-2d1a-4f5b-9c7e-0a1b2c3d4e5f")
    assert unquote(probe.path) == '/Users?filter=userName eq "3c0f6b8e-2d1a-4f5b-9c7e-0a1b2c3d4e5f"'


def test_create_user_body():
    request = shapes.create_user({
        "userName": "ann@contoso.com", "active": True, "title": None,
        WORK_EMAIL: "ann@contoso.com", "name.givenName": "Ann", "name.familyName": "Lee",
        'addresses[type eq "work"].locality': "Oslo", 'addresses[type eq "work"].country': "NO",
        f"{ENTERPRISE}:department": "Sales", f"{ENTERPRISE}:manager": "m-1",
    })
    assert (request.method, request.path) == ("POST", "/Users")
    assert request.body == {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
        "userName": "ann@contoso.com",
        "active": True,
        "emails": [{"type": "work", "primary": True, "value": "ann@contoso.com"}],
        "name": {"givenName": "Ann", "familyName": "Lee"},
        "addresses": [{"type": "work", "locality": "Oslo", "country": "NO"}],
        ENTERPRISE: {"department": "Sales", "manager": {"value": "m-1"}},
        "meta": {"resourceType": "User"},
    }
    core_only = shapes.create_user({"userName": "bob"}).body
    assert core_only["schemas"] == ["urn:ietf:params:scim:schemas:core:2.0:User"]


def test_create_group_has_no_members():
    body = shapes.create_group({"displayName": "Sales", "externalId": "g-1"}).body
    assert body == {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group",
                                shapes.ADSCIM_GROUP_SCHEMA],
                    "displayName": "Sales", "externalId": "g-1",
                    "meta": {"resourceType": "Group"}}


def test_disable_a_user():
    changes = [Change("active", True, False)]
    assert ops(shapes.update_user("u1", changes, compliant=False)) == [
        {"op": "Replace", "path": "active", "value": "False"}]
    assert ops(shapes.update_user("u1", changes, compliant=True)) == [
        {"op": "replace", "path": "active", "value": False}]


def test_add_a_single_value_attribute():
    changes = [Change("nickName", None, "Babs")]
    assert ops(shapes.update_user("u1", changes, compliant=False)) == [
        {"op": "Add", "path": "nickName", "value": "Babs"}]
    assert ops(shapes.update_user("u1", changes, compliant=True)) == [
        {"op": "add", "path": "nickName", "value": "Babs"}]


def test_replace_several_attributes():
    changes = [Change("displayName", "a", "Pvlo"),
               Change(WORK_EMAIL, "b", "TestBcwqnm@test.microsoft.com"),
               Change("name.givenName", "c", "Gtfd"), Change("name.familyName", "d", "Pkqf"),
               Change(f"{ENTERPRISE}:employeeNumber", "e", "Eqpj")]
    assert ops(shapes.update_user("u1", changes, compliant=False)) == [
        {"op": "Replace", "path": "displayName", "value": "Pvlo"},
        {"op": "Replace", "path": WORK_EMAIL, "value": "TestBcwqnm@test.microsoft.com"},
        {"op": "Replace", "path": "name.givenName", "value": "Gtfd"},
        {"op": "Replace", "path": "name.familyName", "value": "Pkqf"},
        {"op": "Replace", "path": f"{ENTERPRISE}:employeeNumber", "value": "Eqpj"},
    ]
    assert ops(shapes.update_user("u1", changes, compliant=True)) == [
        {"op": "replace", "path": WORK_EMAIL, "value": "TestBcwqnm@test.microsoft.com"},
        {"op": "replace", "value": {"displayName": "Pvlo", "name.givenName": "Gtfd",
                                    "name.familyName": "Pkqf",
                                    f"{ENTERPRISE}:employeeNumber": "Eqpj"}},
    ]


def test_a_cleared_attribute_is_removed():
    changes = [Change("title", "CTO", None)]
    assert ops(shapes.update_user("u1", changes, compliant=False)) == [
        {"op": "Remove", "path": "title"}]
    assert ops(shapes.update_user("u1", changes, compliant=True)) == [
        {"op": "remove", "path": "title"}]


def test_group_members():
    add = shapes.add_members("g1", ["a", "b"], compliant=False)
    assert (add.method, add.path) == ("PATCH", "/Groups/g1")
    assert ops(add) == [{"op": "Add", "path": "members",
                         "value": [{"value": "a"}, {"value": "b"}]}]
    assert ops(shapes.add_members("g1", ["a"], compliant=True))[0]["op"] == "add"
    assert ops(shapes.remove_members("g1", ["a", "b"], compliant=False)) == [
        {"op": "Remove", "path": "members", "value": [{"value": "a"}, {"value": "b"}]}]
    assert ops(shapes.remove_members("g1", ["a", "b"], compliant=True)) == [
        {"op": "remove", "path": 'members[value eq "a"]'},
        {"op": "remove", "path": 'members[value eq "b"]'}]


def test_delete():
    assert shapes.delete_user("u 1") == shapes.ScimRequest("DELETE", "/Users/u%201")
    assert shapes.delete_group("g1").path == "/Groups/g1"
