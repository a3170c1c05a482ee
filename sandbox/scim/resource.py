"""Turn a client's resource body into the canonical form the store keeps (RFC 7643 §2, §7).

Canonical form: keys spelled exactly as the schema names them, extension data under the
extension's schema id, booleans as booleans, multi-valued attributes as lists, read-only
attributes dropped (RFC 7644 §3.5.1: "readOnly ... SHALL be ignored"). Everything the rest of
the engine reads (filters, projection, sorting, PATCH) relies on it.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from sandbox.scim.errors import invalid_syntax, invalid_value, mutability
from sandbox.scim.schema import Attribute, ResourceSchema, Schema

_BOOLEAN_STRINGS = {"true": True, "false": False}

# Schema URNs Microsoft Entra ID names in `schemas` of its requests although they are no SCIM
# schema a server offers: its group create body carries the ADSCIM Group URN next to the core
# Group URN. They name no attribute of their own, so they are accepted and not stored: the
# stored resource claims only the schemas this server serves at /Schemas, as RFC 7643 §3 asks
# of `schemas` in an answer.
ENTRA_REQUEST_URNS = frozenset({
    "http://schemas.microsoft.com/2006/11/resourcemanagement/adscim/2.0/group",
})


def normalize_resource(
    body: Any, schema: ResourceSchema, *, ignore_unknown: bool = True
) -> dict[str, Any]:
    """Validate a POST/PUT body and return it in canonical form, without id or meta.

    Unknown attributes are dropped when `ignore_unknown`, else a 400 `invalidSyntax`.
    """
    if not isinstance(body, dict):
        raise invalid_syntax(f"A {schema.name} must be a JSON object.")
    _check_declared_schemas(body.get("schemas", body.get("Schemas")), schema, ignore_unknown)
    result: dict[str, Any] = {}
    for key, value in body.items():
        if key.lower() == "schemas" or value is None:
            continue  # RFC 7643 §2.5: null is "unassigned", for any attribute name
        extension = schema.extension(key)
        if extension is not None:
            _merge_extension(result, extension, value, ignore_unknown)
            continue
        urn, rest = schema.split_urn(key) if key[:4].lower() == "urn:" else (None, key)
        if urn is not None and urn.lower() != schema.core.id.lower():
            extension = schema.extension(urn)
            if extension is None or "." in rest:
                _unknown(key, ignore_unknown)
                continue
            _merge_extension(result, extension, {rest: value}, ignore_unknown)
            continue
        attribute = schema.top_level(rest)
        if attribute is None:
            _unknown(key, ignore_unknown)
            continue
        if attribute.mutability == "readOnly" or attribute.name == "schemas":
            continue
        coerced = coerce_value(attribute, value, attribute.name, ignore_unknown)
        if coerced is not None:
            result[attribute.name] = coerced
    result_schemas = [schema.core.id] + [e.id for e in schema.extensions if e.id in result]
    return {"schemas": result_schemas, **result}


def _check_declared_schemas(declared: Any, schema: ResourceSchema, ignore_unknown: bool) -> None:
    if declared is None:
        return  # Lenient: many clients omit it on PUT; we know which resource type this is.
    if not isinstance(declared, list) or not all(isinstance(s, str) for s in declared):
        raise invalid_syntax("'schemas' must be a list of schema URIs.")
    lowered = {s.lower() for s in declared}
    if schema.core.id.lower() not in lowered:
        raise invalid_value(
            f"'schemas' must include '{schema.core.id}' for a {schema.name}; got {declared}."
        )
    if ignore_unknown:
        return  # e.g. Entra names the enterprise extension to a vendor that does not keep it
    known = {s.lower() for s in schema.schema_ids} | ENTRA_REQUEST_URNS
    for urn in declared:
        if urn.lower() not in known:
            raise invalid_value(f"Schema '{urn}' is not offered for {schema.name} resources.")


def _merge_extension(
    result: dict[str, Any], extension: Schema, value: Any, ignore_unknown: bool
) -> None:
    if value is None:
        return
    if not isinstance(value, dict):
        raise invalid_value(f"Extension '{extension.id}' must be a JSON object.")
    target = result.setdefault(extension.id, {})
    for key, sub_value in value.items():
        attribute = extension.attribute(key)
        if sub_value is None:
            continue  # unassigned (RFC 7643 §2.5), whether or not the extension has it
        if attribute is None:
            _unknown(f"{extension.id}:{key}", ignore_unknown)
            continue
        if attribute.mutability == "readOnly":
            continue
        coerced = coerce_value(attribute, sub_value, f"{extension.id}:{attribute.name}",
                               ignore_unknown)
        if coerced is not None:
            target[attribute.name] = coerced
    if not target:
        del result[extension.id]


def _unknown(name: str, ignore_unknown: bool) -> None:
    if not ignore_unknown:
        raise invalid_syntax(f"Unknown attribute '{name}'.")


def coerce_value(attribute: Attribute, value: Any, where: str, ignore_unknown: bool = True) -> Any:
    """Check `value` against `attribute`'s type and return its canonical form (None = absent)."""
    if value is None:
        return None
    if attribute.multi_valued:
        items = value if isinstance(value, list) else [value]
        coerced = [
            c for c in (_coerce_single(attribute, item, where, ignore_unknown) for item in items)
            if c is not None
        ]
        if attribute.is_complex and sum(1 for c in coerced if c.get("primary") is True) > 1:
            raise invalid_value(f"At most one value of '{where}' may be primary.")
        return coerced or None
    if isinstance(value, list):
        raise invalid_value(f"Attribute '{where}' is single-valued; got a list.")
    return _coerce_single(attribute, value, where, ignore_unknown)


def _coerce_single(attribute: Attribute, value: Any, where: str, ignore_unknown: bool) -> Any:
    if value is None:
        return None
    kind = attribute.type
    if kind == "complex":
        if not isinstance(value, dict):
            raise invalid_value(f"Attribute '{where}' must be an object; got {_describe(value)}.")
        result = {}
        for key, sub_value in value.items():
            sub = attribute.sub(key)
            if sub_value is None:
                continue  # unassigned (RFC 7643 §2.5)
            if sub is None:
                _unknown(f"{where}.{key}", ignore_unknown)
                continue
            if sub.mutability == "readOnly" and attribute.mutability != "readOnly":
                continue
            coerced = _coerce_single(sub, sub_value, f"{where}.{sub.name}", ignore_unknown)
            if coerced is not None:
                result[sub.name] = coerced
        return result or None
    return coerce_scalar(attribute, value, where)


def coerce_scalar(attribute: Attribute, value: Any, where: str) -> Any:
    """Check a simple (non-complex) value against `attribute`'s type; 400 invalidValue if not."""
    kind = attribute.type
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        # Microsoft Entra sends "True"/"False" as strings for boolean attributes.
        if isinstance(value, str) and value.lower() in _BOOLEAN_STRINGS:
            return _BOOLEAN_STRINGS[value.lower()]
        raise invalid_value(f"Attribute '{where}' must be a boolean; got {_describe(value)}.")
    if kind == "integer":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise invalid_value(f"Attribute '{where}' must be an integer; got {_describe(value)}.")
    if kind == "decimal":
        # JSON bodies may say 1e400, Infinity or NaN (Python's json reads them as floats), but
        # no JSON answer can carry them back.
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, float) and math.isfinite(value):
            return value
        raise invalid_value(f"Attribute '{where}' must be a number (finite); "
                            f"got {_describe(value)}.")
    if not isinstance(value, str):
        raise invalid_value(f"Attribute '{where}' must be a string; got {_describe(value)}.")
    if not _encodable(value):
        # JSON may escape half a surrogate pair ("\ud800"); stored, it would make every later
        # answer that shows the resource fail to encode as UTF-8.
        raise invalid_value(f"Attribute '{where}' holds an unpaired surrogate; got "
                            f"{_describe(value)}.")
    if kind == "dateTime" and parse_datetime(value) is None:
        raise invalid_value(f"Attribute '{where}' must be an xsd:dateTime; got '{value}'.")
    return value


def _encodable(text: str) -> bool:
    """Whether `text` can be written as UTF-8 (it has no unpaired surrogate)."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _describe(value: Any) -> str:
    names = {bool: "a boolean", int: "an integer", float: "a number", str: "a string",
             list: "a list", dict: "an object"}
    shown = repr(value) if not isinstance(value, dict | list) else ""
    return f"{names.get(type(value), type(value).__name__)} {shown}".strip()


def parse_datetime(value: str) -> datetime | None:
    """An xsd:dateTime as a datetime, or None when it is not one."""
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None


def missing_required(resource: dict[str, Any], schema: ResourceSchema) -> str | None:
    """The first attribute the schemas mark required that `resource` lacks, or None."""
    for attribute in schema.core.attributes:
        if attribute.required and attribute.mutability != "readOnly" and _absent(
            resource.get(attribute.name)
        ):
            return attribute.name
    for extension in schema.extensions:
        data = resource.get(extension.id)
        if data is None and extension.id not in schema.required_extensions:
            continue
        for attribute in extension.attributes:
            if attribute.required and _absent((data or {}).get(attribute.name)):
                return f"{extension.id}:{attribute.name}"
    return None


def _absent(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def require_attributes(resource: dict[str, Any], schema: ResourceSchema) -> None:
    """Raise 400 invalidValue naming the first required attribute that is missing."""
    missing = missing_required(resource, schema)
    if missing is not None:
        raise invalid_value(f"Required attribute '{missing}' is missing.")


def check_immutable(new: dict[str, Any], old: dict[str, Any], schema: ResourceSchema) -> None:
    """RFC 7643 §7: an immutable attribute, once set, may not change (400 mutability)."""
    for attribute in schema.core.attributes:
        if attribute.mutability == "immutable":
            _check_immutable_value(attribute.name, new.get(attribute.name),
                                   old.get(attribute.name))
    for extension in schema.extensions:
        for attribute in extension.attributes:
            if attribute.mutability == "immutable":
                _check_immutable_value(
                    f"{extension.id}:{attribute.name}",
                    (new.get(extension.id) or {}).get(attribute.name),
                    (old.get(extension.id) or {}).get(attribute.name),
                )


def _check_immutable_value(name: str, new: Any, old: Any) -> None:
    if old is not None and new != old:
        raise mutability(f"Attribute '{name}' is immutable and already has a value.")

