"""An admin's edits to the Attribute Mappings: choose another matching attribute, remove a
row, add (or change) a direct or a constant mapping.

Microsoft's "Customize user provisioning attribute-mappings" lists what an admin can do: a
mapping is Direct (a source attribute), Constant (a fixed value) or an Expression; one or
more rows are marked as matching, and the target must support filtering on the matching
attribute. The edits are plain data (the console keeps them between two pages) applied on
top of the rows a vendor's tutorial leads to; `matching_warning` says when the endpoint is
known not to filter on the chosen matching attribute.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields, replace
from typing import TYPE_CHECKING, Any

from sandbox.entra.directory import SourceUser
from sandbox.entra.mapping_rows import MEMBERS, AttributeMapping
from sandbox.entra.paths import parse_path
from sandbox.entra.profile_mappings import filters_on

if TYPE_CHECKING:
    from sandbox.vendors import Profile

MATCHING = "matching"
REMOVE = "remove"
DIRECT = "direct"
CONSTANT = "constant"
EDIT_KINDS = (MATCHING, REMOVE, DIRECT, CONSTANT)
SOURCE_ATTRIBUTES = tuple(f.name for f in fields(SourceUser))
# Never a target: the application assigns `id` (the page says the primary key should not be
# mapped), Entra writes `schemas` itself, and `meta` is read-only (RFC 7643 §3.1).
NOT_TARGETS = ("id", "schemas", "meta")


class MappingEditError(ValueError):
    """An edit that cannot apply: the message says why and what to do instead."""


@dataclass(frozen=True, slots=True)
class MappingEdit:
    """`kind` is one of EDIT_KINDS; `source` is the source attribute of a direct mapping or
    the value of a constant one."""

    kind: str
    target: str
    source: str = ""

    def to_dict(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MappingEdit:
        return cls(str(data["kind"]), str(data["target"]), str(data.get("source", "")))

    def __str__(self) -> str:
        return {MATCHING: f"match on {self.target}", REMOVE: f"remove {self.target}",
                DIRECT: f"{self.source} → {self.target}",
                CONSTANT: f'"{self.source}" → {self.target}'}[self.kind]


def apply_edits(rows: Sequence[AttributeMapping],
                edits: Iterable[MappingEdit]) -> tuple[AttributeMapping, ...]:
    """The rows with the edits applied in order; MappingEditError for one that cannot."""
    result = list(rows)
    for edit in edits:
        result = _apply(result, edit)
    return tuple(result)


def _apply(rows: list[AttributeMapping], edit: MappingEdit) -> list[AttributeMapping]:
    if edit.kind not in EDIT_KINDS:
        raise MappingEditError(f"{edit.kind!r} is not a mapping edit; use one of "
                               f"{', '.join(EDIT_KINDS)}.")
    index = next((n for n, row in enumerate(rows) if row.target == edit.target), None)
    if edit.kind in (MATCHING, REMOVE) and index is None:
        raise MappingEditError(f"No mapping has the target attribute {edit.target!r}.")
    if edit.kind == MATCHING:
        assert index is not None
        if rows[index].target == MEMBERS:
            raise MappingEditError("Members cannot be the matching attribute.")
        return [replace(row, matching_precedence=1 if n == index else None)
                for n, row in enumerate(rows)]
    if edit.kind == REMOVE:
        assert index is not None
        if rows[index].matching_precedence is not None:
            raise MappingEditError(f"{edit.target} is the matching attribute: choose another "
                                   "matching attribute before removing it.")
        return rows[:index] + rows[index + 1:]
    row = _new_row(edit)
    if index is None:
        return [*rows, row]
    kept = replace(row, matching_precedence=rows[index].matching_precedence)
    return [*rows[:index], kept, *rows[index + 1:]]


def _new_row(edit: MappingEdit) -> AttributeMapping:
    try:
        path = parse_path(edit.target)
    except ValueError as error:
        raise MappingEditError(f"{edit.target!r} is not a target attribute Entra can write: "
                               f"{error}") from None
    if path.urn is None and path.attribute.lower() in NOT_TARGETS:
        raise MappingEditError(f"{edit.target!r} is not an attribute Entra writes: the "
                               "application assigns id and meta, and Entra sets schemas "
                               "itself. Choose another target attribute.")
    if edit.kind == DIRECT:
        if edit.source not in SOURCE_ATTRIBUTES:
            raise MappingEditError(f"{edit.source!r} is not a source attribute; choose one of "
                                   f"{', '.join(SOURCE_ATTRIBUTES)}.")
        return AttributeMapping(edit.source, edit.target)
    if not edit.source.strip():
        raise MappingEditError("A constant mapping needs a value.")
    value = edit.source
    return AttributeMapping(f'"{value}"', edit.target, compute=lambda _source: value)


def matching_warning(rows: Sequence[AttributeMapping], profile: Profile | None,
                     resource_type: str = "User") -> str | None:
    """Entra's caution when the matching attribute is one the target is known not to filter
    on: every match query (and Test Connection) would then fail. None when it filters on it,
    or when nothing is known of the target."""
    matching = [row for row in rows if row.matching_precedence is not None]
    if not matching:
        return "No attribute is marked for matching: Entra cannot look accounts up."
    if profile is None or resource_type not in profile.resource_types:
        return None
    rt = profile.resource_types[resource_type]
    refused = [row.target for row in matching if not filters_on(profile, rt, row.target)]
    if not refused:
        return None
    return (f"{profile.name} does not support filtering on {', '.join(refused)}: the target "
            "must filter on the matching attribute, or every match query fails.")
