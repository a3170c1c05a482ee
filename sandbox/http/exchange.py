"""One SCIM request on its way through the HTTP edge, as one value.

Everything the edge learns about a request (which tenant it names, how the journal labels
it, its body read once, the fault that answered it) is kept here and handed from the
dispatcher to the journal and the views, instead of in loose values on Flask's `g`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import request
from werkzeug.exceptions import HTTPException

from sandbox.http.responses import json_body
from sandbox.scim.errors import ScimError
from sandbox.scim.patch import PatchRequest
from sandbox.service import TenantService
from sandbox.service.operations import OTHER
from sandbox.vendors import ResourceTypeProfile

_UNREAD: Any = object()


@dataclass(slots=True)
class ScimExchange:
    """A SCIM request below one tenant URL: `segments` are its path below that URL."""

    vendor: str
    tenant_key: str | None  # the {tenant} or {slug} of the URL; None when the token names it
    segments: list[str]
    method: str  # HEAD is read as GET (RFC 9110 §9.3.2); Werkzeug drops the body for us
    operation: str = OTHER  # the Entra operation label of the journal
    tenant: TenantService | None = None  # set once the token is checked
    named_tenant: TenantService | None = None  # the tenant the URL names, token or not
    base_url: str = ""  # the tenant's absolute SCIM base URL, for locations
    fault: str | None = None  # the id of the fault that answered, if one did
    _body: Any = _UNREAD
    _patch: PatchRequest | None = None

    def body(self) -> Any:
        """The JSON body, parsed once; 415 or 400 when it is not JSON."""
        if self._body is _UNREAD:
            self._body = json_body(request)
        return self._body

    def peek_body(self) -> Any:
        """The JSON body if there is a readable one, else None; never raises (for labels)."""
        if not request.content_length:
            return None
        try:
            return self.body()
        except (ScimError, HTTPException):  # e.g. a body over the size limit
            return None

    def peek_patch(self) -> PatchRequest | None:
        """The body read as a PATCH request, once, for the journal's label, the limits and
        the engine; None when it is not a valid one (never raises)."""
        if self._patch is None and self.peek_body() is not None:
            self._patch = PatchRequest.read(self._body)
        return self._patch

    def tenant_or_error(self) -> TenantService:
        assert self.tenant is not None, "the tenant is set before any view runs"
        return self.tenant


@dataclass(slots=True)
class RouteMatch:
    """What the route table read from the path: the resource type, the id, and for the
    discovery endpoints the segments after their name."""

    resource_type: ResourceTypeProfile | None = None
    resource_id: str | None = None
    rest: list[str] = field(default_factory=list)
