"""Applying a PATCH request's operations to a resource dict (RFC 7644 §3.5.2).

The resource uses canonical keys (`Attribute.name`, extension data under its schema URN).
Besides the RFC's operations this accepts the dialects real provisioning clients send,
Microsoft Entra ID above all: pathless values with dotted or URN-qualified keys,
`"True"`/`"False"` strings for booleans, nulls meaning "remove", `remove` of `members` with a
value list, and filtered paths that create the missing item.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sandbox.scim import errors
from sandbox.scim.filter import Node, compile_filter, parse_path
from sandbox.scim.patch.references import bare_extension_ref, single_value
from sandbox.scim.patch.request import MISSING, PatchRequest, has_urn, json_kind
from sandbox.scim.patch.values import (
    add_items,
    check_immutable,
    eq_pairs,
    is_empty,
    item_schema,
    merge,
    one_primary,
    same_item,
    unwrap,
    without_nulls,
)
from sandbox.scim.resource import coerce_scalar
from sandbox.scim.schema import Attribute, AttrRef, ResourceSchema


def apply_patch(
    resource: dict, request: PatchRequest | Mapping[str, Any], schema: ResourceSchema, *,
    ignore_unknown: bool = False,
) -> dict:
    """Apply a PATCH request (or its JSON body) to `resource` and return the patched copy.

    `resource` is never modified, so a PATCH that fails half-way leaves no trace (RFC 7644
    §3.5.2: operations are applied atomically). Raises `ScimError` (400) for a malformed body,
    an unknown or read-only target, or a value of the wrong type. With `ignore_unknown`,
    operations on attributes the schema does not define are skipped instead of rejected, as
    vendors that ignore unknown attributes do. Required attributes are not checked here: the
    caller validates the whole resource afterwards.
    """
    if not isinstance(request, PatchRequest):
        request = PatchRequest.parse(request)
    patch = _Patch(copy.deepcopy(resource), schema, ignore_unknown)
    for operation in request.operations:
        patch.apply(operation.op, operation.path, operation.value)
    return patch.resource


@dataclass(frozen=True, slots=True)
class _Target:
    """Where a path points: a whole schema (`ref` None) or an attribute, maybe filtered."""

    written: str  # the path as the client wrote it, for error details
    extension: str | None  # canonical extension URN, None for the core schema
    ref: AttrRef | None = None
    value_filter: Node | None = None


@dataclass(slots=True)
class _Patch:
    resource: dict
    schema: ResourceSchema
    ignore_unknown: bool

    def apply(self, op: str, path: str | None, value: Any) -> None:
        if op == "remove":
            if path is None:
                raise errors.no_target("A 'remove' operation needs a 'path' (RFC 7644 §3.5.2.2)")
            self.remove(path, None if value is MISSING else value)
        elif value is MISSING:
            raise errors.invalid_value(f"An '{op}' operation needs a 'value'")
        elif path is None:
            self.write_pathless(op, value)
        else:
            self.write_path(op, path, value)

    # --- targets ---

    def target(self, text: str, unassigning: bool = False) -> _Target | None:
        """Resolve a path (or a pathless value's key); None when unknown and ignored.

        `unassigning` is a remove or a null value: on an attribute the profile does not have
        it changes nothing (such an attribute is always unassigned, RFC 7643 §2.5), so it is
        skipped even where unknown attributes are refused; Microsoft Entra sends nulls and
        removes for attributes an app may lack, its manager reference among them."""
        path = parse_path(text, self.schema)
        if path.attr is None:  # a bare schema URN: the core, or one extension's object
            extension = self.schema.extension(path.urn or "")
            return _Target(text, extension.id if extension else None)
        ref = self.schema.resolve(path.attr, path.sub, path.urn)
        if ref is None and path.urn is None:
            ref = bare_extension_ref(self.schema, path.attr, path.sub)  # Entra's `manager`
        if ref is None:
            if self.ignore_unknown or unassigning:
                return None
            raise errors.invalid_path(f"Unknown attribute '{text}' for {self.schema.name}")
        if path.value_filter is not None and not ref.attribute.multi_valued:
            raise errors.invalid_path(
                f"'{text}': a value filter needs a multi-valued attribute, "
                f"'{ref.attribute.name}' is single-valued"
            )
        for attr in (ref.attribute, ref.sub_attribute):
            if attr is not None and attr.mutability == "readOnly":
                raise errors.mutability(f"Attribute '{ref.dotted}' is readOnly")
        return _Target(text, ref.extension, ref, path.value_filter)

    def container(self, extension: str | None, create: bool) -> dict | None:
        """The dict an attribute lives in: the resource, or its extension's object."""
        if extension is None:
            return self.resource
        if extension not in self.resource and create:
            self.resource[extension] = {}
            schemas = self.resource.get("schemas")
            if isinstance(schemas, list) and not has_urn(schemas, extension):
                schemas.append(extension)
        return self.resource.get(extension)

    def current(self, target: _Target) -> Any:
        """A private copy of the target attribute's value, None when unassigned."""
        box = self.container(target.extension, create=False)
        return copy.deepcopy(box.get(_ref(target).attribute.name)) if box else None

    def store(self, target: _Target, new: Any) -> None:
        """Set the target attribute to `new`; an empty value unassigns it (RFC 7643 §2.5)."""
        attr = _ref(target).attribute
        box = self.container(target.extension, create=not is_empty(new))
        old = box.get(attr.name) if box is not None else None
        # RFC 7643 §2.2: an immutable attribute may be set once, never changed afterwards.
        if attr.mutability == "immutable" and old is not None and new != old:
            raise errors.mutability(f"Attribute '{_ref(target).dotted}' is immutable")
        if box is None:
            return
        if not is_empty(new):
            box[attr.name] = new
            return
        box.pop(attr.name, None)
        if target.extension is not None and not box:
            self.drop_extension(target.extension)

    def drop_extension(self, extension: str) -> None:
        self.resource.pop(extension, None)
        schemas = self.resource.get("schemas")
        if isinstance(schemas, list):
            schemas[:] = [s for s in schemas if not has_urn([s], extension)]

    # --- add and replace ---

    def write_pathless(self, op: str, value: Any, prefix: str = "") -> None:
        """RFC 7644 §3.5.2.1/§3.5.2.3: without a path, `value` holds attributes to add or
        replace; Microsoft Entra writes its keys as `name.givenName` or `urn:…:User:attr`."""
        if not isinstance(value, dict):
            raise errors.invalid_value(
                f"An '{op}' without a path needs an object value, got {json_kind(value)}"
            )
        for key, item in value.items():
            if key.lower() == "schemas":
                # A value object may name its own schema (scim2-models' clients send an
                # extension object with "schemas"); that describes the value, it is no attribute.
                continue
            self.write_path(op, prefix + key, item)

    def write_path(self, op: str, path: str, value: Any) -> None:
        if value is None:
            # Microsoft Entra sends null for attributes it no longer maps: remove them.
            self.remove(path, None)
            return
        target = self.target(path)
        if target is None:
            return
        if target.ref is None:
            prefix = f"{target.extension}:" if target.extension else ""
            self.write_pathless(op, value, prefix)
        elif target.ref.attribute.multi_valued and (
            target.value_filter is not None or target.ref.sub_attribute is not None
        ):
            self.write_items(op, target, value)
        elif target.ref.attribute.multi_valued:
            self.write_list(op, target, value)
        else:
            self.write_single(target, value)

    def write_single(self, target: _Target, value: Any) -> None:
        """A single-valued attribute or sub-attribute. RFC 7644 §3.5.2.1: add and replace on
        a complex attribute both merge the given sub-attributes into the current ones."""
        ref = _ref(target)
        attr = ref.attribute
        if ref.sub_attribute is not None:
            value = {ref.sub_attribute.name: value}
        elif not attr.is_complex:
            self.store(target, self.coerce(attr, value, ref.dotted))
            return
        patch = self.coerce(attr, value, AttrRef(ref.extension, attr).dotted)
        self.store(target, merge(attr, self.current(target) or {}, patch))

    def write_list(self, op: str, target: _Target, value: Any) -> None:
        """A whole multi-valued attribute: replace swaps the list (RFC 7644 §3.5.2.3), add
        appends values not already there (§3.5.2.1)."""
        ref = _ref(target)
        items = self.coerce(ref.attribute, value, ref.dotted)
        if not items and value != []:
            return  # every value was made of unknown sub-attributes, skipped
        if op == "replace":
            new, written = items, list(range(len(items)))
        else:
            new, written = add_items(ref.attribute, self.current(target) or [], items)
        one_primary(ref.attribute, new, written)
        self.store(target, new)

    def write_items(self, op: str, target: _Target, value: Any) -> None:
        """`attr[filter]`, `attr[filter].sub` or `attr.sub` on a multi-valued attribute:
        change the matching values, or create one when the filter says what it looks like."""
        ref = _ref(target)
        attr, sub = ref.attribute, ref.sub_attribute
        if sub is not None:
            patch = {sub.name: self.coerce(sub, value, ref.dotted)}
        else:
            patch = self.coerce_complex(attr, value, ref.dotted)
        if not patch:
            return  # only unknown sub-attributes, skipped
        items = self.current(target) or []
        matches = self.matching(target, items)
        for index in matches:
            if op == "replace" and sub is None:
                # RFC 7644 §3.5.2.3: matching values are replaced as a whole.
                check_immutable(attr, items[index], patch)
                items[index] = without_nulls(patch)
            else:
                items[index] = merge(attr, items[index], patch)
        if not matches:
            seed = self.equalities(target)
            if seed is None:
                raise errors.no_target(f"No value of '{attr.name}' matches '{target.written}'")
            # Microsoft Entra sends `emails[type eq "work"].value` for the first work email.
            items.append(without_nulls({**seed, **patch}))
            matches = [len(items) - 1]
        one_primary(attr, items, matches)
        self.store(target, [item for item in items if item])

    def matching(self, target: _Target, items: list) -> list[int]:
        attr = _ref(target).attribute
        if target.value_filter is None:
            return list(range(len(items)))  # `emails.type`: every value
        try:
            accepts: Callable[[dict], bool] = compile_filter(
                target.value_filter, item_schema(self.schema, attr)
            )
        except errors.ScimError as error:
            # RFC 7644 §3.5.2: a bad filter inside a PATCH path is a bad path.
            raise errors.invalid_path(f"'{target.written}': {error.detail}") from None
        return [i for i, item in enumerate(items) if isinstance(item, dict) and accepts(item)]

    def equalities(self, target: _Target) -> dict | None:
        """The item a filter made only of `eq` joined by `and` describes, else None."""
        ref = _ref(target)
        if target.value_filter is None:
            return {}
        pairs = eq_pairs(target.value_filter)
        if pairs is None:
            return None
        seed = {}
        for name, literal in pairs:
            sub = ref.attribute.sub(name)
            if sub is None:
                return None
            seed[sub.name] = self.coerce(sub, literal, f"{ref.attribute.name}.{sub.name}")
        return seed

    # --- remove ---

    def remove(self, path: str, value: Any) -> None:
        """RFC 7644 §3.5.2.2: remove the attribute, sub-attribute or matching values."""
        target = self.target(path, unassigning=True)
        if target is None:
            return
        ref = target.ref
        if ref is None:
            if target.extension is None:
                raise errors.invalid_path(f"Cannot remove the core schema '{target.written}'")
            self.drop_extension(target.extension)
        elif ref.attribute.multi_valued and (
            target.value_filter is not None or ref.sub_attribute is not None
        ):
            self.remove_in_items(target)
        elif ref.sub_attribute is not None:
            old = self.current(target)
            if isinstance(old, dict):
                self.store(target, merge(ref.attribute, old, {ref.sub_attribute.name: None}))
        elif ref.attribute.multi_valued and value is not None:
            # Microsoft Entra removes members as `"path": "members", "value": [{"value": id}]`:
            # only the listed values go.
            doomed = self.coerce(ref.attribute, value, ref.dotted)
            items = self.current(target) or []
            kept = [i for i in items if not any(same_item(ref.attribute, i, d) for d in doomed)]
            self.store(target, kept)
        else:
            self.store(target, None)

    def remove_in_items(self, target: _Target) -> None:
        ref = _ref(target)
        items = self.current(target) or []
        matches = set(self.matching(target, items))
        kept = []
        for index, item in enumerate(items):
            if index in matches and ref.sub_attribute is not None:
                item = merge(ref.attribute, item, {ref.sub_attribute.name: None})
            if index not in matches or (ref.sub_attribute is not None and item):
                kept.append(item)
        self.store(target, kept)

    # --- values ---

    def coerce(self, attr: Attribute, value: Any, name: str) -> Any:
        """Check `value` against `attr`'s type, canonicalising sub-attribute keys."""
        if attr.multi_valued:
            values = value if isinstance(value, list) else [value]
            items = []
            for item in values:
                if item is None:
                    raise errors.invalid_value(f"Attribute '{name}' cannot hold null values")
                item = self.coerce_one(attr, item, name)
                if attr.is_complex:
                    item = without_nulls(item)
                if item != {}:
                    items.append(item)
            return items
        return self.coerce_one(attr, unwrap(attr, single_value(attr, value, name)), name)

    def coerce_one(self, attr: Attribute, value: Any, name: str) -> Any:
        if attr.is_complex:
            return self.coerce_complex(attr, value, name)
        return coerce_scalar(attr, value, name)

    def coerce_complex(self, attr: Attribute, value: Any, name: str) -> dict:
        """A complex value with canonical keys; a null sub-attribute value means remove."""
        if not isinstance(value, dict):
            # Microsoft Entra sends the manager as a bare id: `"value": "mgr-id"`.
            if attr.multi_valued or attr.sub("value") is None or isinstance(value, list):
                raise errors.invalid_value(
                    f"Attribute '{name}' must be an object, got {json_kind(value)}"
                )
            value = {"value": value}
        result: dict = {}
        for key, item in value.items():
            sub = attr.sub(key)
            if sub is None:
                if self.ignore_unknown:
                    continue
                raise errors.invalid_path(f"Unknown sub-attribute '{name}.{key}'")
            if sub.mutability == "readOnly":
                raise errors.mutability(f"Sub-attribute '{name}.{sub.name}' is readOnly")
            sub_name = f"{name}.{sub.name}"
            result[sub.name] = None if item is None else self.coerce(sub, item, sub_name)
        return result


def _ref(target: _Target) -> AttrRef:
    assert target.ref is not None
    return target.ref
