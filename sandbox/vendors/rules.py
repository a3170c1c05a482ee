"""Vendor rules written as the vendors' docs write them: required and filterable attributes.

A doc's attribute table names attributes in SCIM filter-path notation, such as
`emails[type eq "work"].value` or `urn:…:enterprise:2.0:User:employeeNumber`. We parse those
with the engine's filter parser, so the same spelling drives both the check and its message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sandbox.scim.errors import invalid_filter, invalid_value
from sandbox.scim.filter import (
    And,
    AttrPath,
    Compare,
    Node,
    Present,
    ValuePath,
    compile_filter,
    leaves,
    parse_filter,
    written_path,
)
from sandbox.scim.schema import GROUP_SCHEMA, USER_SCHEMA, ResourceSchema

_CORE = {USER_SCHEMA.lower(), GROUP_SCHEMA.lower()}


@dataclass(frozen=True, slots=True)
class RequiredPath:
    """One required attribute as the vendor doc writes it, with its presence test."""

    written: str
    node: Node
    present: Callable[[dict], bool]


def parse_attribute_path(written: str) -> Node:
    """`emails[type eq "work"].value` → the filter `emails[type eq "work"].value pr`."""
    return parse_filter(f"{written} pr")


def required_path(written: str, schema: ResourceSchema) -> RequiredPath:
    node = parse_attribute_path(written)
    return RequiredPath(written, node, compile_filter(node, schema))


def entry_attribute(written: str) -> str:
    """The attribute a doc entry names, dotted: `emails[type eq "work"].value` → `emails.value`."""
    node = parse_attribute_path(written)
    if isinstance(node, ValuePath) and isinstance(node.filter, And):
        base = written_path(node.path)
        leaf = node.filter.right
        return f"{base}.{leaf.path.attr}" if isinstance(leaf, Compare | Present) else base
    return written_path(node.path) if isinstance(node, Present | Compare) else written


def check_required(data: dict, required: tuple[RequiredPath, ...], vendor: str) -> None:
    """400 invalidValue naming the first required attribute `data` lacks, as the doc writes it."""
    for rule in required:
        if not rule.present(data):
            raise invalid_value(f"{vendor} requires the attribute '{rule.written}', "
                                "which is missing.")


def _path_key(path: AttrPath) -> str:
    urn = "" if path.urn is None or path.urn.lower() in _CORE else path.urn.lower() + ":"
    sub = f".{path.sub.lower()}" if path.sub else ""
    return f"{urn}{path.attr.lower()}{sub}"


def _typed_key(node: ValuePath) -> tuple[str, str] | None:
    """`emails[type eq "work" and value …]` → ('emails[type eq "work"].value', written)."""
    inner = node.filter
    if not isinstance(inner, And):
        return None
    for kind, term in ((inner.left, inner.right), (inner.right, inner.left)):
        if (isinstance(kind, Compare) and kind.op == "eq" and kind.path.attr.lower() == "type"
                and isinstance(kind.value, str) and isinstance(term, Compare | Present)
                and term.path.sub is None):
            prefix = _path_key(node.path)
            key = f'{prefix}[type eq "{kind.value.lower()}"].{term.path.attr.lower()}'
            return key, f'{written_path(node.path)}[type eq "{kind.value}"].{term.path.attr}'
    return None


def filter_terms(node: Node) -> Iterator[tuple[str, str]]:
    """(key, as written) of every attribute a filter compares, for filterability checks."""
    for leaf in leaves(node):
        if not isinstance(leaf, ValuePath):
            yield _path_key(leaf.path), written_path(leaf.path)
            continue
        typed = _typed_key(leaf)
        if typed is not None:
            yield typed
            continue
        for key, written in filter_terms(leaf.filter):
            yield f"{_path_key(leaf.path)}.{key}", f"{written_path(leaf.path)}.{written}"


def filterable_keys(entries: tuple[str, ...]) -> frozenset[str]:
    keys: set[str] = set()
    for entry in entries:
        keys.update(key for key, _ in filter_terms(parse_attribute_path(entry)))
    return frozenset(keys)


def check_filterable(node: Node, allowed: frozenset[str], entries: tuple[str, ...],
                     vendor: str) -> None:
    """400 invalidFilter naming the attribute when a filter uses one the vendor cannot filter."""
    for key, written in filter_terms(node):
        if key not in allowed:
            raise invalid_filter(
                f"{vendor} does not support filtering on '{written}'; it filters on "
                f"{', '.join(entries)}."
            )
