"""Compiling a parsed filter against a schema into a predicate over stored resources.

Compiling resolves every attribute once and builds closures, so a predicate call does plain
dict reads and no schema lookups.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sandbox.scim.errors import invalid_filter
from sandbox.scim.filter.syntax import (
    COMPARE_OPS,
    And,
    AttrPath,
    Compare,
    Node,
    Not,
    Or,
    Present,
    ValuePath,
    written_path,
)
from sandbox.scim.schema import Attribute, AttrRef, ResourceSchema

Predicate = Callable[[dict], bool]
Test = Callable[[Any], bool]

_ORDER_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "gt": operator.gt, "ge": operator.ge, "lt": operator.lt, "le": operator.le,
}
_STRING_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": operator.eq, "co": operator.contains, "sw": str.startswith, "ew": str.endswith,
    **_ORDER_OPS,
}
_NUMBER_OPS: dict[str, Callable[[Any, Any], bool]] = {"eq": operator.eq, **_ORDER_OPS}
_NUMBER_TYPES = frozenset({int, float})  # by exact type, so that bool (an int) is excluded
_INT_TEXT_RE = re.compile(r"[+-]?[0-9]+")
_DECIMAL_TEXT_RE = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


@dataclass(frozen=True, slots=True)
class _Scope:
    """Inside `attr[...]`: the resolved `attr`, and how the client wrote it (for messages)."""

    ref: AttrRef
    written: str


def compile_filter(node: Node, schema: ResourceSchema) -> Callable[[dict], bool]:
    """Compile a parsed filter into a predicate over resources keyed by canonical names.

    Attributes are resolved once, here; an unknown attribute or an operator the attribute's
    type does not support raises `invalid_filter`. The predicate never raises on odd data.
    """
    return _compile(node, schema, None)


def values_at(resource: dict, ref: AttrRef) -> list:
    """The values at `ref` as a flat list: empty when absent, a list attribute's items, or
    with a sub-attribute that sub-attribute of each (complex) value; None values are skipped."""
    container = resource if ref.extension is None else resource.get(ref.extension)
    if not isinstance(container, dict):
        return []
    values = _as_list(container.get(ref.attribute.name))
    if ref.sub_attribute is None:
        return values
    name = ref.sub_attribute.name
    found: list = []
    for item in values:
        if isinstance(item, dict):
            found.extend(_as_list(item.get(name)))
    return found


def _as_list(value: Any) -> list:
    if value is None:
        return []
    if isinstance(value, list):
        return [v for v in value if v is not None]
    return [value]


def _compile(node: Node, schema: ResourceSchema, scope: _Scope | None) -> Predicate:
    if isinstance(node, Compare):
        return _compile_compare(node, schema, scope)
    if isinstance(node, Present):
        ref, _ = _resolve(node.path, schema, scope)
        return _any_value(ref, scope, _is_present)
    if isinstance(node, And | Or):
        # Chains are flattened so a filter of many terms neither recurses here nor when called.
        preds = [_compile(n, schema, scope) for n in _operands(node, type(node))]
        return _all_of(preds) if isinstance(node, And) else _any_of(preds)
    if isinstance(node, Not):
        inner = _compile(node.node, schema, scope)
        return lambda resource: not inner(resource)
    if isinstance(node, ValuePath):
        return _compile_value_path(node, schema, scope)
    raise invalid_filter(f"Not a filter expression: {node!r}")


def _operands(node: And | Or, kind: type) -> list[Node]:
    """The operands of a chain of `kind` nodes, left to right, without recursion."""
    operands: list[Node] = []
    stack: list[Node] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, kind):
            stack.append(current.right)  # type: ignore[union-attr]
            stack.append(current.left)  # type: ignore[union-attr]
        else:
            operands.append(current)
    return operands


def _all_of(preds: list[Predicate]) -> Predicate:
    if len(preds) == 2:
        first, second = preds
        return lambda resource: first(resource) and second(resource)

    def all_of(resource: dict) -> bool:
        return all(pred(resource) for pred in preds)

    return all_of


def _any_of(preds: list[Predicate]) -> Predicate:
    if len(preds) == 2:
        first, second = preds
        return lambda resource: first(resource) or second(resource)

    def any_of(resource: dict) -> bool:
        return any(pred(resource) for pred in preds)

    return any_of


def _resolve(path: AttrPath, schema: ResourceSchema, scope: _Scope | None) -> tuple[AttrRef, str]:
    """The attribute `path` means, and how the client wrote it; unknown ones are an error."""
    if scope is None:
        written = written_path(path)
        ref = schema.resolve(path.attr, path.sub, path.urn)
    else:
        written = f"{scope.written}.{written_path(path)}"
        ref = None
        if path.urn is None and path.sub is None:
            outer = scope.ref
            ref = schema.resolve(outer.attribute.name, path.attr, outer.extension)
    if ref is None:
        raise invalid_filter(f"Unknown attribute '{written}' in filter")
    return ref, written


def _getter(ref: AttrRef, scope: _Scope | None) -> Callable[[dict], Any] | None:
    """How to read the raw stored value (a scalar, a list or None) at `ref`; None means the
    caller should inline `resource.get(name)` (a core attribute, or a sub-attribute read
    from one value inside `attr[...]`), which is the hot path."""
    if scope is not None:
        return None
    if ref.sub_attribute is None:
        if ref.extension is None:
            return None
        extension, name = ref.extension, ref.attribute.name

        def extension_value(resource: dict) -> Any:
            container = resource.get(extension)
            return container.get(name) if isinstance(container, dict) else None

        return extension_value
    return lambda resource: values_at(resource, ref)


def _any_value(ref: AttrRef, scope: _Scope | None, test: Test) -> Predicate:
    """True when `test` holds for one of the values at `ref` (RFC 7644: any value matches)."""
    getter = _getter(ref, scope)
    if getter is None:
        name = ref.target.name if scope is not None else ref.attribute.name

        def match_direct(resource: dict) -> bool:
            value = resource.get(name)
            if value.__class__ is list:
                return any(map(test, value))
            return value is not None and test(value)

        return match_direct

    def match(resource: dict) -> bool:
        value = getter(resource)
        if value.__class__ is list:
            return any(map(test, value))
        return value is not None and test(value)

    return match


def _is_present(value: Any) -> bool:
    return value is not None and value != "" and value != [] and value != {}


def _not_none(value: Any) -> bool:
    return value is not None


def _compile_compare(node: Compare, schema: ResourceSchema, scope: _Scope | None) -> Predicate:
    ref, written = _resolve(node.path, schema, scope)
    op = node.op
    if op not in COMPARE_OPS:
        raise invalid_filter(f"Unknown operator '{op}' for '{written}'")
    if node.value is None:
        if op not in ("eq", "ne"):
            raise invalid_filter(f"Operator '{op}' cannot compare '{written}' with null")
        present = _any_value(ref, scope, _not_none)
        return present if op == "ne" else (lambda resource: not present(resource))
    target = ref.target
    if target.is_complex:
        ref = _complex_value_ref(ref, op, written)
        target = ref.target
    # `ne` is exactly `not eq`, so an absent attribute is `ne` anything.
    test = _value_test(target, "eq" if op == "ne" else op, node.value, node.raw, written)
    match = _any_value(ref, scope, test)
    return (lambda resource: not match(resource)) if op == "ne" else match


def _complex_value_ref(ref: AttrRef, op: str, written: str) -> AttrRef:
    """`emails co "@x"` compares each email's `value`; other complex comparisons are errors."""
    value_sub = ref.attribute.sub("value")
    if op in _ORDER_OPS or not ref.attribute.multi_valued or value_sub is None:
        example = ref.attribute.sub_attributes[0].name if ref.attribute.sub_attributes else "sub"
        raise invalid_filter(
            f"Cannot compare the complex attribute '{written}' with '{op}'; "
            f"name one of its sub-attributes, e.g. '{written}.{example}'"
        )
    return AttrRef(ref.extension, ref.attribute, value_sub)


def _value_test(attr: Attribute, op: str, value: Any, raw: str, written: str) -> Test:
    """A test of one stored value against the literal, coerced to the attribute's type."""
    kind = attr.type
    if kind == "boolean":
        return _boolean_test(op, value, raw, written)
    if kind in ("integer", "decimal"):
        return _number_test(kind, op, value, raw, written)
    if kind == "dateTime" and op in _NUMBER_OPS:
        return _datetime_test(op, value, raw, written)
    if kind == "binary" and op in _ORDER_OPS:
        raise invalid_filter(f"Operator '{op}' is not supported for binary attribute '{written}'")
    # Strings, references, and dateTime substring tests. Entra sends `externalId eq 12345`
    # for a string attribute: a number or boolean literal compares as the text written.
    text = value if isinstance(value, str) else raw
    return _string_test(op, text, attr.case_exact)


def _string_test(op: str, literal: str, case_exact: bool) -> Test:
    compare = _STRING_OPS[op]
    if case_exact:
        if compare is operator.eq:
            return lambda value: value.__class__ is str and value == literal
        return lambda value: isinstance(value, str) and compare(value, literal)
    folded = literal.casefold()
    if compare is operator.eq:
        return lambda value: isinstance(value, str) and value.casefold() == folded
    return lambda value: isinstance(value, str) and compare(value.casefold(), folded)


def _boolean_test(op: str, value: Any, raw: str, written: str) -> Test:
    if op != "eq":
        raise invalid_filter(
            f"Operator '{op}' is not supported for boolean attribute '{written}'; use eq or ne"
        )
    if isinstance(value, str) and value.lower() in ("true", "false"):
        value = value.lower() == "true"
    if not isinstance(value, bool):
        raise invalid_filter(f"'{written}' is boolean and cannot be compared with {raw}")
    literal: bool = value
    return lambda stored: stored is literal


def _number_test(kind: str, op: str, value: Any, raw: str, written: str) -> Test:
    compare = _NUMBER_OPS.get(op)
    if compare is None:
        raise invalid_filter(f"Operator '{op}' is not supported for {kind} attribute '{written}'")
    literal = _as_number(value, kind)
    if literal is None:
        raise invalid_filter(f"'{written}' is {kind} and cannot be compared with {raw}")
    return lambda stored: stored.__class__ in _NUMBER_TYPES and compare(stored, literal)


def _as_number(value: Any, kind: str) -> int | float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        text = value.strip()
        if _INT_TEXT_RE.fullmatch(text):
            try:
                return int(text)
            except ValueError:  # beyond int()'s digit limit
                return None
        if kind == "decimal" and _DECIMAL_TEXT_RE.fullmatch(text):
            return float(text)
    return None


def _datetime_test(op: str, value: Any, raw: str, written: str) -> Test:
    literal = _parse_datetime(value) if isinstance(value, str) else None
    if literal is None:
        raise invalid_filter(f"'{written}' is a dateTime and cannot be compared with {raw}")
    compare = _NUMBER_OPS[op]

    def test(stored: Any) -> bool:
        if isinstance(stored, str):
            stored = _parse_datetime(stored)
        elif isinstance(stored, datetime):
            stored = _aware(stored)
        else:
            return False
        return stored is not None and compare(stored, literal)

    return test


@lru_cache(maxsize=4096)
def _parse_datetime(text: str) -> datetime | None:
    """An RFC 3339 timestamp (trailing Z accepted) as an aware datetime, or None."""
    try:
        return _aware(datetime.fromisoformat(text.strip()))
    except ValueError:
        return None


def _aware(moment: datetime) -> datetime:
    # Naive timestamps are taken as UTC so they compare with aware ones instead of raising.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _compile_value_path(node: ValuePath, schema: ResourceSchema, scope: _Scope | None) -> Predicate:
    written = written_path(node.path)
    if scope is not None:
        raise invalid_filter(f"Nested value path '{scope.written}[{written}[...]]' is not allowed")
    if node.path.sub is not None:
        raise invalid_filter(f"A '[...]' filter cannot follow the sub-attribute path '{written}'")
    ref, written = _resolve(node.path, schema, None)
    if not ref.attribute.is_complex:
        raise invalid_filter(
            f"'{written}[...]' needs a complex attribute, but '{written}' is {ref.attribute.type}"
        )
    inner = _compile(node.filter, schema, _Scope(ref, written))
    getter = _getter(ref, None)
    name = ref.attribute.name

    def match(resource: dict) -> bool:
        value = resource.get(name) if getter is None else getter(resource)
        if value.__class__ is list:
            return any(isinstance(item, dict) and inner(item) for item in value)
        return isinstance(value, dict) and inner(value)

    return match
