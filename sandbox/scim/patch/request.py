"""A SCIM PATCH request body (RFC 7644 §3.5.2), read once into typed operations.

Every part of the sandbox that looks at a PATCH (the engine, the request limits, the journal's
operation labels, the test helpers) reads this one value instead of the raw JSON. Reading is
as lenient as real provisioning clients need: keys in any letter case, capitalised op names
(Microsoft Entra sends "Replace"), extra keys such as Entra's `"name": "addMember"`, and an
empty `path` meaning none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sandbox.constants import PATCH_OP_SCHEMA
from sandbox.scim import errors

OPS = ("add", "replace", "remove")


class _Missing:
    """An operation without a "value" key, as opposed to `"value": null`."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


@dataclass(frozen=True, slots=True)
class PatchOperation:
    """One operation: `op` lower case, `path` None when absent or empty, `value` MISSING
    when the operation has no "value" key."""

    op: str
    path: str | None = None
    value: Any = MISSING

    @property
    def has_value(self) -> bool:
        return self.value is not MISSING


@dataclass(frozen=True, slots=True)
class PatchRequest:
    operations: tuple[PatchOperation, ...]

    @classmethod
    def parse(cls, body: Any) -> PatchRequest:
        """The request in `body`, or a 400 `ScimError` saying what is wrong with it."""
        raw = _raw_operations(body)
        return cls(tuple(_operation(item, index) for index, item in enumerate(raw)))

    @classmethod
    def read(cls, body: Any) -> PatchRequest | None:
        """The request in `body`, or None when it is not a valid PatchOp (for labels and
        test helpers that describe any request, valid or not)."""
        try:
            return cls.parse(body)
        except errors.ScimError:
            return None


def _raw_operations(body: Any) -> list:
    if not isinstance(body, dict):
        raise errors.invalid_syntax(f"A PATCH body must be a JSON object, got {json_kind(body)}")
    fields = {key.lower(): value for key, value in body.items()}
    if "schemas" in fields:
        schemas = fields["schemas"] if isinstance(fields["schemas"], list) else []
        if not has_urn(schemas, PATCH_OP_SCHEMA):
            raise errors.invalid_syntax(f"'schemas' must contain {PATCH_OP_SCHEMA}")
    operations = fields.get("operations")
    if not isinstance(operations, list) or not operations:
        raise errors.invalid_syntax("'Operations' must be a non-empty list of operation objects")
    return operations


def _operation(raw: Any, index: int) -> PatchOperation:
    if not isinstance(raw, dict):
        raise errors.invalid_syntax(
            f"Operations[{index}] must be an object, got {json_kind(raw)}")
    fields = {key.lower(): value for key, value in raw.items()}
    op = fields.get("op")
    if op is None:
        raise errors.invalid_syntax(f"Operations[{index}] has no 'op'")
    if not isinstance(op, str) or op.lower() not in OPS:
        raise errors.invalid_syntax(
            f"Operations[{index}]: unsupported op {op!r}; expected add, replace or remove"
        )
    path = fields.get("path")
    if path is not None and not isinstance(path, str):
        raise errors.invalid_path(f"Operations[{index}]: 'path' must be a string")
    if path is not None and not path.strip():
        path = None  # "path": "" is sent by some clients for a pathless operation
    return PatchOperation(op.lower(), path, fields.get("value", MISSING))


def has_urn(schemas: list, urn: str) -> bool:
    """Whether the `schemas` list names `urn` (URNs compare case-insensitively)."""
    return any(isinstance(s, str) and s.lower() == urn.lower() for s in schemas)


def json_kind(value: Any) -> str:
    """The JSON type name of `value`, for error details."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"
