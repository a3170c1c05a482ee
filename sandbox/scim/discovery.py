"""Discovery documents (RFC 7644 §4): ServiceProviderConfig, ResourceTypes and Schemas."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sandbox.constants import RESOURCE_TYPE_SCHEMA
from sandbox.constants import SERVICE_PROVIDER_CONFIG_SCHEMA as SPC_SCHEMA
from sandbox.scim.bulk import BulkLimits
from sandbox.scim.schema import ResourceSchema, Schema


def service_provider_config(
    base_url: str,
    features: Mapping[str, bool],
    max_results: int,
    documentation_uri: str | None = None,
    bulk_limits: BulkLimits | None = None,
) -> dict[str, Any]:
    """What this endpoint supports, as RFC 7643 §5 describes it; where bulk is on, its
    `maxOperations` and `maxPayloadSize` are `bulk_limits` (RFC 7644 §3.7.4)."""
    bulk = features.get("bulk", False)
    limits = (bulk_limits or BulkLimits()) if bulk else BulkLimits(0, 0)
    doc: dict[str, Any] = {
        "schemas": [SPC_SCHEMA],
        "patch": {"supported": features.get("patch", False)},
        "bulk": {"supported": bulk, "maxOperations": limits.max_operations,
                 "maxPayloadSize": limits.max_payload_size},
        "filter": {"supported": features.get("filter", False), "maxResults": max_results},
        "changePassword": {"supported": features.get("change_password", False)},
        "sort": {"supported": features.get("sort", False)},
        "etag": {"supported": features.get("etag", False)},
        "authenticationSchemes": [
            {
                "type": "oauthbearertoken",
                "name": "OAuth Bearer Token",
                "description": "Authentication with the tenant's secret token as a bearer token.",
                "primary": True,
            }
        ],
        "meta": {"resourceType": "ServiceProviderConfig",
                 "location": f"{base_url}/ServiceProviderConfig"},
    }
    if documentation_uri:
        doc["documentationUri"] = documentation_uri
    return doc


def resource_type(schema: ResourceSchema, base_url: str) -> dict[str, Any]:
    return {
        "schemas": [RESOURCE_TYPE_SCHEMA],
        "id": schema.name,
        "name": schema.name,
        "description": schema.description,
        "endpoint": schema.endpoint,
        "schema": schema.core.id,
        "schemaExtensions": [
            {"schema": e.id, "required": e.id in schema.required_extensions}
            for e in schema.extensions
        ],
        "meta": {"resourceType": "ResourceType",
                 "location": f"{base_url}/ResourceTypes/{schema.name}"},
    }


def schema_document(schema: Schema, base_url: str) -> dict[str, Any]:
    return {
        **schema.to_dict(),
        "meta": {"resourceType": "Schema", "location": f"{base_url}/Schemas/{schema.id}"},
    }
