"""The SCIM endpoints' views: read the request, call the tenant service, serialise its answer.

Each takes the request's `ScimExchange` (its tenant already authenticated) and what the route
table matched; `routing.py` says which view serves which path and method.
"""

from __future__ import annotations

from typing import Any

from flask import Response, request

from sandbox.constants import LIST_RESPONSE_SCHEMA, SEARCH_REQUEST_SCHEMA
from sandbox.http.bulk_view import with_bulk_limits
from sandbox.http.exchange import RouteMatch, ScimExchange
from sandbox.http.responses import no_content, scim_json
from sandbox.scim.errors import invalid_syntax, not_found
from sandbox.scim.etag import if_none_match_hits
from sandbox.scim.listing import ListQuery, parse_list_query
from sandbox.service import TenantService
from sandbox.vendors import ResourceTypeProfile

# Resources -----------------------------------------------------------------------------------
# The service returns stored resources; here they become answers: the status, the ETag and
# Location headers, and the view with the tenant's absolute URLs.

def list_resources(exchange: ScimExchange, found: RouteMatch) -> Response:
    tenant = exchange.tenant_or_error()
    query = parse_list_query(request.args, tenant.profile.max_results)
    return _listed(exchange, found, query)


def create(exchange: ScimExchange, found: RouteMatch) -> Response:
    tenant, rt, _ = _target(exchange, found)
    stored = tenant.create(rt, exchange.body())
    body = tenant.view(rt, stored, exchange.base_url)
    return scim_json(body, 201, {**_etag(tenant, stored), "Location": body["meta"]["location"]})


def get(exchange: ScimExchange, found: RouteMatch) -> Response:
    tenant, rt, rid = _target(exchange, found)
    args = parse_list_query(request.args, tenant.profile.max_results)
    stored = tenant.get(rt, rid)
    version = tenant.etag(stored)
    if version and if_none_match_hits(request.headers.get("If-None-Match"), version):
        return no_content({"ETag": version}, status=304)
    body = tenant.view(rt, stored, exchange.base_url, args.attributes, args.excluded_attributes)
    return scim_json(body, 200, _etag(tenant, stored))


def replace(exchange: ScimExchange, found: RouteMatch) -> Response:
    tenant, rt, rid = _target(exchange, found)
    stored = tenant.replace(rt, rid, exchange.body(), request.headers.get("If-Match"))
    if stored is None:  # a hard_delete_only vendor removed the user it deactivated
        return no_content()
    return scim_json(tenant.view(rt, stored, exchange.base_url), 200, _etag(tenant, stored))


def patch(exchange: ScimExchange, found: RouteMatch) -> Response:
    tenant, rt, rid = _target(exchange, found)
    # The request as the journal read it; a body that is no valid PatchOp goes as it came,
    # for the service to refuse once it has found the resource.
    body = exchange.peek_patch() or exchange.body()
    stored = tenant.patch(rt, rid, body, request.headers.get("If-Match"))
    if stored is None:  # a hard_delete_only vendor removed the user it deactivated
        return no_content()
    if rt.patch_response == "no_content":  # e.g. Olfeo's groups: 204, no body
        return no_content(_etag(tenant, stored))
    return scim_json(tenant.view(rt, stored, exchange.base_url), 200, _etag(tenant, stored))


def delete(exchange: ScimExchange, found: RouteMatch) -> Response:
    tenant, rt, rid = _target(exchange, found)
    tenant.delete(rt, rid, request.headers.get("If-Match"))
    return no_content()


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
    return _listed(exchange, found, query)


def _listed(exchange: ScimExchange, found: RouteMatch, query: ListQuery) -> Response:
    tenant = exchange.tenant_or_error()
    page = tenant.list(found.resource_type, query)
    return scim_json(tenant.list_view(page, exchange.base_url, query.attributes,
                                      query.excluded_attributes))


def _target(exchange: ScimExchange,
            found: RouteMatch) -> tuple[TenantService, ResourceTypeProfile, str]:
    """The tenant, resource type and id a resource route names (the id is "" for a type)."""
    assert found.resource_type is not None, "resource routes match a resource type"
    return exchange.tenant_or_error(), found.resource_type, found.resource_id or ""


def _etag(tenant: TenantService, stored: dict[str, Any]) -> dict[str, str]:
    version = tenant.etag(stored)
    return {"ETag": version} if version else {}


# Discovery (RFC 7644 §4) ---------------------------------------------------------------------

def service_provider_config(exchange: ScimExchange, found: RouteMatch) -> Response:
    if found.rest:
        raise not_found("/ServiceProviderConfig has no sub-resources.")
    config = exchange.tenant_or_error().service_provider_config(exchange.base_url)
    return scim_json(with_bulk_limits(config))


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
