"""Reading and rewriting the values an attribute path selects in a stored resource.

A rule names its attribute as a vendor's doc writes it: `userName`, `name.givenName`,
`phoneNumbers[type eq "work"].value`, `urn:…:enterprise:2.0:User:department`, `roles`.
`attribute_reader` resolves such a path against a resource type's schema once; the reader
then works on resources in the store's canonical form (`scim.resource`) with plain dict
reads. A path naming a complex attribute without a sub-attribute reads its `value`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sandbox.scim.errors import ScimError
from sandbox.scim.filter import Predicate, compile_filter, parse_attribute_path
from sandbox.scim.patch.values import item_schema
from sandbox.scim.schema import ResourceSchema


@dataclass(frozen=True, slots=True)
class AttributeReader:
    """The values one attribute path selects; built by `attribute_reader`."""

    written: str  # as the profile wrote it, for messages
    extension: str | None  # the extension URN holding the attribute; None for the core
    name: str  # the attribute's canonical name
    multi_valued: bool
    case_exact: bool  # of the value read
    item_test: Predicate | None = None  # `[filter]`: which values of a complex attribute
    sub: str | None = None  # the sub-attribute read in each complex value

    def values(self, resource: dict[str, Any]) -> list[Any]:
        """The values selected, in order; absent and null ones left out."""
        raw = self._raw(resource)
        if raw is None:
            return []
        items = raw if isinstance(raw, list) else [raw]
        if self.sub is None:
            return [item for item in items if item is not None]
        return [item[self.sub] for item in items
                if self._selects(item) and item.get(self.sub) is not None]

    def mapped(self, resource: dict[str, Any], change: Callable[[Any], Any]) -> dict[str, Any]:
        """`resource` with `change` applied to each selected value (a new dict where one
        changed; the stored resource is never touched)."""
        return self.edited(resource, lambda raw: self._each_changed(raw, change))

    def edited(self, resource: dict[str, Any], edit: Callable[[Any], Any]) -> dict[str, Any]:
        """`resource` with the whole attribute this path names replaced by `edit(value)`
        (removed when None); `resource` itself when the attribute is absent or unchanged."""
        raw = self._raw(resource)
        if raw is None:
            return resource
        new = edit(raw)
        return resource if new == raw else self._with(resource, new)

    def _each_changed(self, raw: Any, change: Callable[[Any], Any]) -> Any:
        if self.sub is None:
            return [change(item) for item in raw] if isinstance(raw, list) else change(raw)
        items = raw if isinstance(raw, list) else [raw]
        changed = [{**item, self.sub: change(item[self.sub])}
                   if self._selects(item) and item.get(self.sub) is not None else item
                   for item in items]
        return changed if isinstance(raw, list) else changed[0]

    def kept_from(self, new: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
        """`new` with the values this path selects taken back from `current`: for a
        single-valued attribute its value (or sub-attribute), for a multi-valued one the
        values the path selects, others left as `new` has them."""
        new_raw, old_raw = self._raw(new), self._raw(current)
        if self.multi_valued and (self.item_test is not None or self.sub is not None):
            value: Any = self._items_kept(new_raw or [], old_raw or [])
        elif self.sub is not None and not self.multi_valued:
            base = {k: v for k, v in (new_raw or {}).items() if k != self.sub}
            if isinstance(old_raw, dict) and old_raw.get(self.sub) is not None:
                base[self.sub] = copy.deepcopy(old_raw[self.sub])
            value = base or None
        else:
            value = copy.deepcopy(old_raw)
        return new if value == new_raw else self._with(new, value)

    def _items_kept(self, new: list[Any], old: list[Any]) -> list[Any] | None:
        """`new`'s values with those the path selects replaced by `old`'s, in place."""
        restored = [item for item in old if self._selects(item)]
        if [item for item in new if self._selects(item)] == restored:
            return new
        restored = copy.deepcopy(restored)
        if any(isinstance(item, dict) and item.get("primary") is True
               for item in new if not self._selects(item)):
            # Only one value may be primary: the one the client marked stays so.
            restored = [{k: v for k, v in item.items() if k != "primary"} for item in restored]
        result: list[Any] = []
        for item in new:
            if not self._selects(item):
                result.append(item)
            elif restored:
                result.extend(restored)
                restored = []
        if restored:  # the client dropped them: back where they stood
            position = next(i for i, item in enumerate(old) if self._selects(item))
            result[position:position] = restored
        return result or None

    def _selects(self, item: Any) -> bool:
        return isinstance(item, dict) and (self.item_test is None or self.item_test(item))

    def _raw(self, resource: dict[str, Any]) -> Any:
        container = resource if self.extension is None else resource.get(self.extension)
        return container.get(self.name) if isinstance(container, dict) else None

    def _with(self, resource: dict[str, Any], value: Any) -> dict[str, Any]:
        """A copy of `resource` with the attribute set to `value` (removed when None)."""
        if self.extension is None:
            container = {k: v for k, v in resource.items() if k != self.name}
        else:
            container = {k: v for k, v in (resource.get(self.extension) or {}).items()
                         if k != self.name}
        if value is not None:
            container[self.name] = value
        if self.extension is None:
            return container
        changed = {k: v for k, v in resource.items() if k != self.extension}
        if container:
            changed[self.extension] = container
        schemas = [s for s in resource.get("schemas", ()) if container or s != self.extension]
        if container and self.extension not in schemas:
            schemas.append(self.extension)
        return {**changed, "schemas": schemas} if "schemas" in resource else changed


def attribute_reader(written: str, schema: ResourceSchema) -> AttributeReader | None:
    """A reader of the path `written` in resources of `schema`; None when the schema has no
    such attribute or the path is malformed."""
    try:
        path = parse_attribute_path(written)
    except ScimError:
        return None
    ref = schema.resolve(path.attr, None, path.urn) if path.attr else None
    if ref is None:
        return None
    attribute = ref.attribute
    item_test = None
    if path.value_filter is not None:
        if not attribute.is_complex:
            return None
        try:
            item_test = compile_filter(path.value_filter, item_schema(schema, attribute))
        except ScimError:
            return None
    target = attribute.sub(path.sub) if path.sub else attribute.sub("value")
    if path.sub and target is None:
        return None
    if not attribute.is_complex:
        target = None
    return AttributeReader(written, ref.extension, attribute.name, attribute.multi_valued,
                           (target or attribute).case_exact, item_test,
                           target.name if target is not None else None)
