"""attributes / excludedAttributes, list parameters, sorting, ETags and discovery documents."""

from __future__ import annotations

import pytest

from sandbox.scim import discovery
from sandbox.scim.errors import ScimError
from sandbox.scim.etag import check_if_match, if_none_match_hits, make_version
from sandbox.scim.listing import (
    list_response,
    parse_list_query,
    resolve_sort_attribute,
    sort_resources,
    sort_value,
)
from sandbox.scim.projection import project
from sandbox.scim.schema import ENTERPRISE_USER_SCHEMA, USER_SCHEMA, ResourceSchema, standard_schema

EXT = ENTERPRISE_USER_SCHEMA
USER = ResourceSchema("User", "/Users", standard_schema(USER_SCHEMA), (standard_schema(EXT),))
ANN = {
    "schemas": [USER_SCHEMA, EXT], "id": "1", "userName": "ann", "password": "secret",
    "name": {"givenName": "Ann", "familyName": "Lee"},
    "emails": [{"value": "a@x.org", "type": "work"}],
    EXT: {"department": "Sales", "employeeNumber": "7"},
    "meta": {"resourceType": "User"},
}


def test_password_is_never_returned():
    assert "password" not in project(ANN, USER)
    assert "password" not in project(ANN, USER, attributes=["password", "userName"])


def test_attributes_keeps_always_returned_and_named():
    out = project(ANN, USER, attributes=["USERNAME", "name.givenName", f"{EXT}:department"])
    assert out == {"schemas": ANN["schemas"], "id": "1", "userName": "ann",
                   "name": {"givenName": "Ann"}, EXT: {"department": "Sales"}}


def test_excluded_attributes_drop_named_but_not_always_returned():
    out = project(ANN, USER, excluded=["emails", "id", f"{EXT}:employeeNumber", "name.familyName"])
    assert "emails" not in out and out["id"] == "1"
    assert out[EXT] == {"department": "Sales"}
    assert out["name"] == {"givenName": "Ann"}


def test_whole_extension_can_be_asked_for_or_excluded():
    assert project(ANN, USER, attributes=[EXT])[EXT] == ANN[EXT]
    assert EXT not in project(ANN, USER, excluded=[EXT])


def test_list_query_reads_parameters_case_insensitively():
    query = parse_list_query({"Filter": 'userName eq "a"', "STARTINDEX": "0", "count": "-3",
                              "sortBy": "userName", "sortOrder": "Descending",
                              "attributes": "userName, emails"}, max_results=50)
    assert query.filter == 'userName eq "a"'
    assert query.start_index == 1 and query.count == 0
    assert query.descending is True
    assert query.attributes == ["userName", "emails"]
    assert parse_list_query({"count": "500"}, max_results=50).count == 50


@pytest.mark.parametrize("params", [{"count": "ten"}, {"startIndex": "1.5"},
                                    {"sortOrder": "sideways"}, {"filter": 5},
                                    {"attributes": "a", "excludedAttributes": "b"}])
def test_bad_list_parameters_are_400(params):
    with pytest.raises(ScimError) as caught:
        parse_list_query(params, max_results=50)
    assert caught.value.status == 400


def test_sorting_puts_missing_values_last_ascending_first_descending():
    rows = [{"id": "1", "userName": "b"}, {"id": "2"}, {"id": "3", "userName": "A"}]
    ref = resolve_sort_attribute("username", USER)
    ascending = sort_resources(rows, lambda r: sort_value(r, ref), descending=False)
    descending = sort_resources(rows, lambda r: sort_value(r, ref), descending=True)
    assert [r["id"] for r in ascending] == ["3", "1", "2"]
    assert [r["id"] for r in descending] == ["2", "1", "3"]


def test_multi_valued_sorts_by_primary_value():
    ref = resolve_sort_attribute("emails", USER)
    row = {"emails": [{"value": "z@x"}, {"value": "B@x", "primary": True}]}
    assert sort_value(row, ref) == "b@x"


def test_sort_by_unknown_attribute():
    with pytest.raises(ScimError, match="Cannot sort by 'shoeSize'"):
        resolve_sort_attribute("shoeSize", USER)


def test_list_response_shape():
    body = list_response([{"id": "1"}], total=7, start_index=3)
    assert body == {"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
                    "totalResults": 7, "itemsPerPage": 1, "startIndex": 3,
                    "Resources": [{"id": "1"}]}


def test_etags():
    version = make_version(3)
    assert version == 'W/"3"'
    check_if_match(None, version)
    check_if_match('W/"3"', version)
    check_if_match('"3"', version)  # weak comparison
    check_if_match('W/"1", W/"3"', version)
    check_if_match("*", version)
    with pytest.raises(ScimError) as caught:
        check_if_match('W/"2"', version)
    assert caught.value.status == 412
    assert if_none_match_hits('W/"3"', version) and not if_none_match_hits('W/"2"', version)


def test_discovery_documents():
    spc = discovery.service_provider_config("http://h/t", {"patch": True}, 99, None)
    assert spc["patch"]["supported"] is True and spc["bulk"]["supported"] is False
    assert spc["filter"] == {"supported": False, "maxResults": 99}
    rt = discovery.resource_type(USER, "http://h/t")
    assert rt["endpoint"] == "/Users" and rt["schema"] == USER_SCHEMA
    assert rt["schemaExtensions"] == [{"schema": EXT, "required": False}]
    assert rt["meta"]["location"] == "http://h/t/ResourceTypes/User"
    doc = discovery.schema_document(USER.core, "http://h/t")
    assert doc["meta"]["location"] == f"http://h/t/Schemas/{USER_SCHEMA}"
