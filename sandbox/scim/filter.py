"""SCIM filters (RFC 7644 §3.4.2.2) and PATCH paths (§3.5.2): parse, then compile against a schema.

INTERFACE STUB: the implementation replaces the bodies below, keeping these names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sandbox.scim.schema import AttrRef, ResourceSchema


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


def parse_filter(text: str) -> Node:
    raise NotImplementedError


def parse_path(text: str, schema: ResourceSchema) -> PatchPath:
    raise NotImplementedError


def compile_filter(node: Node, schema: ResourceSchema) -> Callable[[dict], bool]:
    raise NotImplementedError


def values_at(resource: dict, ref: AttrRef) -> list:
    raise NotImplementedError
