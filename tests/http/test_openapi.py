"""GET /_sandbox/openapi.json: an OpenAPI 3.1 description of the admin API that matches the
real routes (every URL rule and method of /_sandbox, and nothing else) and the bodies they
really answer with."""

from __future__ import annotations

import re

import jsonschema
import pytest

OPENAPI = "/_sandbox/openapi.json"
IGNORED_METHODS = {"HEAD", "OPTIONS"}


@pytest.fixture
def spec(client):
    response = client.get(OPENAPI)  # no admin token: a description holds no secret
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    return response.get_json()


def described(spec) -> set[tuple[str, str]]:
    return {(method.upper(), path) for path, item in spec["paths"].items()
            for method in item if method != "parameters"}


def routed(app) -> set[tuple[str, str]]:
    """Every (method, path) the app serves under /_sandbox, in OpenAPI's {name} form."""
    found = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/_sandbox/"):
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        found.update((method, path) for method in rule.methods - IGNORED_METHODS)
    return found


def test_every_admin_route_is_described_and_nothing_else(app, spec):
    undescribed = sorted(routed(app) - described(spec))
    assert not undescribed, ("admin routes missing from sandbox/http/openapi_spec.py: "
                             + ", ".join(f"{m} {p}" for m, p in undescribed))
    unrouted = sorted(described(spec) - routed(app))
    assert not unrouted, ("openapi_spec.py describes routes the app does not serve: "
                          + ", ".join(f"{m} {p}" for m, p in unrouted))


def test_the_route_check_names_a_route_the_description_lacks(app_factory):
    """The comparison above can fail: a route added without its entry is named."""
    app = app_factory()
    app.add_url_rule("/_sandbox/tenants/<tenant_id>/widgets", "widgets", lambda tenant_id: "",
                     methods=["POST"])
    spec = app.test_client().get(OPENAPI).get_json()
    assert routed(app) - described(spec) == {("POST", "/_sandbox/tenants/{tenant_id}/widgets")}


def test_the_document_is_openapi_3_1_with_this_sandbox_as_server(spec):
    assert spec["openapi"] == "3.1.0"
    assert spec["info"]["title"] and spec["info"]["version"]
    assert spec["servers"] == [{"url": "http://localhost"}]
    assert spec["components"]["securitySchemes"]["adminToken"] == {
        **spec["components"]["securitySchemes"]["adminToken"], "type": "http",
        "scheme": "bearer"}


def test_each_operation_is_complete(spec):
    for path, item in spec["paths"].items():
        names = set(re.findall(r"{(\w+)}", path))
        declared = {p["name"] for p in item.get("parameters", ()) if p["in"] == "path"}
        assert declared == names, path
        for method, operation in item.items():
            if method == "parameters":
                continue
            assert operation["summary"].strip(), (method, path)
            statuses = set(operation["responses"])
            assert any(s.startswith("2") for s in statuses), (method, path)
            public = operation.get("security") == []
            assert public == (path in ("/_sandbox/health", OPENAPI)), (method, path)
            assert public or "401" in statuses, (method, path)


def test_every_reference_resolves_and_every_schema_is_valid(spec):
    text = str(spec)
    for target in set(re.findall(r"'\$ref': '#/components/(\w+)/(\w+)'", text)):
        assert target[1] in spec["components"][target[0]], target
    for name, schema in spec["components"]["schemas"].items():
        jsonschema.Draft202012Validator.check_schema(schema), name


def test_health_and_openapi_need_no_token_but_the_rest_does(client):
    assert client.get(OPENAPI).status_code == 200
    assert client.get("/_sandbox/health").status_code == 200
    assert client.get("/_sandbox/tenants").status_code == 401


# The bodies the routes really answer with match what the description says -------------------

def check(spec, response, method, path):
    """Validate an answer against the schema the description gives for its status."""
    operation = spec["paths"][path][method.lower()]
    declared = operation["responses"][str(response.status_code)]
    if "$ref" in declared:
        declared = spec["components"]["responses"][declared["$ref"].rsplit("/", 1)[1]]
    if response.status_code == 204:
        assert "content" not in declared and not response.get_data()
        return
    schema = declared["content"][response.mimetype]["schema"]
    jsonschema.validate(response.get_json(), {**schema, "components": spec["components"]},
                        cls=jsonschema.Draft202012Validator)


def test_the_answer_check_can_fail(spec, client, admin):
    response = client.get("/_sandbox/clock", headers=admin)
    response.set_data(b'{"now": 3}')
    with pytest.raises(jsonschema.ValidationError):
        check(spec, response, "GET", "/_sandbox/clock")


def test_real_answers_match_their_schemas(spec, client, admin):
    tenant_path = "/_sandbox/tenants/{tenant_id}"
    calls = []

    def call(method, path, body=None, expect=200, **values):
        url = path.format(**values)
        response = client.open(url, method=method, json=body, headers=admin)
        assert response.status_code == expect, (method, url, response.get_data(as_text=True))
        check(spec, response, method, path)
        calls.append((method, path))
        return response.get_json(silent=True)

    call("GET", "/_sandbox/health")
    call("GET", OPENAPI)
    call("GET", "/_sandbox/vendors", expect=200)
    tenant = call("POST", "/_sandbox/tenants", {"vendor": "generic", "id": "t1",
                                                "seed": {"users": 2, "groups": 1, "seed": 1}},
                  expect=201)
    values = {"tenant_id": tenant["id"]}
    call("GET", "/_sandbox/tenants")
    call("GET", tenant_path, **values)
    call("PATCH", tenant_path, {"rate_limit": {"requests": 100, "per_seconds": 1}}, **values)
    call("POST", tenant_path + "/token", {"grace_seconds": 5}, **values)
    call("POST", tenant_path + "/seed", {"users": 1, "seed": 2}, **values)
    snapshot = call("GET", tenant_path + "/snapshot", **values)
    call("PUT", tenant_path + "/snapshot", snapshot, **values)
    fault = call("POST", tenant_path + "/faults", {"status": 503, "times": 1}, expect=201,
                 **values)
    call("GET", tenant_path + "/faults", **values)
    client.get(tenant["tenant_url"] + "/Users",
               headers={"Authorization": f"Bearer {tenant['token']}"})
    journal = call("GET", tenant_path + "/journal", **values)
    assert journal["entries"], "the SCIM request above is in the journal"
    call("DELETE", tenant_path + "/faults/{fault_id}", expect=204, fault_id=fault["id"],
         **values)
    call("DELETE", tenant_path + "/faults", expect=204, **values)
    call("DELETE", tenant_path + "/journal", expect=204, **values)
    call("GET", "/_sandbox/clock")
    call("POST", "/_sandbox/clock", {"frozen_at": "2030-01-01T00:00:00+00:00"})
    call("DELETE", "/_sandbox/clock")
    whole = call("GET", "/_sandbox/snapshot")
    call("PUT", "/_sandbox/snapshot", whole)
    call("POST", tenant_path + "/reset", **values)
    call("DELETE", tenant_path, expect=204, **values)
    call("GET", tenant_path, expect=404, **values)
    call("POST", "/_sandbox/tenants", {"vendor": "generic", "colour": "red"}, expect=400)
    assert not described(spec) - set(calls), (
        f"described operations this test does not call: {sorted(described(spec) - set(calls))}")


def test_the_description_passes_an_openapi_validator(spec):
    from openapi_spec_validator import validate  # a test dependency (pyproject [test])

    validate(spec)
