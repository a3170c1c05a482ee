"""POST /Bulk (RFC 7644 §3.7), for profiles with the `bulk` feature: check the payload size,
read the body, let the service run the operations, answer with the BulkResponse.

`maxPayloadSize` is the smaller of the bulk default and the app's body limit
(`max_body_bytes`), so what /ServiceProviderConfig announces is what this view enforces.
"""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, request

from sandbox.http.exchange import RouteMatch, ScimExchange
from sandbox.http.responses import scim_json
from sandbox.scim.bulk import MAX_PAYLOAD_SIZE, BulkLimits
from sandbox.service.bulk import run_bulk


def bulk_limits() -> BulkLimits:
    """The limits of this app's bulk requests."""
    body_limit = current_app.config.get("MAX_CONTENT_LENGTH") or MAX_PAYLOAD_SIZE
    return BulkLimits(max_payload_size=min(MAX_PAYLOAD_SIZE, body_limit))


def bulk(exchange: ScimExchange, found: RouteMatch) -> Response:
    limits = bulk_limits()
    # Before the body is read: a body over the limit gets §3.7.4's 413, not the parser's.
    if request.content_length is not None:
        limits.check_payload(request.content_length)
    body = exchange.body()
    limits.check_payload(len(request.get_data(cache=True)))  # a chunked body has no length
    return scim_json(run_bulk(exchange.tenant_or_error(), body, exchange.base_url, limits))


def with_bulk_limits(config: dict[str, Any]) -> dict[str, Any]:
    """A ServiceProviderConfig whose `bulk` announces this app's limits where it is on."""
    if config.get("bulk", {}).get("supported"):
        limits = bulk_limits()
        config["bulk"] = {"supported": True, "maxOperations": limits.max_operations,
                          "maxPayloadSize": limits.max_payload_size}
    return config
