"""soft_delete_only and hard_delete_only: what DELETE and a deactivation do to a user.

Gallery tutorials state both: some apps never remove a user (deprovisioning deactivates it),
and others have no inactive state, so a deactivation removes the user.
"""

from __future__ import annotations

from scim_client import PATCH_OP, USER_SCHEMA


def _deactivate(tenant, uid, value=False):
    return tenant.patch(f"/Users/{uid}", {"schemas": [PATCH_OP], "Operations": [
        {"op": "Replace", "path": "active", "value": value}]})


def test_soft_delete_only_keeps_the_user_inactive(rule_tenant):
    tenant = rule_tenant("soft_delete_only")
    uid = tenant.create_user("ada@example.com", active=True)["id"]
    assert tenant.delete(f"/Users/{uid}").status_code == 204
    kept = tenant.user(uid)
    assert kept["active"] is False
    assert [u["id"] for u in tenant.search('userName eq "ada@example.com"')] == [uid]


def test_hard_delete_only_removes_a_user_a_patch_deactivates(rule_tenant):
    tenant = rule_tenant("hard_delete_only")
    uid = tenant.create_user("ada@example.com", active=True)["id"]
    response = _deactivate(tenant, uid, "False")  # as Entra sends it: a string
    assert response.status_code == 204, response.get_data(as_text=True)
    assert response.get_data() == b""
    assert tenant.get(f"/Users/{uid}").status_code == 404
    assert tenant.search('userName eq "ada@example.com"') == []


def test_hard_delete_only_removes_a_user_a_put_deactivates(rule_tenant):
    tenant = rule_tenant("hard_delete_only")
    uid = tenant.create_user("ada@example.com", active=True)["id"]
    response = tenant.put(f"/Users/{uid}", {"schemas": [USER_SCHEMA],
                                            "userName": "ada@example.com", "active": False})
    assert response.status_code == 204
    assert tenant.get(f"/Users/{uid}").status_code == 404


def test_hard_delete_only_takes_the_removed_user_out_of_its_groups(rule_tenant):
    tenant = rule_tenant("hard_delete_only")
    ada = tenant.create_user("ada@example.com", active=True)["id"]
    bob = tenant.create_user("bob@example.com", active=True)["id"]
    gid = tenant.create_group("Pilots", [ada, bob])["id"]
    assert _deactivate(tenant, ada).status_code == 204
    assert [m["value"] for m in tenant.group(gid)["members"]] == [bob]


def test_hard_delete_only_leaves_other_changes_alone(rule_tenant):
    tenant = rule_tenant("hard_delete_only")
    uid = tenant.create_user("ada@example.com", active=True)["id"]
    response = tenant.patch_ops(f"/Users/{uid}",
                                {"op": "replace", "path": "displayName", "value": "Ada"},
                                {"op": "replace", "path": "active", "value": True})
    assert response.status_code == 200
    assert tenant.user(uid)["displayName"] == "Ada"


def test_without_the_rule_a_deactivation_keeps_the_user(make_tenant_of):
    tenant = make_tenant_of("generic")
    uid = tenant.create_user("ada@example.com", active=True)["id"]
    assert _deactivate(tenant, uid).status_code == 200
    assert tenant.user(uid)["active"] is False
