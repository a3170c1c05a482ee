"""SCIM PATCH: `request` reads a body into typed operations, `operations` applies them to a
resource with the rules of `values`."""

from sandbox.scim.patch.operations import apply_patch
from sandbox.scim.patch.request import (
    MISSING,
    OPS,
    PATCH_OP_SCHEMA,
    PatchOperation,
    PatchRequest,
    json_kind,
)

__all__ = [
    "MISSING",
    "OPS",
    "PATCH_OP_SCHEMA",
    "PatchOperation",
    "PatchRequest",
    "apply_patch",
    "json_kind",
]
