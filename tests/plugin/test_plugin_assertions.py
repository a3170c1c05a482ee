"""The assertion helpers: what they match (bodies, resolved targets, filters, Entra's
dialects) and how they fail (a message that says what was received)."""

from __future__ import annotations

import pytest

PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def patch(*operations):
    return {"schemas": [PATCH_OP], "Operations": list(operations)}


def olfeo_user(user_name):
    return {"userName": user_name, "active": True,
            "name": {"givenName": user_name.title(), "familyName": "Lee"},
            "emails": [{"value": f"{user_name}@example.com", "type": "work", "primary": True}]}


# Failure messages, as pytest shows them -----------------------------------------------------

def test_assert_received_failure_lists_what_arrived(pytester, run_inner):
    pytester.makepyfile(f"""
        def test_disable(scim_tenant):
            tenant = scim_tenant("generic")
            tenant.client.get("/Users", params={{"filter": 'userName eq "ann"'}})
            tenant.client.post("/Users", json={{"userName": "ann"}})
            bob = tenant.client.post("/Users", json={{"userName": "bob"}}).json()
            tenant.client.patch("/Users/" + bob["id"], json={{
                "schemas": ["{PATCH_OP}"],
                "Operations": [{{"op": "Replace", "path": "active", "value": "False"}}]}})
            tenant.assert_received("disable user", userName="ann")
    """)
    result = run_inner()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "*tenant.assert_received(\"disable user\", userName=\"ann\")*",
        "E*AssertionError: expected a 'disable user' request for userName 'ann'; received 4:",
        "E*  GET /Users?filter=userName eq \"ann\" (match query) 200",
        "E*  POST /Users (create user) 201 [[]userName 'ann'[]]",
        "E*  POST /Users (create user) 201 [[]userName 'bob'[]]",
        "E*  PATCH /Users/* (disable user) 200 [[]userName 'bob'[]]",
    ])
    # The helper's own frames are hidden: the failure points at the test's line.
    result.stdout.no_fnmatch_line("*sandbox/testing/tenant.py*")


def test_assert_not_received_and_assert_user_failures(pytester, run_inner):
    pytester.makepyfile("""
        def test_not_received(scim_tenant):
            tenant = scim_tenant("generic")
            ann = tenant.client.post("/Users", json={"userName": "ann"}).json()
            tenant.client.delete("/Users/" + ann["id"])
            tenant.assert_not_received("delete user", userName="ann")

        def test_user_missing(scim_tenant):
            tenant = scim_tenant("generic")
            tenant.client.post("/Users", json={"userName": "bob"})
            tenant.assert_user("ann")

        def test_user_differs(scim_tenant):
            tenant = scim_tenant("generic")
            tenant.client.post("/Users", json={"userName": "ann", "active": True,
                                               "name": {"givenName": "Ann"}})
            tenant.assert_user("ann", active=False, name__givenName="Ann", title="CEO")

        def test_nothing_received(scim_tenant):
            scim_tenant().assert_received("create user")
    """)
    result = run_inner()
    result.assert_outcomes(failed=4)
    result.stdout.fnmatch_lines([
        "E*AssertionError: expected no 'delete user' request for userName 'ann'; received 1:",
        "E*  DELETE /Users/* (delete user) 204 [[]userName 'ann'[]]",
    ])
    result.stdout.fnmatch_lines([
        "E*AssertionError: expected a user with userName 'ann'; the tenant has 1 user(s): 'bob'",
    ])
    result.stdout.fnmatch_lines([
        "E*AssertionError: expected user 'ann' with active False, title 'CEO'; "
        "it has active True, title missing",
    ])
    result.stdout.fnmatch_lines([
        "E*AssertionError: expected a 'create user' request; received no requests at all",
    ])


def test_failure_lists_only_the_last_twenty_requests(scim_tenant):
    tenant = scim_tenant()
    for _ in range(25):
        tenant.client.get("/Users")
    with pytest.raises(AssertionError) as failure:
        tenant.assert_received("create user", userName="ann")
    lines = str(failure.value).splitlines()
    assert lines[0] == "expected a 'create user' request for userName 'ann'; received 25:"
    assert lines[1] == "  ... 5 earlier request(s) not shown"
    assert lines[2:] == ["  GET /Users (other) 200"] * 20


def test_faulted_requests_are_marked(scim_tenant):
    tenant = scim_tenant()
    fault = tenant.fault(status=503, times=1)
    tenant.client.post("/Users", json={"userName": "ann"})
    with pytest.raises(AssertionError, match=rf"503 \[userName 'ann'\] \(fault {fault['id']}\)"):
        tenant.assert_received("delete user")


# What matches --------------------------------------------------------------------------------

def test_patch_and_delete_by_id_resolve_to_the_user(scim_tenant):
    tenant = scim_tenant("generic")
    ann = tenant.client.post("/Users", json={"userName": "ann", "active": True}).json()
    bob = tenant.client.post("/Users", json={"userName": "bob"}).json()
    tenant.client.patch(f"/Users/{ann['id']}",
                        json=patch({"op": "Replace", "value": {"active": "False"}}))
    tenant.client.delete(f"/Users/{bob['id']}")  # hard delete: bob is gone from the store
    entry = tenant.assert_received("disable user", userName="ann", active=False)
    assert entry["method"] == "PATCH" and entry["path"].endswith(ann["id"])
    tenant.assert_received("delete user", userName="bob")
    tenant.assert_not_received("delete user", userName="ann")
    tenant.assert_not_received("disable user", userName="bob")
    tenant.assert_user("ann", active=False)
    assert tenant.user("bob") is None


def test_seeded_users_resolve_without_a_prior_request(scim_tenant):
    tenant = scim_tenant("generic", seed_users=3, seed=1)
    first, second = tenant.users()[:2]
    tenant.client.patch(f"/Users/{first['id']}",
                        json=patch({"op": "replace", "path": "active", "value": False}))
    tenant.client.delete(f"/Users/{second['id']}")
    tenant.assert_received("disable user", userName=first["userName"])
    tenant.assert_received("delete user", userName=second["userName"])


def test_match_queries_match_on_their_filter(scim_tenant):
    tenant = scim_tenant("generic")
    tenant.client.get("/Users", params={"filter": "externalId eq jyoung"})  # Entra: unquoted
    tenant.client.get("/Users", params={"filter": 'userName eq "ann@example.com"'})
    tenant.client.post("/Users/.search", json={
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
        "filter": 'emails[type eq "work"].value eq "bob@example.com"'})
    tenant.assert_received("match query", externalId="jyoung")
    tenant.assert_received("match query", userName="ann@example.com")
    tenant.assert_received("match query", **{"emails.value": "bob@example.com"})
    tenant.assert_not_received("match query", userName="bob@example.com")


def test_bodies_match_case_insensitively_and_into_sub_attributes(scim_tenant):
    tenant = scim_tenant("generic")
    enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
    tenant.client.post("/Users", json={
        "userName": "ann", "name": {"givenName": "Ann"},
        "emails": [{"value": "ann@example.com", "type": "work"}],
        enterprise: {"department": "Sales"}})
    tenant.assert_received("create user", username="ann", name__givenName="Ann")
    tenant.assert_received("create user", **{"name.givenName": "Ann"})
    tenant.assert_received("create user", emails="ann@example.com")  # one of its values
    tenant.assert_received("create user", department="Sales")
    tenant.assert_received("create user", **{f"{enterprise}:department": "Sales"})
    tenant.assert_not_received("create user", department="Support")
    tenant.assert_user("ANN", department="Sales", emails__type="work")


def test_group_member_requests_match_by_member_name(scim_tenant):
    tenant = scim_tenant("olfeo")
    ann = tenant.client.post("/Users", json=olfeo_user("ann")).json()
    bob = tenant.client.post("/Users", json=olfeo_user("bob")).json()
    group = tenant.client.post("/Groups", json={"displayName": "Sales"}).json()
    added = tenant.client.patch(f"/Groups/{group['id']}", json=patch(
        {"op": "Add", "path": "members", "value": [{"value": ann["id"]}]}))
    assert added.status_code == 204  # Olfeo answers group PATCHes with no body
    tenant.client.patch(f"/Groups/{group['id']}", json=patch(
        {"op": "Remove", "path": f'members[value eq "{bob["id"]}"]'}))
    tenant.assert_received("add members", displayName="Sales", member="ann")
    tenant.assert_received("add members", member=ann["id"])
    tenant.assert_received("remove members", displayName="Sales", member="bob")
    tenant.assert_not_received("add members", member="bob")
    assert [g["displayName"] for g in tenant.groups()] == ["Sales"]


def test_received_lists_matches_and_any_operation(scim_tenant):
    tenant = scim_tenant()
    tenant.client.post("/Users", json={"userName": "ann"})
    tenant.client.post("/Users", json={"userName": "ann"})  # 409: a request all the same
    assert [e["status"] for e in tenant.received("create user", userName="ann")] == [201, 409]
    assert tenant.assert_received(None, userName="ann")["status"] == 409  # the latest
    assert tenant.received(None, userName="bob") == []


def test_a_misspelt_operation_is_an_error_not_a_pass(scim_tenant):
    tenant = scim_tenant()
    with pytest.raises(ValueError, match="Unknown operation 'deleted user'"):
        tenant.assert_not_received("deleted user", userName="ann")


def test_a_soft_delete_vendor_keeps_the_user(scim_tenant):
    tenant = scim_tenant("visitly", seed_users=1)
    user = tenant.users()[0]
    tenant.client.delete(f"/Users/{user['id']}")
    tenant.assert_received("delete user", userName=user["userName"])
    tenant.assert_user(user["userName"], active=False)
