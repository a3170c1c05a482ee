"""Value rules a PATCH applies (RFC 7643 §2.2-§2.5, RFC 7644 §3.5.2): merging complex
values, matching and adding multi-valued items, one primary, immutability, and the wrappings
Microsoft Entra sends."""

from __future__ import annotations

from typing import Any

from sandbox.scim import errors
from sandbox.scim.filter import And, Compare, Node
from sandbox.scim.schema import Attribute, ResourceSchema, Schema


def unwrap(attr: Attribute, value: Any) -> Any:
    """Microsoft Entra sometimes wraps a single value in a list: `[{"value": v}]` or `[v]`."""
    if not isinstance(value, list) or len(value) != 1:
        return value
    item = value[0]
    if not attr.is_complex and isinstance(item, dict) and len(item) == 1:
        key, inner = next(iter(item.items()))
        if key.lower() == "value":
            return inner
    return item


def merge(attr: Attribute, old: dict, patch: dict) -> dict:
    """`old` updated with `patch`'s sub-attributes; a None in `patch` removes one."""
    check_immutable(attr, old, patch)
    merged = dict(old)
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged


def check_immutable(attr: Attribute, old: dict, patch: dict) -> None:
    for key, value in patch.items():
        sub = attr.sub(key)
        if sub and sub.mutability == "immutable" and old.get(key) is not None and value != old[key]:
            raise errors.mutability(f"Sub-attribute '{attr.name}.{sub.name}' is immutable")


def add_items(attr: Attribute, items: list, new_items: list) -> tuple[list, list[int]]:
    """RFC 7644 §3.5.2.1: append values, merging those already present instead of
    duplicating them. Returns the list and the positions written."""
    result = list(items)
    written = []
    for new in new_items:
        for index, old in enumerate(result):
            if same_item(attr, old, new):
                result[index] = merge(attr, old, new) if isinstance(old, dict) else old
                written.append(index)
                break
        else:
            result.append(new)
            written.append(len(result) - 1)
    return result, written


def same_item(attr: Attribute, old: Any, new: Any) -> bool:
    """Whether `new` names the value `old`: same `value` (and `type` when both have one),
    or for values without `value`, every sub-attribute `new` gives equal in `old`."""
    if not attr.is_complex:
        return _equal(attr, old, new)
    if not isinstance(old, dict) or not isinstance(new, dict):
        return False
    value_sub, type_sub = attr.sub("value"), attr.sub("type")
    if value_sub and value_sub.name in old and value_sub.name in new:
        if not _equal(value_sub, old[value_sub.name], new[value_sub.name]):
            return False
        if type_sub and type_sub.name in old and type_sub.name in new:
            return _equal(type_sub, old[type_sub.name], new[type_sub.name])
        return True
    return all(key in old and _equal(attr.sub(key), old[key], v) for key, v in new.items())


def _equal(attr: Attribute | None, a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str) and attr is not None and not attr.case_exact:
        return a.lower() == b.lower()
    return a == b


def one_primary(attr: Attribute, items: list, written: list[int]) -> None:
    """RFC 7643 §2.4: at most one value is primary; the one just written wins."""
    primary = attr.sub("primary")
    if primary is None:
        return
    chosen = [i for i in written if isinstance(items[i], dict) and items[i].get(primary.name)]
    if not chosen:
        return
    for index, item in enumerate(items):
        if index != chosen[-1] and isinstance(item, dict) and item.get(primary.name):
            item[primary.name] = False


def eq_pairs(node: Node) -> list[tuple[str, Any]] | None:
    """`[(sub, literal)]` when `node` is `eq` comparisons joined by `and`, else None."""
    if isinstance(node, And):
        left, right = eq_pairs(node.left), eq_pairs(node.right)
        return None if left is None or right is None else left + right
    if (
        isinstance(node, Compare)
        and node.op == "eq"
        and node.value is not None
        and node.path.urn is None
        and node.path.sub is None
    ):
        return [(node.path.attr, node.value)]
    return None


def item_schema(schema: ResourceSchema, attr: Attribute) -> ResourceSchema:
    """A schema whose attributes are `attr`'s sub-attributes: value filters in a path are
    relative to the multi-valued attribute's values (RFC 7644 §3.5.2)."""
    core = Schema(id=schema.core.id, name="", description="", attributes=attr.sub_attributes)
    return ResourceSchema(attr.name, "", core)


def without_nulls(value: dict) -> dict:
    return {key: item for key, item in value.items() if item is not None}


def is_empty(value: Any) -> bool:
    return value is None or value == [] or value == {}
