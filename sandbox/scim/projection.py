"""`attributes` and `excludedAttributes` (RFC 7644 §3.4.2.5), honouring each attribute's
`returned` characteristic (RFC 7643 §7)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sandbox.scim.schema import Attribute, ResourceSchema

# (container, attribute, sub-attribute): container is None for core attributes.
_Key = tuple[str | None, str, str | None]


def _resolve_names(names: Iterable[str], schema: ResourceSchema) -> set[_Key]:
    keys: set[_Key] = set()
    for raw in names:
        name = raw.strip()
        if not name:
            continue
        extension = schema.extension(name)
        if extension is not None:
            keys.add((extension.id, "*", None))
            continue
        urn, rest = schema.split_urn(name)
        attr, _, sub = rest.partition(".")
        ref = schema.resolve(attr, sub or None, urn)
        if ref is not None:
            keys.add((ref.extension, ref.attribute.name,
                      ref.sub_attribute.name if ref.sub_attribute else None))
    return keys


def project(
    resource: dict[str, Any],
    schema: ResourceSchema,
    attributes: list[str] | None = None,
    excluded: list[str] | None = None,
) -> dict[str, Any]:
    """The representation of `resource` a client asked for (a new dict)."""
    if attributes:
        return _include(resource, schema, _resolve_names(attributes, schema))
    return _exclude(resource, schema, _resolve_names(excluded or (), schema))


def _returned(attribute: Attribute | None) -> str:
    return attribute.returned if attribute is not None else "default"


def _include(resource: dict[str, Any], schema: ResourceSchema, keys: set[_Key]) -> dict[str, Any]:
    wanted_top = {(c, a) for c, a, _ in keys}
    result: dict[str, Any] = {}
    for name, value in resource.items():
        extension = schema.extension(name) if name.startswith("urn:") else None
        if extension is not None:
            if (extension.id, "*") in wanted_top:
                result[name] = _strip_never(value, extension.attribute)
                continue
            picked = {
                k: v for k, v in value.items()
                if _returned(extension.attribute(k)) == "always"
                or ((extension.id, k) in wanted_top
                    and _returned(extension.attribute(k)) != "never")
            }
            if picked:
                result[name] = picked
            continue
        attribute = schema.top_level(name)
        returned = _returned(attribute)
        if returned == "always":
            result[name] = value
        elif returned != "never" and (None, name) in wanted_top:
            subs = {s for c, a, s in keys if c is None and a == name}
            result[name] = value if None in subs else _pick_subs(value, subs)
    return result


def _pick_subs(value: Any, subs: set[str | None]) -> Any:
    if isinstance(value, list):
        return [{k: v for k, v in item.items() if k in subs} for item in value
                if isinstance(item, dict)]
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if k in subs}
    return value


def _strip_never(value: dict[str, Any], lookup: Any) -> dict[str, Any]:
    return {k: v for k, v in value.items() if _returned(lookup(k)) not in ("never", "request")}


def _exclude(resource: dict[str, Any], schema: ResourceSchema, keys: set[_Key]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for name, value in resource.items():
        if not keys:  # the common case: only the schema decides
            returned = schema.returned_of(name)
            if returned == "always" or (returned == "default" and value != {} and value != []):
                result[name] = value
                continue
            if returned is not None:
                continue
        extension = schema.extension(name) if name.startswith("urn:") else None
        if extension is not None:
            if (extension.id, "*", None) in keys:
                continue
            kept = {
                k: v for k, v in value.items()
                if _returned(extension.attribute(k)) == "always"
                or ((extension.id, k, None) not in keys
                    and _returned(extension.attribute(k)) not in ("never", "request"))
            }
            if kept:
                result[name] = kept
            continue
        returned = _returned(schema.top_level(name))
        if returned == "always":
            result[name] = value
            continue
        if returned in ("never", "request") or (None, name, None) in keys:
            continue
        dropped_subs = {s for c, a, s in keys if c is None and a == name and s}
        kept = _drop_subs(value, dropped_subs) if dropped_subs else value
        if kept != {} and kept != []:  # excluding every sub-attribute leaves nothing to show
            result[name] = kept
    return result


def _drop_subs(value: Any, subs: set[str]) -> Any:
    if isinstance(value, list):
        return [{k: v for k, v in item.items() if k not in subs} if isinstance(item, dict)
                else item for item in value]
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if k not in subs}
    return value
