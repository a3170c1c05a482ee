"""Names every room of the sandbox shares: SCIM schema URNs (RFC 7643/7644), Microsoft Entra's
own, and media types. Plain strings only, so any room (the Entra client included) may import
this without pulling in another."""

# RFC 7643 core and extension schemas.
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE_USER_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
SCHEMA_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema"
SERVICE_PROVIDER_CONFIG_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
RESOURCE_TYPE_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"

# RFC 7644 message schemas.
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"
LIST_RESPONSE_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
SEARCH_REQUEST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"
PATCH_OP_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

# The custom extension the Veritas tutorial documents.
VERITAS_USER_SCHEMA = "urn:ietf:params:scim:schemas:extension:veritas:2.0:User"

# RFC 7644 §3.1: the media type of SCIM bodies.
SCIM_JSON = "application/scim+json"
