"""The SCIM endpoints below a tenant URL, as a table: path pattern → method → view.

Which paths exist, which methods each takes, the 404 for an unknown path and the 405 with
its `Allow` header all come from this one table. Literal segments match in any letter case
(`/users` is `/Users`), as Entra and other clients vary in how they spell them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from flask import Response

from sandbox.http import scim_views as views
from sandbox.http.bulk_view import bulk
from sandbox.http.exchange import RouteMatch, ScimExchange
from sandbox.http.responses import HeaderedScimError
from sandbox.scim.errors import not_found

View = Callable[[ScimExchange, RouteMatch], Response]

RESOURCE_TYPE = "{type}"  # a resource type this vendor offers: Users, Groups
RESOURCE_ID = "{id}"  # any one segment
REST = "**"  # the remaining segments, none or more


@dataclass(frozen=True, slots=True)
class Route:
    pattern: tuple[str, ...]
    views: Mapping[str, View]
    feature: str | None = None  # a profile feature the route needs; without it, a 404

    @property
    def allow(self) -> str:
        return ", ".join(self.views)


ROUTES: tuple[Route, ...] = (
    Route(("serviceproviderconfig", REST), {"GET": views.service_provider_config}),
    Route(("serviceproviderconfigs", REST), {"GET": views.service_provider_config}),
    Route(("resourcetypes", REST), {"GET": views.resource_types}),
    Route(("schemas", REST), {"GET": views.schemas}),
    Route((".search",), {"POST": views.search_all}),
    Route(("bulk",), {"POST": bulk}, feature="bulk"),  # RFC 7644 §3.7
    Route((RESOURCE_TYPE,), {"GET": views.list_resources, "POST": views.create}),
    Route((RESOURCE_TYPE, ".search"), {"POST": views.search}),
    Route((RESOURCE_TYPE, RESOURCE_ID), {"GET": views.get, "PUT": views.replace,
                                         "PATCH": views.patch, "DELETE": views.delete}),
)


# The routes a path may take, by its first segment: a literal name, else a resource type.
_BY_NAME: dict[str, tuple[Route, ...]] = {}
for _route in ROUTES:
    if _route.pattern[0] != RESOURCE_TYPE:
        _BY_NAME[_route.pattern[0]] = (*_BY_NAME.get(_route.pattern[0], ()), _route)
_BY_TYPE = tuple(route for route in ROUTES if route.pattern[0] == RESOURCE_TYPE)


def resolve(exchange: ScimExchange) -> tuple[View, RouteMatch]:
    """The view for this request, or the SCIM 404 or 405 the table implies."""
    segments = exchange.segments
    if not segments:
        raise _no_route(exchange)
    candidates = _BY_NAME.get(segments[0].lower()) or _BY_TYPE
    for route in candidates:
        if route.feature and not exchange.tenant_or_error().profile.feature(route.feature):
            continue
        found = _match(route, segments, exchange)
        if found is None:
            continue
        view = route.views.get(exchange.method)
        if view is None:
            raise HeaderedScimError(405, f"Method {exchange.method} is not allowed here; use "
                                         f"{route.allow}.", {"Allow": route.allow})
        return view, found
    raise _no_route(exchange)


def _match(route: Route, segments: list[str], exchange: ScimExchange) -> RouteMatch | None:
    pattern = route.pattern
    if len(segments) != len(pattern) and pattern[-1] != REST:
        return None
    found = RouteMatch()
    for position, part in enumerate(pattern):
        if part == REST:
            found.rest = segments[position:]
            return found
        if position >= len(segments):
            return None
        segment = segments[position]
        if part == RESOURCE_TYPE:
            found.resource_type = exchange.tenant_or_error().profile.by_endpoint(segment)
            if found.resource_type is None:
                return None
        elif part == RESOURCE_ID:
            found.resource_id = segment
        elif segment.lower() != part:
            return None
    return found


def _no_route(exchange: ScimExchange) -> Exception:
    segments = exchange.segments
    if not segments:
        return not_found("This is the tenant's SCIM base URL; add /Users, /Groups, "
                         "/ServiceProviderConfig, /ResourceTypes or /Schemas.")
    tenant = exchange.tenant_or_error()
    if tenant.profile.by_endpoint(segments[0]) is None:
        tenant.resource_type(segments[0])  # raises the 404 that names what the vendor offers
    return not_found(f"No such endpoint: /{'/'.join(segments)}.")
