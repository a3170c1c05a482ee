"""The SCIM endpoints' views: read the request, call the tenant service, serialise its answer.

Each takes the request's `ScimExchange` (its tenant already authenticated) and what the route
table matched; `routing.py` says which view serves which path and method.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import Response, request

from sandbox.constants import LIST_RESPONSE_SCHEMA, SEARCH_REQUEST_SCHEMA
from sandbox.http.exchange import ScimExchange
from sandbox.http.responses import no_content, scim_json
from sandbox.scim.errors import invalid_syntax, not_found
from sandbox.scim.etag import if_none_match_hits
from sandbox.scim.listing import parse_list_query
from sandbox.service import Outcome

if TYPE_CHECKING:
    from sandbox.http.routing import RouteMatch


# Resources -----------------------------------------------------------------------------------

def list_resources(exchange: ScimExchange, found: RouteMatch) -> Response:
    tenant = exchange.tenant_or_error()
    query = parse_list_query(request.args, tenant.profile.max_results)
    return _answer(tenant.list(found.resource_type, query, exchange.base_url))


def create(exchange: ScimExchange, found: RouteMatch) -> Response:
    tenant = exchange.tenant_or_error()
    assert found.resource_type is not None
    outcome = tenant.create(found.resource_type, exchange.body(), exchange.base_url)
    return _answer(outcome, created=True)


def get(exchange: ScimExchange, found: RouteMatch) -> Response:
    tenant = exchange.tenant_or_error()
    assert found.resource_type is not None and found.resource_id is not None
    args = parse_list_query(request.args, tenant.profile.max_results)
    outcome = tenant.get(found.resource_type, found.resource_id, exchange.base_url,
                         args.attributes, args.excluded_attributes)
    if outcome.version and if_none_match_hits(request.headers.get("If-None-Match"),
                                              outcome.version):
        return no_content({"ETag": outcome.version}, status=304)
    return _answer(outcome)


def replace(exchange: ScimExchange, found: RouteMatch) -> Response:
    tenant = exchange.tenant_or_error()
    assert found.resource_type is not None and found.resource_id is not None
    return _answer(tenant.replace(found.resource_type, found.resource_id, exchange.body(),
                                  exchange.base_url, request.headers.get("If-Match")))


def patch(exchange: ScimExchange, found: RouteMatch) -> Response:
    tenant = exchange.tenant_or_error()
    assert found.resource_type is not None and found.resource_id is not None
    # The request as the journal read it; a body that is no valid PatchOp goes as it came,
    # for the service to refuse once it has found the resource.
    body = exchange.peek_patch() or exchange.body()
    return _answer(tenant.patch(found.resource_type, found.resource_id, body,
                                exchange.base_url, request.headers.get("If-Match")))


def delete(exchange: ScimExchange, found: RouteMatch) -> Response:
    tenant = exchange.tenant_or_error()
    assert found.resource_type is not None and found.resource_id is not None
    return _answer(tenant.delete(found.resource_type, found.resource_id,
                                 request.headers.get("If-Match")))


def search(exchange: ScimExchange, found: RouteMatch) -> Response:
    """POST `/<type>/.search` (RFC 7644 §3.4.3)."""
    return _search(exchange, found)


def search_all(exchange: ScimExchange, found: RouteMatch) -> Response:
    """POST `/.search`: every resource type at once."""
    return _search(exchange, found)


def _search(exchange: ScimExchange, found: RouteMatch) -> Response:
    tenant = exchange.tenant_or_error()
    body = exchange.body()
    if not isinstance(body, dict):
        raise invalid_syntax("A search request must be a JSON object.")
    declared = body.get("schemas")
    if declared is not None and SEARCH_REQUEST_SCHEMA not in (declared or []):
        raise invalid_syntax(f"'schemas' must be ['{SEARCH_REQUEST_SCHEMA}'].")
    query = parse_list_query({k: v for k, v in body.items() if k != "schemas"},
                             tenant.profile.max_results)
    return _answer(tenant.list(found.resource_type, query, exchange.base_url))


def _answer(outcome: Outcome, created: bool = False) -> Response:
    headers: dict[str, str] = {}
    if outcome.version:
        headers["ETag"] = outcome.version
    if outcome.body is None:
        return no_content(headers, outcome.status)
    location = (outcome.body.get("meta") or {}).get("location")
    if created and location:
        headers["Location"] = location
    return scim_json(outcome.body, outcome.status, headers)


# Discovery (RFC 7644 §4) ---------------------------------------------------------------------

def service_provider_config(exchange: ScimExchange, found: RouteMatch) -> Response:
    if found.rest:
        raise not_found("/ServiceProviderConfig has no sub-resources.")
    return scim_json(exchange.tenant_or_error().service_provider_config(exchange.base_url))


def resource_types(exchange: ScimExchange, found: RouteMatch) -> Response:
    documents = exchange.tenant_or_error().resource_types(exchange.base_url)
    return _one_or_all(documents, found.rest, "resource type")


def schemas(exchange: ScimExchange, found: RouteMatch) -> Response:
    documents = exchange.tenant_or_error().schemas(exchange.base_url)
    return _one_or_all(documents, found.rest, "schema")


def _one_or_all(documents: list[dict[str, Any]], rest: list[str], kind: str) -> Response:
    if not rest:
        return scim_json({"schemas": [LIST_RESPONSE_SCHEMA], "totalResults": len(documents),
                          "itemsPerPage": len(documents), "startIndex": 1,
                          "Resources": documents})
    wanted = "/".join(rest)
    for document in documents:
        if document["id"].lower() == wanted.lower():
            return scim_json(document)
    raise not_found(f"No {kind} '{wanted}' here.")
