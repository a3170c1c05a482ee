"""`GET /_sandbox/openapi.json`: the admin API's OpenAPI description (`openapi_spec`).

It has a blueprint of its own, outside the admin blueprint's token check: a description
holds no secret, and tools (Swagger UI, client generators) fetch it without credentials.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, current_app, request

from sandbox.http.openapi_spec import openapi_document
from sandbox.http.scim_routes import PUBLIC_URL

openapi_api = Blueprint("sandbox_openapi", __name__, url_prefix="/_sandbox")


@openapi_api.get("/openapi.json")
def openapi() -> Response:
    """The description, with this sandbox's root URL as its server."""
    root = current_app.config[PUBLIC_URL] or request.url_root
    return Response(json.dumps(openapi_document(root), ensure_ascii=False),
                    content_type="application/json")
