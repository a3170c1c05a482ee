"""Counted and ordered verification: `assert_received(op, times=N)` (exactly),
`at_least=` / `at_most=`, `assert_received_in_order([...])`, and their failure messages."""

from __future__ import annotations

import pytest

PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
DISABLE = {"schemas": [PATCH_OP],
           "Operations": [{"op": "Replace", "path": "active", "value": "False"}]}


def make_ann_bob_and_disable_ann(tenant):
    """Three requests: create ann (#1), create bob (#2), disable ann (#3)."""
    ann = tenant.client.post("/Users", json={"userName": "ann"}).json()
    tenant.client.post("/Users", json={"userName": "bob"})
    tenant.client.patch(f"/Users/{ann['id']}", json=DISABLE)


# Counts --------------------------------------------------------------------------------------

def test_times_is_exact(scim_tenant):
    tenant = scim_tenant()
    make_ann_bob_and_disable_ann(tenant)
    entry = tenant.assert_received("create user", times=2)
    assert entry["request"]["body"]["userName"] == "bob"  # the latest of them
    tenant.assert_received("create user", times=1, userName="ann")
    assert tenant.assert_received("delete user", times=0) is None
    for wrong in (1, 3):
        with pytest.raises(AssertionError, match=rf"expected exactly {wrong} 'create user' "
                                                 r"request\(s\); 2 matched, of 3 received"):
            tenant.assert_received("create user", times=wrong)


def test_at_least_and_at_most_bound_the_count(scim_tenant):
    tenant = scim_tenant()
    make_ann_bob_and_disable_ann(tenant)
    tenant.assert_received("create user", at_least=2)
    tenant.assert_received("create user", at_most=2)
    tenant.assert_received("create user", at_least=1, at_most=3)
    assert tenant.assert_received("delete user", at_most=1) is None
    with pytest.raises(AssertionError, match=r"expected at least 3 'create user'"):
        tenant.assert_received("create user", at_least=3)
    with pytest.raises(AssertionError, match=r"expected at most 1 'create user'"):
        tenant.assert_received("create user", at_most=1)
    with pytest.raises(AssertionError, match=r"expected 3 to 4 request\(s\) for userName "
                                             r"'ann'; 2 matched"):
        tenant.assert_received(None, at_least=3, at_most=4, userName="ann")


def test_the_count_failure_marks_the_matching_requests(scim_tenant):
    tenant = scim_tenant()
    make_ann_bob_and_disable_ann(tenant)
    with pytest.raises(AssertionError) as failure:
        tenant.assert_received("create user", times=1)
    lines = str(failure.value).splitlines()
    assert lines[0].endswith("(matching ones marked >):")
    assert lines[1] == "> #1 POST /Users (create user) 201 [userName 'ann']"
    assert lines[2] == "> #2 POST /Users (create user) 201 [userName 'bob']"
    assert lines[3].startswith("  #3 PATCH /Users/") and "(disable user)" in lines[3]


def test_a_count_with_nothing_received_says_so(scim_tenant):
    with pytest.raises(AssertionError, match="expected exactly 2 'create user' request\\(s\\); 0 "
                                             "matched, and no requests were received at all"):
        scim_tenant().assert_received("create user", times=2)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"times": -1}, "times must be a whole number"),
    ({"at_least": True}, "at_least must be a whole number"),
    ({"at_most": 1.5}, "at_most must be a whole number"),
    ({"times": 1, "at_least": 1}, "give times= alone"),
    ({"at_least": 3, "at_most": 2}, "at_least=3 is more than at_most=2"),
])
def test_a_contradictory_count_is_an_error_not_a_pass(scim_tenant, kwargs, message):
    with pytest.raises(ValueError, match=message):
        scim_tenant().assert_received("create user", **kwargs)


def test_without_a_count_the_old_assertion_still_means_at_least_one(scim_tenant):
    tenant = scim_tenant()
    with pytest.raises(AssertionError, match="expected a 'create user' request; received no "
                                             "requests at all"):
        tenant.assert_received("create user")
    make_ann_bob_and_disable_ann(tenant)
    assert tenant.assert_received("create user")["request"]["body"]["userName"] == "bob"


# Order ---------------------------------------------------------------------------------------

def test_in_order_allows_requests_between_and_returns_the_matches(scim_tenant):
    tenant = scim_tenant()
    make_ann_bob_and_disable_ann(tenant)
    found = tenant.assert_received_in_order(
        [("create user", {"userName": "ann"}), ("disable user", {"userName": "ann"})])
    assert [entry["operation"] for entry in found] == ["create user", "disable user"]
    found = tenant.assert_received_in_order(["create user", "create user", "disable user"])
    assert [entry["request"]["body"].get("userName") for entry in found[:2]] == ["ann", "bob"]
    tenant.assert_received_in_order([(None, {"userName": "bob"})])  # any operation


def test_out_of_order_names_the_missing_step_and_where(scim_tenant):
    tenant = scim_tenant()
    make_ann_bob_and_disable_ann(tenant)
    with pytest.raises(AssertionError) as failure:
        tenant.assert_received_in_order(
            ["disable user", ("create user", {"userName": "bob"})])
    text = str(failure.value)
    assert text.startswith("expected 2 request(s) in order; step 2, 'create user' for "
                           "userName 'bob', was not received after step 1 (request #3); it "
                           "matched only earlier, request(s) #2.")
    assert "  1. 'disable user'  (request #3)\n  2. 'create user' for userName 'bob'\n" in text
    assert "> #3 PATCH /Users/" in text and "  #2 POST /Users (create user)" in text


def test_a_step_never_received_says_so(scim_tenant):
    tenant = scim_tenant()
    make_ann_bob_and_disable_ann(tenant)
    with pytest.raises(AssertionError, match=r"step 1, 'delete user' for userName 'ann', was "
                                             r"never received"):
        tenant.assert_received_in_order([("delete user", {"userName": "ann"}), "create user"])
    # One request cannot stand for two steps.
    with pytest.raises(AssertionError, match="step 2, 'disable user', was not received after"):
        tenant.assert_received_in_order(["disable user", "disable user"])


@pytest.mark.parametrize(("expected", "error"), [
    ("create user", "give a list"),
    ([], "at least one"),
    (["created user"], "Unknown operation 'created user'"),
    ([("create user", "ann")], "each item is an operation label"),
    ([("create user",)], "each item is an operation label"),
])
def test_a_malformed_order_is_an_error(scim_tenant, expected, error):
    with pytest.raises(ValueError, match=error):
        scim_tenant().assert_received_in_order(expected)


# From an outside project ---------------------------------------------------------------------

def test_counted_and_ordered_assertions_from_an_outside_project(pytester, run_inner):
    pytester.makepyfile(f"""
        DISABLE = {DISABLE!r}

        def sync(tenant):
            ann = tenant.client.post("/Users", json={{"userName": "ann"}}).json()
            tenant.client.patch("/Users/" + ann["id"], json=DISABLE)

        def test_passes(scim_tenant):
            tenant = scim_tenant("generic")
            sync(tenant)
            tenant.assert_received("create user", times=1, userName="ann")
            tenant.assert_received("disable user", at_least=1, at_most=1)
            tenant.assert_received_in_order(["create user",
                                             ("disable user", {{"userName": "ann"}})])
            assert len(tenant.received("create user")) == 1

        def test_counted_too_often(scim_tenant):
            tenant = scim_tenant("generic")
            sync(tenant)
            tenant.client.post("/Users", json={{"userName": "ann"}})
            tenant.assert_received("create user", times=1, userName="ann")

        def test_wrong_order(scim_tenant):
            tenant = scim_tenant("generic")
            sync(tenant)
            tenant.assert_received_in_order(["disable user", "create user"])
    """)
    result = run_inner()
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines([
        "E*AssertionError: expected exactly 1 'create user' request(s) for userName 'ann'; "
        "2 matched, of 3 received (matching ones marked >):",
        "E*> #1 POST /Users (create user) 201 [[]userName 'ann'[]]",
        "E*  #2 PATCH /Users/* (disable user) 200 [[]userName 'ann'[]]",
        "E*> #3 POST /Users (create user) 409 [[]userName 'ann'[]]",
    ])
    result.stdout.fnmatch_lines([
        "E*AssertionError: expected 2 request(s) in order; step 2, 'create user', was not "
        "received after step 1 (request #2); it matched only earlier, request(s) #1.",
    ])
    result.stdout.no_fnmatch_line("*sandbox/testing/*")
