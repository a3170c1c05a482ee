"""POST /Bulk on `generic` with bulkId references that go round in a circle (RFC 7644
§3.7.1): the resources are made without the references that close the circle, which are
then added, so every operation succeeds; only a circle through a single-valued attribute is
refused, with a 409 whose detail stays short however many operations take part."""

from __future__ import annotations

from scim_client import ENTERPRISE, GROUP_SCHEMA, USER_SCHEMA
from test_bulk import bulk, error_of, id_of, names, post_group, post_user, send


def circular_groups(first="qwerty", second="ytrewq"):
    return (
        {"method": "POST", "path": "/Groups", "bulkId": first,
         "data": {"schemas": [GROUP_SCHEMA], "displayName": "Group A",
                  "members": [{"type": "Group", "value": f"bulkId:{second}"}]}},
        {"method": "POST", "path": "/Groups", "bulkId": second,
         "data": {"schemas": [GROUP_SCHEMA], "displayName": "Group B",
                  "members": [{"type": "Group", "value": f"bulkId:{first}"}]}},
    )


def test_rfc_3_7_1_example_two_groups_that_are_members_of_each_other(tenant):
    """RFC 7644 §3.7.1: the service provider must try to resolve circular references. Its
    example: group A (bulkId qwerty) has group B as member, B (bulkId ytrewq) has A. Both
    are created, each a member of the other, and each result carries the final version."""
    results = send(tenant, bulk(*circular_groups()))
    assert [(r["bulkId"], r["status"]) for r in results] == [("qwerty", "201"),
                                                           ("ytrewq", "201")]
    a, b = (tenant.group(id_of(r["location"])) for r in results)
    assert (a["displayName"], b["displayName"]) == ("Group A", "Group B")
    assert [m["value"] for m in a["members"]] == [b["id"]]
    assert [m["value"] for m in b["members"]] == [a["id"]]
    for result, group in zip(results, (a, b), strict=True):
        assert result["location"] == f"{tenant.url}/Groups/{group['id']}"
        assert result["version"] == group["meta"]["version"]


def test_a_circle_with_a_user_and_other_operations(tenant):
    """Operations that wait on a circle run once it is made: a PATCH naming one of its
    groups by bulkId, and a user the circle's groups name, all in one request."""
    results = send(tenant, bulk(
        {"method": "PATCH", "path": "/Groups/bulkId:a",
         "data": {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                  "Operations": [{"op": "replace", "path": "displayName",
                                  "value": "A renamed"}]}},
        post_group("a", "A", "bulkId:b", "bulkId:u"), post_group("b", "B", "bulkId:a"),
        post_user("u", "carol"),
    ))
    assert [r["status"] for r in results] == ["200", "201", "201", "201"]
    a = tenant.group(id_of(results[1]["location"]))
    assert a["displayName"] == "A renamed"
    assert sorted(m["value"] for m in a["members"]) == sorted(
        [id_of(results[2]["location"]), id_of(results[3]["location"])])


def test_a_circle_whose_post_fails_leaves_nothing_made(tenant):
    """B cannot be created (no displayName), so A, which names B, fails as it would alone;
    the group A made without its member is removed again."""
    a, b = circular_groups("a", "b")
    del b["data"]["displayName"]
    results = send(tenant, bulk(a, b))
    error_of(results[1], 400)
    assert "'b'" in error_of(results[0], 409)["detail"]
    assert "location" not in results[0]
    assert names(tenant, "/Groups", "displayName") == []


def test_a_circle_through_a_single_valued_attribute_is_a_409(tenant):
    """Two users each other's manager: the reference sits in a single-valued attribute,
    which cannot be left out and added afterwards; both fail with 409 and nothing is made,
    while an operation outside the circle still runs."""
    def user(bulk_id, other):
        return {"method": "POST", "path": "/Users", "bulkId": bulk_id,
                "data": {"schemas": [USER_SCHEMA, ENTERPRISE], "userName": bulk_id,
                         ENTERPRISE: {"manager": {"value": f"bulkId:{other}"}}}}
    results = send(tenant, bulk(user("ann", "bob"), user("bob", "ann"),
                                post_user("carol", "carol")))
    for result in results[:2]:
        assert "circle" in error_of(result, 409)["detail"]
    assert results[2]["status"] == "201"
    assert names(tenant) == ["carol"]


def test_a_long_circle_answer_stays_small(tenant):
    """A circle of 300 users through `manager`: each 409's detail names a few bulkIds and
    counts the rest, so the answer grows with the operations, not with their square."""
    ops = [{"method": "POST", "path": "/Users", "bulkId": f"u{i}",
            "data": {"schemas": [USER_SCHEMA, ENTERPRISE], "userName": f"u{i}",
                     ENTERPRISE: {"manager": {"value": f"bulkId:u{(i + 1) % 300}"}}}}
           for i in range(300)]
    response = tenant.post("/Bulk", bulk(*ops))
    assert response.status_code == 200
    results = response.get_json()["Operations"]
    assert all(r["status"] == "409" for r in results)
    assert "and 295 more" in results[0]["response"]["detail"]
    assert len(response.data) < 300 * 1000


def test_fail_on_errors_stops_before_a_circle(tenant):
    """failOnErrors counts the errors before the circle: once reached, the circle's POSTs
    do not start, and nothing of it is made."""
    tenant.create_user("taken")
    results = send(tenant, bulk(post_user("t", "taken"), *circular_groups(), failOnErrors=1))
    assert [r["bulkId"] for r in results] == ["t"]
    assert names(tenant, "/Groups", "displayName") == []
