"""POST /Bulk on `generic` (RFC 7644 §3.7): the RFC's examples of §3.7.1 to 3.7.3 with request
bodies written after their structure, the limits of §3.7.4, errors, and the journal."""

from __future__ import annotations

import json

import pytest
from scim_client import ADMIN_TOKEN, GROUP_SCHEMA, PATCH_OP, USER_SCHEMA, new_tenant

BULK_REQUEST = "urn:ietf:params:scim:api:messages:2.0:BulkRequest"
BULK_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:BulkResponse"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


def bulk(*operations, **extra):
    return {"schemas": [BULK_REQUEST], **extra, "Operations": list(operations)}


def post_user(bulk_id, user_name):
    return {"method": "POST", "path": "/Users", "bulkId": bulk_id,
            "data": {"schemas": [USER_SCHEMA], "userName": user_name}}


def post_group(bulk_id, name, *member_refs):
    return {"method": "POST", "path": "/Groups", "bulkId": bulk_id,
            "data": {"schemas": [GROUP_SCHEMA], "displayName": name,
                     "members": [{"type": "User", "value": ref} for ref in member_refs]}}


def send(tenant, body):
    """POST the bulk request; 200 with a BulkResponse expected; its operations returned."""
    response = tenant.post("/Bulk", body)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/scim+json"
    answer = response.get_json()
    assert answer["schemas"] == [BULK_RESPONSE]
    return answer["Operations"]


def error_of(result, status, scim_type=None):
    """A failed operation's result: status as a string and a SCIM error body (§3.7.3)."""
    assert result["status"] == str(status), result
    error = result["response"]
    assert error["schemas"] == [ERROR] and error["status"] == str(status), error
    assert error["detail"].strip()
    if scim_type is not None:
        assert error.get("scimType") == scim_type, error
    return error


def names(tenant, path="/Users", attribute="userName"):
    return sorted(r[attribute] for r in tenant.list(path).get("Resources", []))


def id_of(location):
    return location.rsplit("/", 1)[1]


# RFC 7644 §3.7.2: bulkId temporary identifiers ------------------------------------------------

def test_rfc_3_7_2_a_group_names_a_user_created_in_the_same_request(tenant):
    """RFC 7644 §3.7.2: "bulkId:qwerty" in the group's members is the id the POST with
    bulkId qwerty made."""
    results = send(tenant, bulk(post_user("qwerty", "Alice"),
                                post_group("ytrewq", "Tour Guides", "bulkId:qwerty")))
    user, group = results
    assert (user["method"], user["bulkId"], user["status"]) == ("POST", "qwerty", "201")
    assert (group["bulkId"], group["status"]) == ("ytrewq", "201")
    assert user["location"] == f"{tenant.url}/Users/{id_of(user['location'])}"
    assert group["location"].startswith(f"{tenant.url}/Groups/")
    assert user["version"] == tenant.user(id_of(user["location"]))["meta"]["version"]
    stored = tenant.group(id_of(group["location"]))
    assert [m["value"] for m in stored["members"]] == [id_of(user["location"])]
    assert tenant.user(id_of(user["location"]))["groups"][0]["display"] == "Tour Guides"


def test_rfc_3_7_2_a_reference_to_a_later_operation_waits_for_it(tenant):
    """RFC 7644 §3.7.2: the service provider resolves a bulkId whatever the order the
    operations come in; the answer keeps the order they were sent in."""
    results = send(tenant, bulk(
        post_group("ytrewq", "Tour Guides", "bulkId:qwerty", "bulkId:zaq"),
        post_user("qwerty", "Alice"), post_user("zaq", "Bob"),
    ))
    assert [(r["bulkId"], r["status"]) for r in results] == [
        ("ytrewq", "201"), ("qwerty", "201"), ("zaq", "201")]
    members = tenant.group(id_of(results[0]["location"]))["members"]
    assert sorted(m["value"] for m in members) == sorted(id_of(r["location"])
                                                         for r in results[1:])


def test_a_bulk_id_in_a_path_names_the_resource_the_post_made(tenant):
    results = send(tenant, bulk(
        post_user("qwerty", "alice"),
        {"method": "PATCH", "path": "/Users/bulkId:qwerty",
         "data": {"schemas": [PATCH_OP],
                  "Operations": [{"op": "replace", "path": "displayName", "value": "Al"}]}},
        {"method": "DELETE", "path": "/Users/bulkId:qwerty"},
    ))
    uid = id_of(results[0]["location"])
    assert [r["status"] for r in results] == ["201", "200", "204"]
    assert results[1]["location"] == results[2]["location"] == f"{tenant.url}/Users/{uid}"
    assert results[1]["version"] == 'W/"2"'
    assert tenant.get(f"/Users/{uid}").status_code == 404


def test_references_to_unknown_or_failed_bulk_ids(tenant):
    tenant.create_user("taken")
    results = send(tenant, bulk(
        post_group("g1", "Nobody", "bulkId:missing"),
        post_user("dup", "taken"),
        post_group("g2", "Depends", "bulkId:dup"),
    ))
    error_of(results[0], 400, "invalidValue")
    assert "missing" in results[0]["response"]["detail"]
    error_of(results[1], 409, "uniqueness")
    assert "dup" in error_of(results[2], 409)["detail"]
    assert names(tenant, "/Groups", "displayName") == []


# RFC 7644 §3.7.3: responses and errors --------------------------------------------------------

@pytest.fixture
def three_users(tenant):
    return [tenant.create_user(name) for name in ("bjensen", "jsmith", "mdoe")]


def test_rfc_3_7_3_post_put_patch_delete_each_answer_as_alone(tenant, three_users):
    """RFC 7644 §3.7.3: each operation's result has its method, status, location and the
    new version; a DELETE's has no version."""
    put_user, patch_user, delete_user = three_users
    results = send(tenant, bulk(
        post_user("qwerty", "Alice"),
        {"method": "PUT", "path": f"/Users/{put_user['id']}",
         "version": put_user["meta"]["version"],
         "data": {"schemas": [USER_SCHEMA], "userName": "bjensen", "displayName": "Babs"}},
        {"method": "PATCH", "path": f"/Users/{patch_user['id']}",
         "version": patch_user["meta"]["version"],
         "data": {"schemas": [PATCH_OP], "Operations": [
             {"op": "replace", "path": "userName", "value": "john.smith"}]}},
        {"method": "DELETE", "path": f"/Users/{delete_user['id']}",
         "version": delete_user["meta"]["version"]},
    ))
    assert [(r["method"], r["status"]) for r in results] == [
        ("POST", "201"), ("PUT", "200"), ("PATCH", "200"), ("DELETE", "204")]
    for result, user in zip(results[1:], three_users, strict=True):
        assert result["location"] == f"{tenant.url}/Users/{user['id']}"
    assert results[1]["version"] == results[2]["version"] == 'W/"2"'
    assert "version" not in results[3] and "response" not in results[3]
    assert tenant.user(put_user["id"])["displayName"] == "Babs"
    assert tenant.user(patch_user["id"])["userName"] == "john.smith"
    assert names(tenant) == ["Alice", "bjensen", "john.smith"]


def _failing_request(users):
    put_user, patch_user, _ = users
    return (
        {"method": "POST", "path": "/Users", "bulkId": "qwerty",
         "data": {"schemas": [USER_SCHEMA], "userName": 42}},
        {"method": "PUT", "path": f"/Users/{put_user['id']}", "version": 'W/"9"',
         "data": {"schemas": [USER_SCHEMA], "userName": "bjensen", "displayName": "X"}},
        {"method": "PATCH", "path": f"/Users/{patch_user['id']}",
         "data": {"schemas": [PATCH_OP], "Operations": [
             {"op": "replace", "path": "displayName", "value": "Jo"}]}},
    )


def test_rfc_3_7_3_fail_on_errors_stops_after_that_many_errors(tenant, three_users):
    """RFC 7644 §3.7.3: with failOnErrors 1 the run stops at the first failure; the answer
    lists only the operations that ran, and nothing after them changed."""
    results = send(tenant, bulk(*_failing_request(three_users), failOnErrors=1))
    assert len(results) == 1
    error_of(results[0], 400)
    assert "location" not in results[0]
    assert "displayName" not in tenant.user(three_users[1]["id"])


def test_rfc_3_7_3_without_fail_on_errors_every_operation_runs(tenant, three_users):
    """RFC 7644 §3.7.3: without failOnErrors the service provider goes on after errors."""
    results = send(tenant, bulk(*_failing_request(three_users)))
    error_of(results[0], 400)
    error_of(results[1], 412)
    assert results[1]["location"] == f"{tenant.url}/Users/{three_users[0]['id']}"
    assert results[2]["status"] == "200"
    assert "displayName" not in tenant.user(three_users[0]["id"])
    assert tenant.user(three_users[1]["id"])["displayName"] == "Jo"


def test_fail_on_errors_two_allows_one_failure(tenant, three_users):
    results = send(tenant, bulk(*_failing_request(three_users), failOnErrors=2))
    assert [r["status"] for r in results] == ["400", "412"]


@pytest.mark.parametrize("operation, status, scim_type", [
    ({"method": "GET", "path": "/Users"}, 400, "invalidValue"),
    ({"method": "POST", "path": "/Users", "data": {"userName": "x"}}, 400, "invalidValue"),
    ({"method": "POST", "path": "/Widgets", "bulkId": "w", "data": {}}, 404, None),
    ({"method": "POST", "path": "/Users/1", "bulkId": "w", "data": {"userName": "x"}}, 405,
     None),
    ({"method": "DELETE", "path": "/Users"}, 405, None),
    ({"method": "DELETE", "path": "/Users/nobody"}, 404, None),
    ({"method": "PUT", "path": "/Users/1/name", "data": {}}, 400, "invalidPath"),
])
def test_a_wrong_operation_fails_alone_with_a_scim_error(tenant, operation, status, scim_type):
    results = send(tenant, bulk(operation, post_user("ok", "still.made")))
    error_of(results[0], status, scim_type)
    assert results[1]["status"] == "201"
    assert names(tenant) == ["still.made"]


# Requests refused whole -----------------------------------------------------------------------

@pytest.mark.parametrize("body", [
    {"Operations": [post_user("a", "a")]},
    bulk(),
    bulk(post_user("a", "a"), failOnErrors=-1),
    bulk(post_user("a", "a"), post_user("a", "b")),
    [post_user("a", "a")],
])
def test_a_wrong_envelope_changes_nothing(tenant, scim_error, body):
    scim_error(tenant.post("/Bulk", body), 400)
    assert names(tenant) == []


def test_limits_are_announced_and_413_past_them(app_factory, scim_error):
    """RFC 7644 §3.7.4: over maxOperations or maxPayloadSize is a 413 and nothing runs;
    /ServiceProviderConfig announces the limits (the body limit caps the payload)."""
    tenant = new_tenant(app_factory(max_body_bytes=4096).test_client())
    config = tenant.get("/ServiceProviderConfig").get_json()["bulk"]
    assert config == {"supported": True, "maxOperations": 1000, "maxPayloadSize": 4096}
    big = bulk(*(post_user(f"u{i}", f"user{i}") for i in range(60)))
    assert len(json.dumps(big)) > 4096
    error = scim_error(tenant.post("/Bulk", big), 413)
    assert "maxPayloadSize (4096)" in error["detail"]
    many = bulk(*({"method": "DELETE", "path": f"/Users/{i}"} for i in range(1001)))
    default = new_tenant(app_factory().test_client())
    error = scim_error(default.post("/Bulk", many), 413)
    assert "maxOperations (1000)" in error["detail"]
    assert names(tenant) == names(default) == []


def test_service_provider_config_of_generic_announces_bulk(tenant):
    config = tenant.get("/ServiceProviderConfig").get_json()["bulk"]
    assert config == {"supported": True, "maxOperations": 1000, "maxPayloadSize": 1048576}


# Other vendors, other methods, the journal ----------------------------------------------------

@pytest.mark.parametrize("vendor", ["olfeo", "visitly", "velpic", "vaultplatform", "veritas"])
def test_vendors_without_bulk_answer_404(client, scim_error, vendor):
    tenant = new_tenant(client, vendor)
    error = scim_error(tenant.post("/Bulk", bulk(post_user("a", "a"))), 404)
    assert "/Bulk" in error["detail"]
    assert tenant.get("/ServiceProviderConfig").get_json()["bulk"]["supported"] is False


def test_bulk_answers_only_post(tenant, scim_error):
    response = tenant.get("/Bulk")
    scim_error(response, 405)
    assert response.headers["Allow"] == "POST"


def test_the_journal_labels_a_bulk_request(tenant, client):
    send(tenant, bulk(post_user("a", "ann")))
    entries = client.get(f"/_sandbox/tenants/{tenant.id}/journal",
                         query_string={"operation": "bulk"},
                         headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}).get_json()
    [entry] = entries["entries"]
    assert (entry["method"], entry["status"], entry["operation"]) == ("POST", 200, "bulk")
    assert entry["request"]["body"]["Operations"][0]["bulkId"] == "a"
    assert entry["response"]["body"]["Operations"][0]["status"] == "201"


def test_a_fault_can_answer_bulk_requests(tenant, client):
    admin = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    added = client.post(f"/_sandbox/tenants/{tenant.id}/faults", headers=admin,
                        json={"operation": "bulk", "status": 503, "times": 1})
    assert added.status_code == 201, added.get_data(as_text=True)
    assert tenant.post("/Bulk", bulk(post_user("a", "ann"))).status_code == 503
    assert names(tenant) == []
    assert send(tenant, bulk(post_user("a", "ann")))[0]["status"] == "201"


def test_a_bare_bulk_id_prefix_is_plain_text_not_a_500(tenant):
    """"bulkId:" with no name after it names no operation (RFC 7644 §3.7.2 references are
    "bulkId:<id>"): it is stored as the text it is, as any other string."""
    results = send(tenant, bulk(
        {"method": "POST", "path": "/Groups", "bulkId": "g",
         "data": {"schemas": [GROUP_SCHEMA], "displayName": "bulkId:"}},
    ))
    assert results[0]["status"] == "201", results
    assert names(tenant, "/Groups", "displayName") == ["bulkId:"]
