"""create_only_attribute and unique_attribute: what a later write may change, and what two
resources of a tenant may not share."""

from __future__ import annotations

from scim_client import ENTERPRISE, USER_SCHEMA


def _created(tenant):
    return tenant.create_user(
        "ada@example.com", externalId="ext-1", displayName="Ada",
        emails=[{"type": "work", "value": "ada@example.com", "primary": True},
                {"type": "home", "value": "ada@home.example"}],
        **{ENTERPRISE: {"employeeNumber": "1815", "department": "Research"}})


def test_create_only_attribute_ignores_a_patch_of_it(rule_tenant):
    tenant = rule_tenant("create_only_attribute")
    uid = _created(tenant)["id"]
    response = tenant.patch_ops(f"/Users/{uid}",
                                {"op": "Replace", "path": "externalId", "value": "ext-2"},
                                {"op": "Replace", "path": "displayName", "value": "Ada L."})
    assert response.status_code == 200, response.get_data(as_text=True)
    stored = tenant.user(uid)
    assert (stored["externalId"], stored["displayName"]) == ("ext-1", "Ada L.")


def test_create_only_attribute_ignores_a_put_of_it_and_its_removal(rule_tenant):
    tenant = rule_tenant("create_only_attribute")
    uid = _created(tenant)["id"]
    response = tenant.put(f"/Users/{uid}", {
        "schemas": [USER_SCHEMA, ENTERPRISE], "userName": "ada@example.com",
        "emails": [{"type": "work", "value": "ada.new@example.com"}],
        ENTERPRISE: {"employeeNumber": "9999", "department": "Archive"}})
    assert response.status_code == 200, response.get_data(as_text=True)
    stored = tenant.user(uid)
    assert stored["externalId"] == "ext-1"  # left out of the PUT, kept all the same
    assert stored[ENTERPRISE] == {"employeeNumber": "1815", "department": "Archive"}
    assert {e["type"]: e["value"] for e in stored["emails"]} == {"work": "ada@example.com"}


def test_create_only_attribute_patch_changing_nothing_else_changes_nothing(rule_tenant):
    tenant = rule_tenant("create_only_attribute")
    created = _created(tenant)
    response = tenant.patch_ops(f"/Users/{created['id']}",
                                {"op": "Replace", "path": "externalId", "value": "ext-2"})
    assert response.status_code == 200
    assert tenant.user(created["id"])["meta"]["version"] == created["meta"]["version"]


def test_unique_attribute_refuses_a_second_user_with_the_same_work_email(rule_tenant, scim_error):
    tenant = rule_tenant("unique_attribute")
    tenant.create_user("ada@example.com", emails=[{"type": "work", "value": "ada@example.com"}])
    response = tenant.post("/Users", {"schemas": [USER_SCHEMA], "userName": "ada2@example.com",
                                      "emails": [{"type": "work", "value": "ADA@example.com"}]})
    body = scim_error(response, 409, "uniqueness")
    assert 'emails[type eq "work"].value' in body["detail"]
    assert tenant.search('userName eq "ada2@example.com"') == []
    # The same address as a home email is not the work email the rule names.
    tenant.create_user("ada3@example.com", emails=[{"type": "home", "value": "ada@example.com"}])


def test_unique_attribute_reads_an_extension_attribute(rule_tenant, scim_error):
    tenant = rule_tenant("unique_attribute")
    tenant.create_user("ada@example.com", **{ENTERPRISE: {"employeeNumber": "1815"}})
    bob = tenant.create_user("bob@example.com", **{ENTERPRISE: {"employeeNumber": "1816"}})
    response = tenant.patch_ops(f"/Users/{bob['id']}", {
        "op": "Replace", "path": f"{ENTERPRISE}:employeeNumber", "value": "1815"})
    scim_error(response, 409, "uniqueness")
    assert tenant.user(bob["id"])[ENTERPRISE] == {"employeeNumber": "1816"}


def test_unique_attribute_lets_a_user_keep_its_own_value(rule_tenant):
    tenant = rule_tenant("unique_attribute")
    ada = tenant.create_user("ada@example.com",
                             emails=[{"type": "work", "value": "ada@example.com"}])
    response = tenant.patch_ops(f"/Users/{ada['id']}",
                                {"op": "Replace", "path": "displayName", "value": "Ada"})
    assert response.status_code == 200
