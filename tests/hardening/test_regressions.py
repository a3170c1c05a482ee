"""Inputs the hardening work found to break the sandbox, kept as plain examples.

The first group was fixed in the engine (`sandbox/scim/listing.py`, `sandbox/scim/resource.py`),
the second in the HTTP layer, the journal and the tenant registry; all must stay fixed.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hardening_support import check_scim_error, parse_json, vendor_user
from scim_client import ADMIN_TOKEN, Tenant, make_app, new_tenant

from sandbox.scim.errors import ScimError
from sandbox.scim.listing import parse_list_query
from sandbox.scim.resource import normalize_resource
from sandbox.scim.schema import Attribute, ResourceSchema, Schema

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
LONE_SURROGATE = "\\ud800"  # as JSON text: an escape Python's json turns into a lone surrogate


@pytest.fixture(autouse=True)
def _quiet_internal_errors(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    # A regression would log a traceback; the assertions say what went wrong.
    with caplog.at_level(logging.CRITICAL, logger="sandbox"):
        yield


@pytest.fixture
def sandbox_app() -> Flask:
    return make_app()


@pytest.fixture
def client(sandbox_app: Flask) -> FlaskClient:
    return sandbox_app.test_client()


def _error(response: Any, status: int, scim_type: str | None = None) -> dict:
    raw = response.get_data(as_text=True)
    assert response.status_code == status, raw
    body = parse_json(raw)
    check_scim_error(status, body, content_type=response.content_type, raw=raw)
    if scim_type:
        assert body.get("scimType") == scim_type, body
    return body


# -- fixed in the engine ---------------------------------------------------------------------


@pytest.mark.parametrize("number", ["Infinity", "-Infinity", "1e400", "NaN", "2.5"])
@pytest.mark.parametrize("name", ["count", "startIndex"])
def test_a_search_whose_count_is_not_a_whole_number_is_a_400(client: FlaskClient, name: str,
                                                              number: str) -> None:
    """Was a 500 (OverflowError) for Infinity and 1e400, and 2.5 was truncated silently:
    `_int_param` in sandbox/scim/listing.py now takes whole numbers only."""
    tenant = new_tenant(client)
    response = tenant.post("/Users/.search", data=f'{{"{name}": {number}}}')
    assert name in _error(response, 400, "invalidValue")["detail"]
    whole = tenant.post("/Users/.search", data=f'{{"{name}": 2.0}}')
    assert whole.status_code == 200, whole.get_data(as_text=True)


def test_parse_list_query_refuses_non_finite_numbers() -> None:
    for value in (float("inf"), float("-inf"), float("nan"), 1.5):
        with pytest.raises(ScimError) as error:
            parse_list_query({"count": value}, 200)
        assert error.value.status == 400
    assert parse_list_query({"count": 3.0}, 200).count == 3


def test_a_lone_surrogate_in_a_value_is_refused_and_nothing_is_stored(
        client: FlaskClient) -> None:
    """Was stored: the POST answered 500 after writing the user, and from then on every list
    of users, snapshot and journal of the tenant answered 500. `coerce_scalar` in
    sandbox/scim/resource.py now refuses strings no UTF-8 answer can carry."""
    tenant = new_tenant(client)
    user = tenant.create_user("ann")
    body = (f'{{"schemas": ["{USER_SCHEMA}"], "userName": "bob{LONE_SURROGATE}", '
            f'"displayName": "Bob"}}')
    _error(tenant.post("/Users", data=body), 400, "invalidValue")
    _error(tenant.put(f"/Users/{user['id']}", data=body), 400, "invalidValue")
    patch = ('{"Operations": [{"op": "replace", "path": "displayName", '
             f'"value": "x{LONE_SURROGATE}"}}]}}')
    _error(tenant.patch(f"/Users/{user['id']}", data=patch), 400, "invalidValue")
    listed = tenant.list()
    assert [u["userName"] for u in listed["Resources"]] == ["ann"]
    assert tenant.user(user["id"]) == user
    assert client.get(f"/_sandbox/tenants/{tenant.id}/snapshot", headers=ADMIN).status_code == 200


def test_a_decimal_attribute_refuses_numbers_json_cannot_carry() -> None:
    """NaN and Infinity (which Python's json reads) were stored in decimal attributes and
    then written back as the non-JSON tokens `NaN` / `Infinity`."""
    schema = ResourceSchema("Widget", "/Widgets", Schema("urn:example:Widget", "Widget", "", (
        Attribute("price", type="decimal"),)))
    core = {"schemas": ["urn:example:Widget"]}
    for bad in (float("nan"), float("inf"), float("-inf")):
        with pytest.raises(ScimError) as error:
            normalize_resource({**core, "price": bad}, schema)
        assert (error.value.status, error.value.scim_type) == (400, "invalidValue")
    for good in (1.5, 0, 10**400):
        assert normalize_resource({**core, "price": good}, schema)["price"] == good


# -- to fix outside the engine -----------------------------------------------------------------


def test_the_journal_reads_back_after_a_deeply_nested_body(client: FlaskClient) -> None:
    tenant = new_tenant(client)
    _error(tenant.post("/Users", data=b"[" * 5000 + b"]" * 5000), 400, "invalidSyntax")
    journal = client.get(f"/_sandbox/tenants/{tenant.id}/journal", headers=ADMIN)
    assert journal.status_code == 200, journal.get_data(as_text=True)


def test_the_journal_reads_back_after_a_body_with_a_lone_surrogate(client: FlaskClient) -> None:
    tenant = new_tenant(client)
    body = f'{{"schemas": ["{USER_SCHEMA}"], "userName": "bob{LONE_SURROGATE}"}}'
    _error(tenant.post("/Users", data=body), 400, "invalidValue")
    journal = client.get(f"/_sandbox/tenants/{tenant.id}/journal", headers=ADMIN)
    assert journal.status_code == 200, journal.get_data(as_text=True)


@pytest.mark.parametrize(("path", "body"), [
    ("/Users", f'{{"schemas": ["{USER_SCHEMA}"], "userName": "a", "{LONE_SURROGATE}": 1}}'),
    ("/.search", f'{{"filter": "{LONE_SURROGATE} eq"}}'),
    ("/Users/.search", f'{{"sortBy": "x{LONE_SURROGATE}"}}'),
])
def test_an_error_that_quotes_a_lone_surrogate_is_still_a_400(client: FlaskClient, path: str,
                                                              body: str) -> None:
    tenant = new_tenant(client)
    _error(tenant.post(path, data=body), 400)


@pytest.mark.parametrize("field", ["id", "slug"])
def test_a_tenant_id_or_slug_with_a_trailing_newline_is_refused(client: FlaskClient,
                                                                field: str) -> None:
    before = client.get("/_sandbox/tenants", headers=ADMIN).get_json()
    response = client.post("/_sandbox/tenants", headers=ADMIN,
                           json={"vendor": "vaultplatform", field: "acme\n"})
    _error(response, 400, "invalidValue")
    assert client.get("/_sandbox/tenants", headers=ADMIN).get_json() == before


def test_a_token_that_is_not_utf8_text_is_refused(client: FlaskClient) -> None:
    response = client.post("/_sandbox/tenants", headers={**ADMIN, "Content-Type":
                                                         "application/json"},
                           data=f'{{"vendor": "generic", "token": "abcdefgh{LONE_SURROGATE}"}}')
    _error(response, 400, "invalidValue")
    assert client.get("/_sandbox/tenants", headers=ADMIN).status_code == 200


def test_a_snapshot_with_user_names_differing_only_in_case_is_refused(
        client: FlaskClient) -> None:
    tenant: Tenant = new_tenant(client, "olfeo")
    meta = {"created": "2024-01-01T00:00:00Z", "lastModified": "2024-01-01T00:00:00Z",
            "version": 'W/"1"'}
    users = [{**vendor_user("olfeo", name), "id": f"id-{name}", "meta": meta}
             for name in ("ann", "ANN")]
    response = client.put(f"/_sandbox/tenants/{tenant.id}/snapshot", headers=ADMIN,
                          data=json.dumps({"resources": {"User": users, "Group": []}}),
                          content_type="application/json")
    _error(response, 400)
