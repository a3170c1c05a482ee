"""Rules on values: value_format, allowed_values, max_length, email_equals_username,
verified_domain_required, single_role_only, lowercase_only and attribute_required_by_text.

A refused value is a 400 invalidValue whose detail names the attribute and the rule, on
create, PUT and PATCH alike, and a refused change leaves the stored user as it was.
"""

from __future__ import annotations

import pytest
from scim_client import ENTERPRISE, USER_SCHEMA

_FORMATS = [
    # (attribute as the rule names it, a body fragment that fits, one that does not)
    ('phoneNumbers[type eq "work"].value',
     {"phoneNumbers": [{"type": "work", "value": "+14155550100"}]},
     {"phoneNumbers": [{"type": "work", "value": "(415) 555-0100"}]}),
    ('addresses[type eq "work"].country',
     {"addresses": [{"type": "work", "country": "FR"}]},
     {"addresses": [{"type": "work", "country": "France"}]}),
    ("locale", {"locale": "de"}, {"locale": "xx"}),
    ('emails[type eq "home"].value',
     {"emails": [{"type": "home", "value": "ada@home.example"}]},
     {"emails": [{"type": "home", "value": "ada at home"}]}),
    ("preferredLanguage", {"preferredLanguage": "en-US"}, {"preferredLanguage": "en_US"}),
    ("name.familyName", {"name": {"familyName": "Lovelace"}},
     {"name": {"familyName": "Lovelace2"}}),
]


def _user(user_name: str, **extra) -> dict:
    return {"schemas": [USER_SCHEMA], "userName": user_name, **extra}


@pytest.mark.parametrize(("attribute", "good", "bad"), _FORMATS,
                         ids=[f[0].split("[")[0].split(".")[0] for f in _FORMATS])
def test_value_format_accepts_the_format_and_refuses_others(rule_tenant, scim_error,
                                                            attribute, good, bad):
    tenant = rule_tenant("value_format")
    assert tenant.post("/Users", _user("ada@example.com", **good)).status_code == 201
    body = scim_error(tenant.post("/Users", _user("bob@example.com", **bad)), 400,
                      "invalidValue")
    assert attribute in body["detail"] and "value_format" in body["detail"]
    assert tenant.search('userName eq "bob@example.com"') == []


def test_value_format_only_reads_the_values_its_path_selects(rule_tenant):
    tenant = rule_tenant("value_format")
    # A mobile number is not the work number the rule names.
    tenant.create_user("ada@example.com",
                       phoneNumbers=[{"type": "mobile", "value": "0612345678"}])


def test_value_format_refuses_a_patch_and_keeps_the_user(rule_tenant, scim_error):
    tenant = rule_tenant("value_format")
    uid = tenant.create_user("ada@example.com", preferredLanguage="fr-FR")["id"]
    before = tenant.user(uid)
    response = tenant.patch_ops(f"/Users/{uid}", {"op": "Replace", "path": "preferredLanguage",
                                                  "value": "French"})
    body = scim_error(response, 400, "invalidValue")
    assert "'French'" in body["detail"]
    assert tenant.user(uid) == before


def test_allowed_values_accepts_a_listed_value_in_any_letter_case(rule_tenant):
    tenant = rule_tenant("allowed_values")
    assert tenant.create_user("ada@example.com", userType="Employee")["userType"] == "Employee"
    tenant.create_user("bob@example.com", userType="contractor")


def test_allowed_values_refuses_another_value(rule_tenant, scim_error):
    tenant = rule_tenant("allowed_values")
    body = scim_error(tenant.post("/Users", _user("ada@example.com", userType="Intern")), 400,
                      "invalidValue")
    assert "userType" in body["detail"] and "Employee, Contractor" in body["detail"]
    assert "allowed_values" in body["detail"]


def test_max_length_refuses_a_long_user_name(rule_tenant, scim_error):
    tenant = rule_tenant("max_length")  # userName at most 20 characters
    tenant.create_user("a" * 8 + "@example.com")  # 20
    body = scim_error(tenant.post("/Users", _user("a" * 9 + "@example.com")), 400,
                      "invalidValue")
    assert "21 characters" in body["detail"] and "max_length" in body["detail"]


def test_max_length_applies_to_every_resource_type_with_the_attribute(rule_tenant, scim_error):
    tenant = rule_tenant("max_length")  # displayName at most 12, users and groups
    scim_error(tenant.post("/Users", _user("ada@example.com", displayName="Ada Lovelace K")),
               400, "invalidValue")
    body = scim_error(tenant.post("/Groups", {"schemas": [
        "urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "Research and Dev"}),
        400, "invalidValue")
    assert "displayName" in body["detail"]
    tenant.create_group("Research")


def test_email_equals_username_accepts_the_same_address(rule_tenant):
    tenant = rule_tenant("email_equals_username")
    tenant.create_user("ada@example.com", emails=[{"type": "work", "value": "Ada@Example.com"}])
    tenant.create_user("bob@example.com")  # no email: nothing to compare


def test_email_equals_username_refuses_another_address(rule_tenant, scim_error):
    tenant = rule_tenant("email_equals_username")
    uid = tenant.create_user("ada@example.com",
                             emails=[{"type": "work", "value": "ada@example.com"}])["id"]
    response = tenant.patch_ops(f"/Users/{uid}", {"op": "Replace", "path": "userName",
                                                  "value": "ada.l@example.com"})
    body = scim_error(response, 400, "invalidValue")
    assert "userName" in body["detail"] and "email_equals_username" in body["detail"]
    assert tenant.user(uid)["userName"] == "ada@example.com"


def test_verified_domain_required_accepts_the_default_domains(rule_tenant):
    tenant = rule_tenant("verified_domain_required")
    assert tenant.admin["settings"]["verified_domains"] == ["contoso.com", "example.com"]
    tenant.create_user("ada@contoso.com")
    tenant.create_user("bob@EXAMPLE.com")


def test_verified_domain_required_refuses_another_domain(rule_tenant, scim_error):
    tenant = rule_tenant("verified_domain_required")
    body = scim_error(tenant.post("/Users", _user("ada@fabrikam.com")), 400, "invalidValue")
    assert "'ada@fabrikam.com'" in body["detail"]
    assert "verified_domain_required" in body["detail"] and "contoso.com" in body["detail"]
    body = scim_error(tenant.post("/Users", _user("ada")), 400, "invalidValue")
    assert "no domain" in body["detail"]


def test_verified_domains_follow_the_tenant_settings(rule_tenant, client, admin, scim_error):
    tenant = rule_tenant("verified_domain_required")
    response = client.patch(f"/_sandbox/tenants/{tenant.id}", headers=admin,
                            json={"settings": {"verified_domains": ["fabrikam.com"]}})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["settings"]["verified_domains"] == ["fabrikam.com"]
    tenant.create_user("ada@fabrikam.com")
    scim_error(tenant.post("/Users", _user("bob@example.com")), 400, "invalidValue")


def test_single_role_only_refuses_a_second_role(rule_tenant, scim_error):
    tenant = rule_tenant("single_role_only")
    uid = tenant.create_user("ada@example.com", roles=[{"value": "Admin"}])["id"]
    response = tenant.patch_ops(f"/Users/{uid}", {"op": "Add", "path": "roles",
                                                  "value": [{"value": "Editor"}]})
    body = scim_error(response, 400, "invalidValue")
    assert "roles" in body["detail"] and "single_role_only" in body["detail"]
    assert [r["value"] for r in tenant.user(uid)["roles"]] == ["Admin"]


def test_lowercase_only_stores_values_in_lowercase(rule_tenant):
    tenant = rule_tenant("lowercase_only")
    created = tenant.create_user("Ada.Lovelace@Example.com", emails=[
        {"type": "work", "value": "Ada.Lovelace@Example.com", "primary": True},
        {"type": "home", "value": "Ada@Home.Example"}])
    assert created["userName"] == "ada.lovelace@example.com"
    emails = {e["type"]: e["value"] for e in tenant.user(created["id"])["emails"]}
    assert emails == {"work": "ada.lovelace@example.com", "home": "Ada@Home.Example"}
    response = tenant.patch_ops(f"/Users/{created['id']}",
                                {"op": "Replace", "path": "userName", "value": "ADA@EXAMPLE.COM"})
    assert response.get_json()["userName"] == "ada@example.com"
    assert [u["id"] for u in tenant.search('userName eq "Ada@Example.com"')] == [created["id"]]


def test_attribute_required_by_text_refuses_a_user_without_it(rule_tenant, scim_error):
    tenant = rule_tenant("attribute_required_by_text")
    body = scim_error(tenant.post("/Users", _user("ada@example.com")), 400, "invalidValue")
    assert f"{ENTERPRISE}:department" in body["detail"]
    tenant.post("/Users", {**_user("ada@example.com"), "schemas": [USER_SCHEMA, ENTERPRISE],
                           ENTERPRISE: {"department": "Research"}})
    assert tenant.search('userName eq "ada@example.com"')[0][ENTERPRISE] == {
        "department": "Research"}
