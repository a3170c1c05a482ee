"""SCIM endpoints of every tenant: parse the request, call the tenant service, serialise.

Each vendor profile gets one URL rule built from its tenant URL template; below it, one
dispatcher reads the resource path case-insensitively (`/users` is `/Users`), as Entra and
other clients vary in how they spell it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, g, request

from sandbox.constants import LIST_RESPONSE_SCHEMA, SEARCH_REQUEST_SCHEMA
from sandbox.http.auth import TenantAuth
from sandbox.http.recording import injected_fault, recorded, segments_of
from sandbox.http.responses import HeaderedScimError, json_body, no_content, scim_json
from sandbox.scim.errors import invalid_syntax, not_found
from sandbox.scim.etag import if_none_match_hits
from sandbox.scim.listing import parse_list_query
from sandbox.service import Outcome, TenantRegistry, TenantService
from sandbox.vendors import Profile, ResourceTypeProfile

_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]
_Handler = Callable[[TenantService, list[str], str], Response]


def flask_rule(profile: Profile) -> str:
    """`/visitly/{tenant}/scim` → `/visitly/<tenant_key>/scim`."""
    return re.sub(r"\{(tenant|slug)\}", "<tenant_key>", profile.tenant_url)


def register_scim_routes(app: Flask, sandbox: TenantRegistry, auth: TenantAuth,
                         public_url: str | None = None) -> None:
    roots = _UrlRoots()

    def authenticated(vendor: str, tenant_key: str | None, segments: list[str]) -> Response:
        tenant = auth(vendor, tenant_key)
        g.scim_tenant = tenant
        tenant.check_access()
        faulted = injected_fault(tenant, segments)
        if faulted is not None:
            return faulted
        base_url = (public_url or roots.current()).rstrip("/") + tenant.path
        return _route(tenant, segments, base_url)

    def dispatch(vendor: str, tenant_key: str | None = None, scim_path: str = "") -> Response:
        segments = segments_of(scim_path)
        return recorded(sandbox, vendor, tenant_key, segments,
                        lambda: authenticated(vendor, tenant_key, segments))

    for profile in sandbox.profiles.values():
        rule = flask_rule(profile)
        defaults: dict[str, Any] = {"vendor": profile.id}
        if "<tenant_key>" not in rule:
            defaults["tenant_key"] = None
        # No automatic OPTIONS: it would answer without auth and outside the SCIM error format.
        app.add_url_rule(rule, f"scim_root_{profile.id}", dispatch, methods=_METHODS,
                         defaults={**defaults, "scim_path": ""},
                         provide_automatic_options=False)
        app.add_url_rule(rule + "/<path:scim_path>", f"scim_{profile.id}", dispatch,
                         methods=_METHODS, defaults=defaults, provide_automatic_options=False)


class _UrlRoots:
    """`request.url_root`, remembered per scheme, host and script root: Werkzeug rebuilds it
    from the environ (IRI decoding and all) each time, and nearly every SCIM answer needs it
    for `location`s."""

    _MAX = 256  # distinct Host headers remembered; a client sending more only costs time

    def __init__(self) -> None:
        self._known: dict[tuple[Any, ...], str] = {}

    def current(self) -> str:
        environ = request.environ
        key = (environ.get("wsgi.url_scheme"), environ.get("HTTP_HOST"),
               environ.get("SERVER_NAME"), environ.get("SERVER_PORT"),
               environ.get("SCRIPT_NAME"), environ.get("HTTP_X_FORWARDED_HOST"))
        root = self._known.get(key)
        if root is None:
            if len(self._known) >= self._MAX:
                self._known.clear()
            root = self._known[key] = request.url_root
        return root


def _method() -> str:
    # HEAD is GET without a body (RFC 9110 §9.3.2); Werkzeug drops the body for us.
    return "GET" if request.method == "HEAD" else request.method


def _route(tenant: TenantService, segments: list[str], base_url: str) -> Response:
    method = _method()
    if not segments:
        raise not_found("This is the tenant's SCIM base URL; add /Users, /Groups, "
                        "/ServiceProviderConfig, /ResourceTypes or /Schemas.")
    head = segments[0].lower()
    rest = segments[1:]
    if head in _DISCOVERY:
        _allow(method, "GET")
        return _DISCOVERY[head](tenant, rest, base_url)
    if head == ".search" and not rest:
        _allow(method, "POST")
        return _search(tenant, None, base_url)
    rt = tenant.resource_type(segments[0])
    if not rest:
        _allow(method, "GET", "POST")
        if method == "GET":
            query = parse_list_query(request.args, tenant.profile.max_results)
            return _outcome(tenant.list(rt, query, base_url))
        return _outcome(tenant.create(rt, json_body(request), base_url), created=True)
    if len(rest) > 1:
        raise not_found(f"No such endpoint: /{'/'.join(segments)}.")
    if rest[0].lower() == ".search":
        _allow(method, "POST")
        return _search(tenant, rt, base_url)
    return _resource(tenant, rt, rest[0], base_url)


def _resource(tenant: TenantService, rt: ResourceTypeProfile, rid: str,
              base_url: str) -> Response:
    method = _method()
    if_match = request.headers.get("If-Match")
    if method == "GET":
        args = parse_list_query(request.args, tenant.profile.max_results)
        outcome = tenant.get(rt, rid, base_url, args.attributes, args.excluded_attributes)
        if outcome.version and if_none_match_hits(request.headers.get("If-None-Match"),
                                                  outcome.version):
            return no_content({"ETag": outcome.version}, status=304)
        return _outcome(outcome)
    if method == "PUT":
        return _outcome(tenant.replace(rt, rid, json_body(request), base_url, if_match))
    if method == "PATCH":
        return _outcome(tenant.patch(rt, rid, json_body(request), base_url, if_match))
    if method == "DELETE":
        return _outcome(tenant.delete(rt, rid, if_match))
    _allow(method, "GET", "PUT", "PATCH", "DELETE")
    raise AssertionError("unreachable")


def _search(tenant: TenantService, rt: ResourceTypeProfile | None, base_url: str) -> Response:
    body = json_body(request)
    if not isinstance(body, dict):
        raise invalid_syntax("A search request must be a JSON object.")
    declared = body.get("schemas")
    if declared is not None and SEARCH_REQUEST_SCHEMA not in (declared or []):
        raise invalid_syntax(f"'schemas' must be ['{SEARCH_REQUEST_SCHEMA}'].")
    query = parse_list_query({k: v for k, v in body.items() if k != "schemas"},
                             tenant.profile.max_results)
    return _outcome(tenant.list(rt, query, base_url))


def _outcome(outcome: Outcome, created: bool = False) -> Response:
    headers: dict[str, str] = {}
    if outcome.version:
        headers["ETag"] = outcome.version
    if outcome.body is None:
        return no_content(headers, outcome.status)
    location = (outcome.body.get("meta") or {}).get("location")
    if created and location:
        headers["Location"] = location
    return scim_json(outcome.body, outcome.status, headers)


def _allow(method: str, *allowed: str) -> None:
    if method not in allowed:
        raise HeaderedScimError(405, f"Method {method} is not allowed here; use "
                                     f"{', '.join(allowed)}.", {"Allow": ", ".join(allowed)})


def _list_of(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {"schemas": [LIST_RESPONSE_SCHEMA], "totalResults": len(resources),
            "itemsPerPage": len(resources), "startIndex": 1, "Resources": resources}


def _service_provider_config(tenant: TenantService, rest: list[str], base_url: str) -> Response:
    if rest:
        raise not_found("/ServiceProviderConfig has no sub-resources.")
    return scim_json(tenant.service_provider_config(base_url))


def _one_or_all(documents: list[dict[str, Any]], rest: list[str], kind: str) -> Response:
    if not rest:
        return scim_json(_list_of(documents))
    wanted = "/".join(rest)
    for document in documents:
        if document["id"].lower() == wanted.lower():
            return scim_json(document)
    raise not_found(f"No {kind} '{wanted}' here.")


def _resource_types(tenant: TenantService, rest: list[str], base_url: str) -> Response:
    return _one_or_all(tenant.resource_types(base_url), rest, "resource type")


def _schemas(tenant: TenantService, rest: list[str], base_url: str) -> Response:
    return _one_or_all(tenant.schemas(base_url), rest, "schema")


_DISCOVERY: dict[str, _Handler] = {
    "serviceproviderconfig": _service_provider_config,
    "serviceproviderconfigs": _service_provider_config,
    "resourcetypes": _resource_types,
    "schemas": _schemas,
}
