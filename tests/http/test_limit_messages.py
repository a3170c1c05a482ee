"""The words of the body limits: a 413 names the configured size, and a body nested past
anything a parser reads gets the same depth message as one just past `max_json_depth`."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from scim_client import Tenant, admin_headers

DEPTH_DETAIL = "The request body nests deeper than 32 levels."


def big_user(size: int) -> str:
    """A user body of exactly `size` bytes."""
    head = '{"userName": "big", "displayName": "'
    return head + "x" * (size - len(head) - 2) + '"}'


@pytest.mark.parametrize(("max_body_bytes", "words"), [
    (None, "larger than 1 MiB"),
    (2 * 1024 * 1024, "larger than 2 MiB"),
    (512 * 1024, "larger than 512 KiB"),
    (1000, "larger than 1000 bytes"),
    (1536, "larger than 1536 bytes"),
])
def test_413_names_the_configured_limit(app_factory: Callable[..., Flask],
                                        tenant_in: Callable[..., Tenant], scim_error,
                                        max_body_bytes: int | None, words: str):
    settings = {} if max_body_bytes is None else {"max_body_bytes": max_body_bytes}
    tenant = tenant_in(app_factory(**settings).test_client())
    limit = max_body_bytes or 1_048_576
    assert tenant.post("/Users", data=big_user(limit)).status_code == 201
    body = scim_error(tenant.post("/Users", data=big_user(limit + 1)), 413)
    assert words in body["detail"], body
    assert "max_body_bytes" in body["detail"], body
    assert tenant.list(filter='userName eq "big"')["totalResults"] == 1


def test_413_of_the_admin_api_names_the_limit(app_factory: Callable[..., Flask], scim_error):
    client = app_factory(max_body_bytes=512 * 1024).test_client()
    response = client.post("/_sandbox/tenants", headers=admin_headers(),
                           data=json.dumps({"vendor": "generic", "pad": "x" * 600_000}),
                           content_type="application/json")
    assert "larger than 512 KiB" in scim_error(response, 413)["detail"]


def nested(levels: int, opener: str, closed: bool) -> str:
    closer = {"[": "]", '{"a":': "}"}[opener]
    inner = opener * levels + ("1" + closer * levels if closed else "")
    return '{"userName": "deep", "x": ' + inner + "}"


@pytest.fixture
def roomy(app_factory: Callable[..., Flask], tenant_in: Callable[..., Tenant]) -> Tenant:
    """A tenant whose body limit lets 200,000 levels of `{"a":` through (1.2 MB)."""
    return tenant_in(app_factory(max_body_bytes=4 * 1024 * 1024).test_client())


@pytest.mark.parametrize("closed", [True, False], ids=["closed", "unclosed"])
@pytest.mark.parametrize("opener", ["[", '{"a":'], ids=["arrays", "objects"])
@pytest.mark.parametrize("levels", [5_000, 50_000, 200_000])
def test_bodies_nested_past_the_parser_get_the_same_depth_message(
        roomy: Tenant, scim_error, levels: int, opener: str, closed: bool):
    shallow = scim_error(roomy.post("/Users", data=nested(100, opener, True)), 400,
                         "invalidSyntax")
    body = scim_error(roomy.post("/Users", data=nested(levels, opener, closed)), 400,
                      "invalidSyntax")
    assert body["detail"] == shallow["detail"] == DEPTH_DETAIL
    assert roomy.list()["totalResults"] == 0


def test_the_default_body_limit_lets_half_a_million_levels_reach_the_depth_check(
        tenant: Tenant, scim_error):
    raw = nested(500_000, "[", True)
    assert len(raw) < 1_048_576
    assert scim_error(tenant.post("/Users", data=raw), 400, "invalidSyntax")["detail"] \
        == DEPTH_DETAIL


@pytest.mark.parametrize("method", ["put", "patch"])
def test_a_deep_update_changes_nothing(tenant: Tenant, scim_error, method: str):
    user = tenant.create_user("kept")
    send: Any = getattr(tenant, method)
    response = send(f"/Users/{user['id']}", data=nested(50_000, '{"a":', True))
    assert scim_error(response, 400, "invalidSyntax")["detail"] == DEPTH_DETAIL
    assert tenant.user(user["id"]) == user


def test_deep_strings_and_brackets_inside_strings_do_not_count(roomy: Tenant, scim_error):
    """Brackets inside a JSON string are text, not nesting: a body nested 5,000 deep whose
    strings hold thousands of brackets still names the depth limit."""
    raw = '{"userName": "deep", "note": "' + "[" * 5000 + '\\"' + "]" * 10 + '", "x": ' \
        + "[" * 5000 + "]" * 5000 + "}"
    assert scim_error(roomy.post("/Users", data=raw), 400, "invalidSyntax")["detail"] \
        == DEPTH_DETAIL


def test_a_depth_limit_beyond_the_parser_says_so(app_factory: Callable[..., Flask],
                                                 tenant_in: Callable[..., Tenant],
                                                 scim_error):
    tenant = tenant_in(app_factory(max_json_depth=100_000).test_client())
    body = scim_error(tenant.post("/Users", data=nested(5_000, "[", True)), 400,
                      "invalidSyntax")
    assert "5001 levels" in body["detail"], body
    assert "recursion" not in body["detail"].lower()


def test_the_admin_api_names_the_depth_limit(client, scim_error):
    raw = '{"vendor": "generic", "x": ' + "[" * 5000 + "]" * 5000 + "}"
    response = client.post("/_sandbox/tenants", headers=admin_headers(), data=raw,
                           content_type="application/json")
    assert scim_error(response, 400, "invalidSyntax")["detail"] == DEPTH_DETAIL


def test_the_journal_shows_a_deep_request(roomy: Tenant):
    roomy.post("/Users", data=nested(200_000, "[", True))
    response = roomy.client.get(f"/_sandbox/tenants/{roomy.id}/journal",
                                headers=admin_headers())
    assert response.status_code == 200
    entry = response.get_json()["entries"][-1]
    assert entry["status"] == 400 and entry["response"]["body"]["detail"] == DEPTH_DETAIL
