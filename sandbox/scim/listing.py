"""Query parameters, sorting and pagination of list and search responses (RFC 7644 §3.4.2)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from sandbox.constants import LIST_RESPONSE_SCHEMA
from sandbox.scim.errors import invalid_syntax, invalid_value
from sandbox.scim.schema import AttrRef, ResourceSchema

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ListQuery:
    """What a client asked of a list: filter, sort, page and projection."""

    filter: str | None = None
    start_index: int = 1
    count: int | None = None
    sort_by: str | None = None
    descending: bool = False
    attributes: list[str] | None = None
    excluded_attributes: list[str] | None = None


def _int_param(name: str, value: Any) -> int | None:
    if value is None or value == "":
        return None
    # A SearchRequest body is JSON, where 1e400 and Infinity parse as float infinity (int()
    # raises OverflowError on it) and 2.5 would be truncated silently: only whole numbers pass.
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise invalid_value(f"'{name}' must be an integer; got {value!r}.")
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        raise invalid_value(f"'{name}' must be an integer; got {value!r}.") from None


def _names_param(name: str, value: Any) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()] or None
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [v.strip() for v in value if v.strip()] or None
    raise invalid_value(f"'{name}' must be a list of attribute names.")


def parse_list_query(params: Mapping[str, Any], max_results: int) -> ListQuery:
    """Read list parameters from a query string or a SearchRequest body (names case-insensitive).

    `startIndex` below 1 counts as 1 and a negative `count` as 0 (RFC 7644 §3.4.2.4); `count`
    is capped at `max_results`, which the ServiceProviderConfig advertises.
    """
    lowered = {str(k).lower(): v for k, v in params.items()}
    filter_text = lowered.get("filter")
    if filter_text is not None and not isinstance(filter_text, str):
        raise invalid_value("'filter' must be a string.")
    start_index = _int_param("startIndex", lowered.get("startindex"))
    count = _int_param("count", lowered.get("count"))
    sort_by = lowered.get("sortby")
    if sort_by is not None and not isinstance(sort_by, str):
        raise invalid_value("'sortBy' must be an attribute name.")
    order = lowered.get("sortorder")
    if order is not None and (not isinstance(order, str)
                              or order.lower() not in ("ascending", "descending")):
        raise invalid_value(f"'sortOrder' must be 'ascending' or 'descending'; got {order!r}.")
    attributes = _names_param("attributes", lowered.get("attributes"))
    excluded = _names_param("excludedAttributes", lowered.get("excludedattributes"))
    if attributes and excluded:
        raise invalid_syntax("Use either 'attributes' or 'excludedAttributes', not both.")
    return ListQuery(
        filter=filter_text or None,
        start_index=max(1, start_index if start_index is not None else 1),
        count=None if count is None else min(max(0, count), max_results),
        sort_by=sort_by or None,
        descending=bool(order and order.lower() == "descending"),
        attributes=attributes,
        excluded_attributes=excluded,
    )


def resolve_sort_attribute(sort_by: str, schema: ResourceSchema) -> AttrRef:
    urn, rest = schema.split_urn(sort_by)
    attr, _, sub = rest.partition(".")
    ref = schema.resolve(attr, sub or None, urn)
    if ref is None:
        raise invalid_value(f"Cannot sort by '{sort_by}': no such attribute on {schema.name}.")
    return ref


def sort_value(resource: dict[str, Any], ref: AttrRef) -> Any:
    """The value `resource` sorts by on `ref` (None when it has none)."""
    container = resource.get(ref.extension, {}) if ref.extension else resource
    value = container.get(ref.attribute.name) if isinstance(container, dict) else None
    if isinstance(value, list):
        # RFC 7644 §3.4.2.3: a multi-valued attribute sorts by its primary value, else its first.
        items = [v for v in value if isinstance(v, dict)]
        chosen = next((v for v in items if v.get("primary") is True), items[0] if items else None)
        value = chosen.get(ref.sub_attribute.name if ref.sub_attribute else "value") \
            if chosen else None
    elif ref.sub_attribute is not None:
        value = value.get(ref.sub_attribute.name) if isinstance(value, dict) else None
    if isinstance(value, str) and not ref.target.case_exact:
        value = value.casefold()
    return value


def sort_resources(items: list[T], value_of: Callable[[T], Any], descending: bool) -> list[T]:
    """Sorted by `value_of`; items without a value go last when ascending, first when
    descending (RFC 7644 §3.4.2.3)."""
    present: list[tuple[Any, T]] = []
    missing: list[T] = []
    for item in items:
        value = value_of(item)
        (missing.append(item) if value is None else present.append((value, item)))
    try:
        present.sort(key=lambda pair: pair[0], reverse=descending)
    except TypeError:  # mixed types in stored data: order by their text instead
        present.sort(key=lambda pair: str(pair[0]), reverse=descending)
    ordered = [item for _, item in present]
    return missing + ordered if descending else ordered + missing


def list_response(
    resources: list[dict[str, Any]], total: int, start_index: int
) -> dict[str, Any]:
    return {
        "schemas": [LIST_RESPONSE_SCHEMA],
        "totalResults": total,
        "itemsPerPage": len(resources),
        "startIndex": start_index,
        "Resources": resources,
    }
