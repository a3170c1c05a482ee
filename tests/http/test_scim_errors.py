"""Every refusal is an RFC 7644 §3.12 error body, and a refused write changes nothing."""

from __future__ import annotations

import json

import pytest

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


@pytest.fixture
def alice(tenant):
    return tenant.create_user("alice", title="Engineer", active=True,
                              emails=[{"value": "alice@example.com", "type": "work"}])


def snapshot(tenant) -> tuple:
    """Everything stored in the tenant, to compare before and after a refused write."""
    users = tenant.list("/Users", sortBy="userName")
    groups = tenant.list("/Groups", sortBy="displayName")
    return users["totalResults"], users.get("Resources"), groups.get("Resources")


# 401 ---------------------------------------------------------------------------------------


def test_no_authorization_is_401(tenant, alice, scim_error):
    for path in ("/Users", f"/Users/{alice['id']}", "/Groups", "/ServiceProviderConfig"):
        response = tenant.client.get(tenant.base + path)
        body = scim_error(response, 401)
        assert "alice" not in json.dumps(body)
        assert response.headers.get("WWW-Authenticate", "").startswith("Bearer")


def test_wrong_token_is_401(tenant, alice, scim_error):
    headers = {"Authorization": "Bearer not-the-token"}
    scim_error(tenant.client.get(tenant.base + "/Users", headers=headers), 401)
    scim_error(tenant.client.get(tenant.base + f"/Users/{alice['id']}", headers=headers), 401)
    before = snapshot(tenant)
    response = tenant.client.post(tenant.base + "/Users", headers={
        **headers, "Content-Type": "application/scim+json"},
        data=json.dumps({"schemas": [USER_SCHEMA], "userName": "intruder"}))
    scim_error(response, 401)
    scim_error(tenant.client.delete(tenant.base + f"/Users/{alice['id']}", headers=headers), 401)
    assert snapshot(tenant) == before


@pytest.mark.parametrize("authorization", [
    "Basic YWRtaW46YWRtaW4=", "Bearer", "Bearer ", "token", "",
])
def test_malformed_authorization_is_401(tenant, alice, scim_error, authorization):
    response = tenant.client.get(tenant.base + "/Users",
                                 headers={"Authorization": authorization})
    body = scim_error(response, 401)
    assert "alice" not in json.dumps(body)


@pytest.mark.parametrize("token", ["padded-token==", "key=value-token", "a=b,c=d-token"])
def test_a_token_holding_equals_signs_is_a_token(make_tenant, token):
    """Base64-style secrets are tokens, not auth parameters (RFC 6750 §2.1 b64token)."""
    made = make_tenant(token=token)
    for header in (f"Bearer {token}", f"bearer {token}", f"Bearer  {token} "):
        response = made.client.get(made.base + "/Users", headers={"Authorization": header})
        assert response.status_code == 200, header


def test_token_with_different_case_is_401(tenant, scim_error):
    swapped = tenant.token.swapcase()
    if swapped == tenant.token:
        pytest.skip("token has no letters")
    response = tenant.client.get(tenant.base + "/Users",
                                 headers={"Authorization": f"Bearer {swapped}"})
    scim_error(response, 401)


def test_another_tenants_token_is_401_and_reveals_nothing(tenant, make_tenant, alice,
                                                          scim_error):
    other = make_tenant()
    other.create_user("bob")
    headers = {"Authorization": f"Bearer {other.token}", "Content-Type": "application/scim+json"}
    for path in ("/Users", f"/Users/{alice['id']}", '/Users?filter=userName eq "alice"'):
        body = scim_error(tenant.client.get(tenant.base + path, headers=headers), 401)
        assert "alice" not in json.dumps(body) and alice["id"] not in json.dumps(body)
    before = snapshot(tenant)
    scim_error(tenant.client.delete(tenant.base + f"/Users/{alice['id']}", headers=headers), 401)
    scim_error(tenant.client.patch(tenant.base + f"/Users/{alice['id']}", headers=headers,
                                   data=json.dumps({"schemas": [PATCH_OP], "Operations": [
                                       {"op": "replace", "path": "title", "value": "x"}]})),
               401)
    assert snapshot(tenant) == before
    assert other.list()["totalResults"] == 1


# 404 ---------------------------------------------------------------------------------------


def test_unknown_id_is_404_for_every_method(tenant, alice, scim_error):
    before = snapshot(tenant)
    scim_error(tenant.get("/Users/nope"), 404)
    scim_error(tenant.get("/Groups/nope"), 404)
    scim_error(tenant.put("/Users/nope", {"schemas": [USER_SCHEMA], "userName": "nope"}), 404)
    scim_error(tenant.patch_ops("/Users/nope", {"op": "replace", "path": "title",
                                                "value": "x"}), 404)
    scim_error(tenant.delete("/Users/nope"), 404)
    scim_error(tenant.delete("/Groups/nope"), 404)
    # A user id is not a group id.
    scim_error(tenant.get(f"/Groups/{alice['id']}"), 404)
    assert snapshot(tenant) == before


@pytest.mark.parametrize("path", ["/Foo", "/Devices", "/Users/x/y", "", "/"])
def test_unknown_endpoint_under_a_tenant_is_404(tenant, scim_error, path):
    scim_error(tenant.get(path), 404)


def test_unknown_endpoint_write_is_404_not_a_create(tenant, scim_error):
    before = snapshot(tenant)
    scim_error(tenant.post("/Foo", {"schemas": [USER_SCHEMA], "userName": "x"}), 404)
    assert snapshot(tenant) == before


def test_unknown_tenant_is_404(tenant, scim_error):
    """The tenant id in the URL names no tenant: 404, as for any unknown SCIM URL."""
    other_url = tenant.base.replace(tenant.id, "no-such-tenant")
    response = tenant.client.get(other_url + "/Users", headers=tenant.headers)
    scim_error(response, 404)


def test_unknown_tenant_is_refused_without_data(tenant, alice, scim_error):
    other_url = tenant.base.replace(tenant.id, "no-such-tenant")
    response = tenant.client.get(other_url + "/Users", headers=tenant.headers)
    assert response.status_code in (401, 404)
    body = scim_error(response, response.status_code)
    assert "alice" not in json.dumps(body)


@pytest.mark.parametrize("path", ["/Users", "/scim/v2/Users", "/nothing/here", "/generic",
                                  "/_sandbox/nope", "/console/nope"])
def test_path_outside_any_tenant_is_404(client, tenant, scim_error, path):
    scim_error(client.get(path, headers=tenant.headers), 404)


def test_the_root_is_the_console_and_sends_a_scim_client_to_sign_in(client, tenant):
    """`/` is the training console: a redirect to its sign-in page, never tenant data."""
    response = client.get("/", headers=tenant.headers)
    assert response.status_code == 302
    assert response.headers["Location"] == "/console/login?next=/"


# 405 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path"), [
    ("DELETE", "/Users"),
    ("PUT", "/Users"),
    ("PATCH", "/Groups"),
    ("GET", "/.search"),
    ("GET", "/Users/.search"),
    ("POST", "/ServiceProviderConfig"),
    ("DELETE", "/Schemas"),
])
def test_wrong_method_is_405(tenant, alice, scim_error, method, path):
    before = snapshot(tenant)
    response = tenant.client.open(tenant.base + path, method=method, headers=tenant.headers,
                                  data=json.dumps({"schemas": [USER_SCHEMA], "userName": "x"}))
    scim_error(response, 405)
    assert snapshot(tenant) == before


def test_post_on_a_resource_is_405(tenant, alice, scim_error):
    before = snapshot(tenant)
    response = tenant.post(f"/Users/{alice['id']}", {"schemas": [USER_SCHEMA],
                                                     "userName": "x"})
    scim_error(response, 405)
    assert snapshot(tenant) == before


def test_405_names_the_allowed_methods(tenant, scim_error):
    response = tenant.delete("/Users")
    scim_error(response, 405)
    allowed = {m.strip() for m in response.headers.get("Allow", "").split(",")}
    assert {"GET", "POST"} <= allowed
    assert "DELETE" not in allowed


def test_options_is_a_scim_405_not_an_unauthenticated_answer(tenant, scim_error):
    response = tenant.client.options(tenant.base + "/Users")
    scim_error(response, 405)


# 413 ---------------------------------------------------------------------------------------


def test_body_larger_than_the_limit_is_413(app_factory, tenant_in, scim_error):
    small = tenant_in(app_factory(max_body_bytes=2000).test_client())
    kept = small.create_user("kept")
    before = snapshot(small)
    big = {"schemas": [USER_SCHEMA], "userName": "big", "displayName": "x" * 5000}
    scim_error(small.post("/Users", big), 413)
    scim_error(small.put(f"/Users/{kept['id']}", big), 413)
    scim_error(small.patch_ops(f"/Users/{kept['id']}",
                               {"op": "replace", "path": "displayName", "value": "x" * 5000}),
               413)
    assert snapshot(small) == before
    assert small.create_user("small")["userName"] == "small"


def test_body_within_the_limit_is_accepted(app_factory, tenant_in):
    small = tenant_in(app_factory(max_body_bytes=2000).test_client())
    assert small.create_user("u", displayName="x" * 1500)["displayName"] == "x" * 1500


# 415 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "application/xml", None])
def test_unsupported_media_type_is_415(tenant, alice, scim_error, content_type):
    before = snapshot(tenant)
    body = json.dumps({"schemas": [USER_SCHEMA], "userName": "x"})
    headers = {"Authorization": f"Bearer {tenant.token}"}
    if content_type:
        headers["Content-Type"] = content_type
    for method, path in (("POST", "/Users"), ("PUT", f"/Users/{alice['id']}"),
                         ("PATCH", f"/Users/{alice['id']}"), ("POST", "/Users/.search")):
        response = tenant.client.open(tenant.base + path, method=method, headers=headers,
                                      data=body)
        scim_error(response, 415)
    assert snapshot(tenant) == before


# 400 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ['{"userName": "x"', "{'userName': 'x'}", "userName=x",
                                 "", "   ", '{"userName": "x"} trailing', "\xff\xfe"])
def test_malformed_json_is_400_invalid_syntax(tenant, alice, scim_error, raw):
    before = snapshot(tenant)
    scim_error(tenant.post("/Users", data=raw), 400, "invalidSyntax")
    scim_error(tenant.put(f"/Users/{alice['id']}", data=raw), 400, "invalidSyntax")
    scim_error(tenant.patch(f"/Users/{alice['id']}", data=raw), 400, "invalidSyntax")
    scim_error(tenant.post("/Groups", data=raw), 400, "invalidSyntax")
    assert snapshot(tenant) == before


@pytest.mark.parametrize("body", [[{"schemas": [USER_SCHEMA], "userName": "x"}], "x", 42,
                                  None, True])
def test_json_that_is_not_an_object_is_400_invalid_syntax(tenant, alice, scim_error, body):
    before = snapshot(tenant)
    raw = json.dumps(body)
    scim_error(tenant.post("/Users", data=raw), 400, "invalidSyntax")
    scim_error(tenant.put(f"/Users/{alice['id']}", data=raw), 400, "invalidSyntax")
    scim_error(tenant.post("/Users/.search", data=raw), 400, "invalidSyntax")
    assert snapshot(tenant) == before


def test_patch_body_that_is_not_a_patch_op_is_400(tenant, alice, scim_error):
    before = snapshot(tenant)
    for body in ([{"op": "replace", "path": "title", "value": "x"}],
                 {"schemas": [PATCH_OP]},
                 {"schemas": [PATCH_OP], "Operations": []},
                 {"schemas": [PATCH_OP], "Operations": "replace"},
                 {"schemas": [PATCH_OP], "Operations": [42]},
                 {"schemas": [USER_SCHEMA], "Operations": [{"op": "replace", "path": "title",
                                                            "value": "x"}]}):
        response = tenant.patch(f"/Users/{alice['id']}", body)
        scim_error(response, 400)
    assert snapshot(tenant) == before


@pytest.mark.parametrize("filter_text", [
    'userName eq', 'userName zz "x"', '(userName eq "x"', 'userName eq "x")',
    'userName eq "x" and', 'and userName eq "x"', 'userName eq "unterminated',
    'emails[type eq "work"', 'userName eq "x" or or userName eq "y"', '"x" eq userName',
    'userName pr "x"', 'not userName eq "x"', "[]", "userName eq x y",
])
def test_bad_filter_syntax_is_400_invalid_filter(tenant, alice, scim_error, filter_text):
    scim_error(tenant.get("/Users", query_string={"filter": filter_text}), 400, "invalidFilter")
    scim_error(tenant.post("/Users/.search", {"filter": filter_text}), 400, "invalidFilter")


@pytest.mark.parametrize("filter_text", [
    'foo eq "x"', 'name.nickname eq "x"', 'emails[foo eq "x"]',
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:shoeSize eq "9"',
    'urn:example:unknown:1.0:User:userName eq "alice"',
])
def test_filter_on_unknown_attribute_is_400_invalid_filter(tenant, alice, scim_error,
                                                           filter_text):
    scim_error(tenant.get("/Users", query_string={"filter": filter_text}), 400, "invalidFilter")


def test_wrong_attribute_type_is_400_invalid_value(tenant, alice, scim_error):
    before = snapshot(tenant)
    bad_values = [{"active": "maybe"}, {"active": 1}, {"name": "Alice Smith"},
                  {"emails": "alice@example.com"}, {"displayName": 42},
                  {"emails": [{"value": "a@x", "primary": True}, {"value": "b@x",
                                                                  "primary": True}]}]
    for bad in bad_values:
        body = {"schemas": [USER_SCHEMA], "userName": "newbie", **bad}
        scim_error(tenant.post("/Users", body), 400, "invalidValue")
        body["userName"] = "alice"
        scim_error(tenant.put(f"/Users/{alice['id']}", body), 400, "invalidValue")
    scim_error(tenant.patch_ops(f"/Users/{alice['id']}",
                                {"op": "replace", "path": "active", "value": "maybe"}),
               400, "invalidValue")
    assert snapshot(tenant) == before


def test_user_name_of_the_wrong_type_is_400(tenant, alice, scim_error):
    before = snapshot(tenant)
    for value in (42, ["alice2"], {"value": "alice2"}, True):
        scim_error(tenant.post("/Users", {"schemas": [USER_SCHEMA], "userName": value}), 400,
                   "invalidValue")
    assert snapshot(tenant) == before


@pytest.mark.parametrize("body", [
    {"schemas": [USER_SCHEMA]},
    {"schemas": [USER_SCHEMA], "userName": ""},
    {"schemas": [USER_SCHEMA], "userName": None},
    {"schemas": [USER_SCHEMA], "displayName": "No Name"},
])
def test_missing_user_name_is_400_invalid_value_naming_it(tenant, alice, scim_error, body):
    before = snapshot(tenant)
    error = scim_error(tenant.post("/Users", body), 400, "invalidValue")
    assert "userName" in error["detail"]
    error = scim_error(tenant.put(f"/Users/{alice['id']}", body), 400, "invalidValue")
    assert "userName" in error["detail"]
    assert snapshot(tenant) == before


def test_removing_user_name_by_patch_is_400(tenant, alice, scim_error):
    before = snapshot(tenant)
    response = tenant.patch_ops(f"/Users/{alice['id']}", {"op": "remove", "path": "userName"})
    scim_error(response, 400)
    assert snapshot(tenant) == before


def test_missing_group_display_name_is_400(tenant, scim_error):
    error = scim_error(tenant.post("/Groups", {"schemas": [GROUP_SCHEMA]}), 400, "invalidValue")
    assert "displayName" in error["detail"]
    assert tenant.list("/Groups")["totalResults"] == 0


def test_unknown_attribute_is_rejected_by_the_strict_profile(tenant, alice, scim_error):
    before = snapshot(tenant)
    scim_error(tenant.post("/Users", {"schemas": [USER_SCHEMA], "userName": "x",
                                      "shoeSize": 9}), 400)
    scim_error(tenant.patch_ops(f"/Users/{alice['id']}",
                                {"op": "add", "path": "shoeSize", "value": 9}), 400)
    assert snapshot(tenant) == before


def test_wrong_schemas_is_400(tenant, alice, scim_error):
    before = snapshot(tenant)
    for schemas in ([GROUP_SCHEMA], ["urn:example:nope"], "not-a-list"):
        response = tenant.post("/Users", {"schemas": schemas, "userName": "x"})
        scim_error(response, 400)
    assert snapshot(tenant) == before


@pytest.mark.parametrize("op", ["explode", "move", "copy", "", None, 1])
def test_unknown_patch_op_is_400_and_changes_nothing(tenant, alice, scim_error, op):
    before = snapshot(tenant)
    response = tenant.patch_ops(
        f"/Users/{alice['id']}",
        {"op": "replace", "path": "title", "value": "changed first"},
        {"op": op, "path": "title", "value": "boom"},
    )
    scim_error(response, 400)
    assert snapshot(tenant) == before


@pytest.mark.parametrize("operation", [
    {"op": "replace", "path": "emails[type eq", "value": "x"},
    {"op": "replace", "path": "nosuch.attr", "value": "x"},
    {"op": "replace", "path": "title"},
    {"op": "remove"},
    {"op": "add", "value": "not-an-object"},
    {"op": "replace", "path": "id", "value": "new-id"},
    {"op": "replace", "path": "meta.created", "value": "2000-01-01T00:00:00Z"},
    {"op": "replace", "path": "groups", "value": [{"value": "g"}]},
    {"op": "replace", "path": "name.givenName", "value": ["a", "b"]},
    {"op": "replace", "path": 'emails[type eq "home"].value', "value": 5},
    {"op": "remove", "path": 'emails[type eq "home" or]'},
    {"op": "replace", "path": 42, "value": "x"},
])
def test_bad_patch_operation_is_400_and_changes_nothing(tenant, alice, scim_error, operation):
    before = snapshot(tenant)
    response = tenant.patch_ops(f"/Users/{alice['id']}", operation)
    scim_error(response, 400)
    assert snapshot(tenant) == before


def test_failing_operation_rolls_back_earlier_ones(tenant, alice, scim_error):
    before = snapshot(tenant)
    response = tenant.patch_ops(
        f"/Users/{alice['id']}",
        {"op": "replace", "path": "title", "value": "Boss"},
        {"op": "replace", "path": "displayName", "value": "Alice"},
        {"op": "replace", "path": "active", "value": "perhaps"},
    )
    scim_error(response, 400, "invalidValue")
    assert snapshot(tenant) == before


@pytest.mark.parametrize("params", [
    {"count": "ten"}, {"startIndex": "first"}, {"sortBy": "shoeSize"},
    {"sortOrder": "sideways"}, {"attributes": "userName", "excludedAttributes": "emails"},
])
def test_bad_list_parameters_are_400(tenant, alice, scim_error, params):
    scim_error(tenant.get("/Users", query_string=params), 400)


# No 500 ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path", "body"), [
    ("GET", "/Users?filter=" + "(" * 500 + 'userName eq "x"' + ")" * 500, None),
    ("GET", "/Users?filter=" + "not (" * 300 + 'userName eq "x"' + ")" * 300, None),
    ("GET", '/Users?filter=meta.lastModified gt "yesterday"', None),
    ("GET", '/Users?filter=active gt "x"', None),
    ("GET", "/Users?filter=userName eq 1e999", None),
    ("GET", "/Users?filter=emails[value eq [x]]", None),
    ("GET", "/Users?count=99999999999999999999999", None),
    ("GET", "/Users?startIndex=-5&count=-1", None),
    ("GET", "/Users?attributes=,,,", None),
    ("GET", "/Users?attributes=urn:nope:x", None),
    ("GET", "/Users?sortBy=emails", None),
    ("GET", "/Users?sortBy=meta.created", None),
    ("POST", "/Users", {"schemas": [USER_SCHEMA], "userName": "a" * 10000}),
    ("POST", "/Users", {"schemas": [USER_SCHEMA], "userName": "z\u0000\ud7ff\U0001f600"}),
    ("POST", "/Users", {"userName": "deep", "name": {"givenName": {"a": {"b": {"c": 1}}}}}),
    ("POST", "/Users", {"userName": "n", "emails": [None, 1, "x", []]}),
    ("POST", "/Users", {"userName": "n", "emails": [{"value": {"nested": True}}]}),
    ("POST", "/Users", {"userName": "n", "meta": "string"}),
    ("POST", "/Users", {"userName": "n", "schemas": [None]}),
    ("POST", "/Users", {"userName": "n", "urn:ietf:params:scim:schemas:extension:enterprise:"
                                         "2.0:User": "Sales"}),
    ("POST", "/Users", {"userName": "n", "urn:ietf:params:scim:schemas:extension:enterprise:"
                                         "2.0:User": {"manager": 7}}),
    ("POST", "/Groups", {"displayName": "g", "members": [{"value": None}]}),
    ("POST", "/Groups", {"displayName": "g", "members": ["just-a-string"]}),
    ("POST", "/Groups", {"displayName": "g", "members": {"value": "x"}}),
    ("POST", "/Groups", {"displayName": ["g"]}),
    ("POST", "/.search", {"filter": 42}),
    ("POST", "/.search", {"count": "many"}),
    ("POST", "/.search", {"attributes": [1, 2]}),
    ("POST", "/.search", {"schemas": "x"}),
    ("POST", "/Users/.search", {"sortBy": ["userName"]}),
])
def test_hostile_input_never_causes_a_500(tenant, alice, method, path, body):
    before = snapshot(tenant)
    kwargs = {"data": json.dumps(body)} if body is not None else {}
    response = tenant.client.open(tenant.base + path, method=method, headers=tenant.headers,
                                  **kwargs)
    assert response.status_code < 500, response.get_data(as_text=True)
    assert response.mimetype == "application/scim+json"
    if response.status_code >= 400:
        assert response.get_json()["status"] == str(response.status_code)
        if method == "POST" and not path.endswith(".search"):
            assert snapshot(tenant) == before


@pytest.mark.parametrize("operation", [
    {"op": "add", "path": "emails", "value": [None]},
    {"op": "add", "path": "emails", "value": {"value": {"x": 1}}},
    {"op": "replace", "path": "emails[value eq \"alice@example.com\"].primary", "value": "yes"},
    {"op": "replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
     "value": "x"},
    {"op": "replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:"
                              "manager", "value": {"value": ["x"]}},
    {"op": "replace", "value": {"name.givenName": {"deep": 1}}},
    {"op": "replace", "value": {"": 1}},
    {"op": "replace", "value": {"emails[type eq \"work\"].value": ["x"]}},
    {"op": "replace", "path": "members", "value": [{"value": "x"}]},
    {"op": "remove", "path": "emails[type eq \"work\"].value", "value": 1},
    {"op": "add", "path": "name", "value": [[]]},
])
def test_hostile_patch_never_causes_a_500(tenant, alice, operation):
    before = snapshot(tenant)
    response = tenant.patch_ops(f"/Users/{alice['id']}", operation)
    assert response.status_code < 500, response.get_data(as_text=True)
    if response.status_code >= 400:
        assert response.get_json()["status"] == str(response.status_code)
        assert snapshot(tenant) == before


def test_doubled_slashes_get_scim_answers_not_html_redirects(tenant, scim_error):
    scim_error(tenant.get("//Users"), 404)
