"""A tenant's reads: one resource, and lists filtered, sorted and paged (RFC 7644 §3.4)."""

from __future__ import annotations

from typing import Any

from sandbox.scim.errors import ScimError, invalid_filter, invalid_value
from sandbox.scim.filter import Predicate, compile_filter, parse_filter, referenced_attributes
from sandbox.scim.listing import (
    ListQuery,
    resolve_sort_attribute,
    sort_resources,
    sort_value,
)
from sandbox.scim.schema import AttrRef
from sandbox.service.planner import index_lookup
from sandbox.service.presentation import Page, TenantPresentation
from sandbox.vendors import ResourceTypeProfile
from sandbox.vendors.rules import check_filterable


class TenantReads(TenantPresentation):
    """GET of one resource, lists and searches; filters run through the tenant's indexes."""

    def get(self, rt: ResourceTypeProfile, rid: str) -> dict[str, Any]:
        """The stored resource, or a 404; `view()` makes what a client sees of it."""
        return self._require(rt, rid)

    def list(self, rt: ResourceTypeProfile | None, query: ListQuery) -> Page:
        """One page of the resources of one type, or of all of them (root `/.search`), as
        the query filters, sorts and pages them; `list_view()` makes the ListResponse."""
        types = [rt] if rt is not None else list(self.profile.resource_types.values())
        matched: list[tuple[ResourceTypeProfile, dict]] = []
        errors: list[ScimError] = []
        for current in types:
            try:
                matched.extend((current, r) for r in self._matching(current, query.filter))
            except ScimError as error:
                errors.append(error)
        if errors and len(errors) == len(types):
            raise errors[0]
        if query.sort_by:
            matched = self._sorted(matched, query, types)
        total = len(matched)
        count = self.profile.max_results if query.count is None else query.count
        return Page(matched[query.start_index - 1: query.start_index - 1 + count], total,
                    query.start_index)

    def _sorted(self, matched: list[tuple[ResourceTypeProfile, dict]], query: ListQuery,
                types: list[ResourceTypeProfile]) -> list[tuple[ResourceTypeProfile, dict]]:
        """One order across every listed type; a type without the attribute sorts as empty."""
        assert query.sort_by is not None
        if not self.profile.feature("sort"):
            raise invalid_value(f"{self.profile.name} does not support sorting (sortBy).")
        refs: dict[str, AttrRef] = {}
        errors: list[ScimError] = []
        for current in types:
            try:
                refs[current.name] = resolve_sort_attribute(query.sort_by, current.schema)
            except ScimError as error:
                errors.append(error)
        if not refs:
            raise errors[0]

        def value_of(pair: tuple[ResourceTypeProfile, dict]) -> Any:
            ref = refs.get(pair[0].name)
            return None if ref is None else sort_value(pair[1], ref)

        return sort_resources(matched, value_of, query.descending)

    def _matching(self, rt: ResourceTypeProfile, filter_text: str | None) -> list[dict]:
        if not filter_text:
            return list(self.store.all(self.id, rt.name))
        if not self.profile.feature("filter"):
            raise invalid_filter(f"{self.profile.name} does not support filtering.")
        self.limits.check_filter_text(filter_text)
        node = parse_filter(filter_text)
        self.limits.check_filter_terms(node)
        if rt.filterable_keys is not None:
            check_filterable(node, rt.filterable_keys, rt.filterable or (), self.profile.name)
        rules = self.type_rules.get(rt.name)
        if rules is not None and rules.unfilterable:
            rules.check_filter(node)  # no_filter_on
        predicate = self._predicate(rt, filter_text, node)
        plan = index_lookup(node, rt.name)
        candidates = (self.store.find(self.id, rt.name, *plan) if plan is not None
                      else self.store.all(self.id, rt.name))
        if self._derives_groups(rt) and "groups" in referenced_attributes(node):
            # A user's groups are derived from memberships, not stored: add them to filter on.
            return [data for data in candidates
                    if predicate({**data, "groups": self._groups_of(data["id"], None)})]
        return [data for data in candidates if predicate(data)]

    def _predicate(self, rt: ResourceTypeProfile, text: str, node: Any) -> Predicate:
        key = (self.profile.id, rt.name, text)
        predicate = self._filters.get(key)
        if predicate is None:
            predicate = compile_filter(node, rt.schema)
            if len(self._filters) > 4096:
                self._filters.clear()
            self._filters[key] = predicate
        return predicate
