"""The syntax tree of SCIM filters (RFC 7644 §3.4.2.2) and PATCH paths (§3.5.2).

Immutable nodes, as the parser builds them and the compiler, the query planner, the limits and
the vendor rules read them. Attribute paths are kept as the client spelled them; resolving them
against a schema is the compiler's job.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

# The comparison operators, lower case; `pr` is a separate node (`Present`).
COMPARE_OPS = frozenset({"eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"})


@dataclass(frozen=True, slots=True)
class AttrPath:
    """An attribute path as the client spelled it: `[urn:]attr[.sub]`, not yet resolved."""

    urn: str | None
    attr: str
    sub: str | None = None


@dataclass(frozen=True, slots=True)
class Compare:
    path: AttrPath
    op: str  # lower case: eq ne co sw ew gt ge lt le
    value: Any  # str, int, float, bool or None
    raw: str  # the literal as written, e.g. '"jyoung"', 'jyoung', '12', 'true'


@dataclass(frozen=True, slots=True)
class Present:
    path: AttrPath


@dataclass(frozen=True, slots=True)
class And:
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Or:
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Not:
    node: Node


@dataclass(frozen=True, slots=True)
class ValuePath:
    """`attr[filter]`: true when one value of the multi-valued `attr` matches `filter`,
    whose paths are relative to that value (sub-attribute names)."""

    path: AttrPath
    filter: Node


Node = Compare | Present | And | Or | Not | ValuePath


@dataclass(frozen=True, slots=True)
class PatchPath:
    """A PATCH `path`: `attr`, `attr.sub`, `attr[filter]`, `attr[filter].sub`, each optionally
    URN-qualified; or a bare extension URN (then `attr` is None and `urn` is the schema id)."""

    urn: str | None
    attr: str | None
    value_filter: Node | None = None
    sub: str | None = None


def leaves(node: Node, *, into_value_paths: bool = False) -> Iterator[Node]:
    """The comparisons of a filter (a `ValuePath` counts as one unless `into_value_paths`).

    Iterative, since long and/or chains make deep trees."""
    pending: list[Node] = [node]
    while pending:
        current = pending.pop()
        if isinstance(current, And | Or):
            pending.extend((current.right, current.left))
        elif isinstance(current, Not):
            pending.append(current.node)
        elif into_value_paths and isinstance(current, ValuePath):
            pending.append(current.filter)
        else:
            yield current


def referenced_attributes(node: Node) -> set[str]:
    """The top-level attribute names a filter reads, lower-cased (URN prefixes dropped)."""
    return {leaf.path.attr.lower() for leaf in leaves(node)}


def written_path(path: AttrPath) -> str:
    """An attribute path spelled back as written: `[urn:]attr[.sub]`."""
    text = f"{path.attr}.{path.sub}" if path.sub else path.attr
    return f"{path.urn}:{text}" if path.urn else text
