"""Reading a bulk request (RFC 7644 §3.7) and planning its order, without HTTP."""

from __future__ import annotations

import pytest

from sandbox.scim.bulk import (
    BULK_REQUEST_SCHEMA,
    BulkLimits,
    BulkRequest,
    detached,
    references,
    resolved,
    split_path,
)
from sandbox.scim.errors import ScimError


def bulk(*operations, **extra):
    return {"schemas": [BULK_REQUEST_SCHEMA], "Operations": list(operations), **extra}


def post(bulk_id, path="/Users", **data):
    return {"method": "POST", "path": path, "bulkId": bulk_id, "data": data}


DEFAULT_LIMITS = BulkLimits()


def read(body, limits=DEFAULT_LIMITS):
    return BulkRequest.read(body, limits)


def refused(body, limits=DEFAULT_LIMITS) -> ScimError:
    with pytest.raises(ScimError) as caught:
        read(body, limits)
    return caught.value


def test_references_are_found_at_any_depth_and_in_paths():
    data = {"members": [{"value": "bulkId:a"}, {"value": "42"}],
            "manager": {"value": "bulkId:b"}, "note": "a bulkId: in prose"}
    assert references(data) == {"a", "b"}
    assert references("/Groups/bulkId:g") == {"g"}
    assert references("bulkId:") == set()


def test_resolved_replaces_each_reference_and_leaves_the_rest():
    data = {"members": [{"value": "bulkId:a"}, {"value": "42"}], "n": 3}
    assert resolved(data, {"a": "id-a"}) == {"members": [{"value": "id-a"}, {"value": "42"}],
                                             "n": 3}
    assert resolved("/Groups/bulkId:g", {"g": "G1"}) == "/Groups/G1"


@pytest.mark.parametrize("path, expected", [("/Users", ("Users", None)),
                                            ("/Users/42", ("Users", "42"))])
def test_split_path(path, expected):
    assert split_path(path) == expected


@pytest.mark.parametrize("path", ["/", "/Users/42/name"])
def test_split_path_refuses_other_shapes(path):
    with pytest.raises(ScimError) as caught:
        split_path(path)
    assert caught.value.scim_type == "invalidPath"


def test_operation_names_are_read_in_any_letter_case():
    request = read({"schemas": [BULK_REQUEST_SCHEMA], "failonerrors": 2, "operations": [
        {"METHOD": "post", "BulkID": "x", "Path": "/Users", "DATA": {"userName": "a"}}]})
    op = request.operations[0]
    assert (op.method, op.bulk_id, op.path, op.problem) == ("POST", "x", "/Users", None)
    assert request.fail_on_errors == 2


@pytest.mark.parametrize("body, scim_type", [
    ([], "invalidSyntax"),
    ({"Operations": [post("a")]}, "invalidSyntax"),  # no schemas
    (bulk(), "invalidSyntax"),  # no operation
    (bulk(post("a"), failOnErrors=0), "invalidValue"),
    (bulk(post("a"), failOnErrors="1"), "invalidValue"),
    (bulk(post("a"), post("a")), "invalidValue"),  # one bulkId twice
])
def test_a_wrong_envelope_is_refused_whole(body, scim_type):
    error = refused(body)
    assert (error.status, error.scim_type) == (400, scim_type)


def test_limits_are_413_before_any_operation_is_read():
    error = refused(bulk(post("a"), post("b"), post("c")), BulkLimits(max_operations=2))
    assert error.status == 413 and "maxOperations (2)" in error.detail
    with pytest.raises(ScimError) as caught:
        BulkLimits(max_payload_size=100).check_payload(101)
    assert caught.value.status == 413 and "maxPayloadSize (100)" in caught.value.detail
    BulkLimits(max_payload_size=100).check_payload(100)


@pytest.mark.parametrize("operation, scim_type", [
    ("not an object", "invalidSyntax"),
    ({"method": "GET", "path": "/Users"}, "invalidValue"),
    ({"method": "POST", "path": "/Users", "data": {}}, "invalidValue"),  # no bulkId
    ({"method": "PUT", "path": "/Users/1"}, "invalidSyntax"),  # no data
    ({"method": "DELETE"}, "invalidPath"),
    ({"method": "DELETE", "path": "/Users/1", "version": 3}, "invalidValue"),
])
def test_a_wrong_operation_fails_alone(operation, scim_type):
    request = read(bulk(operation, post("ok", userName="a")))
    assert request.operations[0].problem is not None
    assert request.operations[0].problem.scim_type == scim_type
    assert request.operations[1].problem is None


def test_plan_runs_each_operation_after_the_posts_it_names():
    request = read(bulk(
        post("g", "/Groups", displayName="G", members=[{"value": "bulkId:u"}]),
        {"method": "DELETE", "path": "/Users/bulkId:v"},
        post("u", userName="u"),
        post("v", userName="v"),
    ))
    plan = request.plan()
    assert plan.order == [2, 0, 3, 1] and plan.circular == []


def test_plan_sets_circles_apart_with_what_depends_on_them():
    request = read(bulk(
        post("a", "/Groups", displayName="A", members=[{"value": "bulkId:b"}]),
        post("b", "/Groups", displayName="B", members=[{"value": "bulkId:a"}]),
        post("c", "/Groups", displayName="C", members=[{"value": "bulkId:a"}]),
        post("self", "/Groups", displayName="S", members=[{"value": "bulkId:self"}]),
        post("free", userName="free"),
    ))
    plan = request.plan()
    assert plan.order == [4] and plan.circular == [0, 1, 2, 3]


def test_detached_takes_out_the_items_that_name_the_given_bulk_ids():
    data = {"displayName": "A", "members": [{"value": "bulkId:b"}, {"value": "42"},
                                            {"value": "bulkId:c"}],
            "emails": [{"value": "a@example.test"}]}
    base, later = detached(data, {"b"})
    assert base == {"displayName": "A", "emails": data["emails"],
                    "members": [{"value": "42"}, {"value": "bulkId:c"}]}
    assert later == {"members": [{"value": "bulkId:b"}]}
    assert detached(data, set()) == (data, {})


def test_plan_leaves_out_skipped_operations_and_trusts_made_bulk_ids():
    request = read(bulk(post("a", path="/Groups", members=[{"value": "bulkId:b"}]),
                        post("b", path="/Groups", members=[{"value": "bulkId:a"}]),
                        {"method": "DELETE", "path": "/Groups/bulkId:a"}))
    assert request.plan().circular == [0, 1, 2]
    assert request.plan(skip={0}, made={"a"}).order == [1, 2]
