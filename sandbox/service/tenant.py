"""One tenant's SCIM operations: the vendor's rules, the engine and the store, put together.

HTTP handlers, the console and the pytest plugin all call this, never the store directly.
`base_url` is the tenant's absolute SCIM base URL; it is only used to write `location`s.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sandbox.scim import discovery
from sandbox.scim.errors import ScimError, invalid_filter, invalid_value, not_found, uniqueness
from sandbox.scim.etag import check_if_match, make_version, revision_of
from sandbox.scim.filter import compile_filter, parse_filter, referenced_attributes
from sandbox.scim.listing import (
    ListQuery,
    list_response,
    resolve_sort_attribute,
    sort_resources,
    sort_value,
)
from sandbox.scim.patch import apply_patch
from sandbox.scim.projection import project
from sandbox.scim.resource import check_immutable, normalize_resource, require_attributes
from sandbox.scim.schema import AttrRef
from sandbox.service import indexes
from sandbox.service.faults import FaultSet
from sandbox.service.journal import Journal
from sandbox.service.limits import Limits
from sandbox.service.planner import index_lookup
from sandbox.store import StoreContract
from sandbox.vendors import Profile, ResourceTypeProfile
from sandbox.vendors.rules import check_filterable, check_required

Clock = Callable[[], datetime]
Predicate = Callable[[dict], bool]


def utc_now() -> datetime:
    return datetime.now(UTC)


def format_time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True, slots=True)
class Outcome:
    """What an operation produced: the resource to return (None for no body) and its status."""

    status: int
    body: dict[str, Any] | None
    version: str | None = None


class TenantService:
    """Operations on one tenant, as moto's backends are for one account and region."""

    def __init__(
        self,
        record: dict[str, Any],
        profile: Profile,
        store: StoreContract,
        filter_cache: dict[tuple[str, str, str], Predicate],
        clock: Clock = utc_now,
        journal: Journal | None = None,
        faults: FaultSet | None = None,
        limits: Limits | None = None,
    ) -> None:
        self.record = record
        self.limits = limits or Limits()
        self.journal = journal if journal is not None else Journal()
        self.faults = faults if faults is not None else FaultSet()
        self.profile = profile
        self.store = store
        self._filters = filter_cache
        self._clock = clock
        self._path: str | None = None

    @property
    def id(self) -> str:
        return self.record["id"]

    @property
    def token(self) -> str:
        return self.record["token"]

    @property
    def slug(self) -> str | None:
        return self.record.get("slug")

    @property
    def settings(self) -> dict[str, Any]:
        """The tenant's vendor switches (e.g. Vault Platform's active SCIM provider)."""
        return {**self.profile.default_settings(), **(self.record.get("settings") or {})}

    def check_access(self) -> None:
        """Refuse every SCIM request while the vendor's own rules say so (vendors.quirks)."""
        if self.profile.quirks:
            self.profile.check_access(self.settings)

    def counts(self) -> dict[str, int]:
        """How many resources of each type the tenant holds."""
        return {name: self.store.count(self.id, name) for name in self.profile.resource_types}

    @property
    def path(self) -> str:
        """The tenant's SCIM base path below the server root."""
        if self._path is None:  # id and slug never change
            self._path = self.profile.tenant_path(self.id, self.slug)
        return self._path

    # Resource types -----------------------------------------------------------------------

    def resource_type(self, endpoint: str) -> ResourceTypeProfile:
        """The resource type at `/<endpoint>`, or a 404 naming what this vendor offers."""
        found = self.profile.by_endpoint(endpoint)
        if found is None:
            offered = ", ".join(rt.schema.endpoint for rt in self.profile.resource_types.values())
            raise not_found(
                f"{self.profile.name} has no /{endpoint} endpoint; it offers {offered}."
            )
        return found

    # Reads ---------------------------------------------------------------------------------

    def get(self, rt: ResourceTypeProfile, rid: str, base_url: str,
            attributes: list[str] | None = None,
            excluded: list[str] | None = None) -> Outcome:
        data = self._require(rt, rid)
        return Outcome(200, self._view(rt, data, base_url, attributes, excluded),
                       self._etag(data))

    def list(self, rt: ResourceTypeProfile | None, query: ListQuery, base_url: str) -> Outcome:
        """A ListResponse for one resource type, or for all of them (root `/.search`)."""
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
        page = matched[query.start_index - 1: query.start_index - 1 + count]
        resources = [
            self._view(current, data, base_url, query.attributes, query.excluded_attributes)
            for current, data in page
        ]
        return Outcome(200, list_response(resources, total, query.start_index))

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

    # Writes --------------------------------------------------------------------------------

    def create(self, rt: ResourceTypeProfile, body: Any, base_url: str, *,
               rid: str | None = None, created: datetime | None = None,
               answer: bool = True) -> Outcome:
        """Create a resource. `rid` and `created` fix the id and time (deterministic seeding);
        a client never chooses them. Without `answer`, the outcome has no body (seeding
        discards it, and building it costs as much as storing the resource)."""
        data = self._validated(rt, body)
        with self.store.lock:
            self._check_unique(rt, data, None)
            self._check_members(rt, data)
            now = format_time(created or self._clock())
            rid = rid or uuid.uuid4().hex
            if self.store.get(self.id, rt.name, rid) is not None:
                raise uniqueness(f"{rt.name} '{rid}' already exists.")
            data = {
                **data,
                "id": rid,
                "meta": {"resourceType": rt.name, "created": now, "lastModified": now,
                         "version": make_version(1)},
            }
            self.store.insert(self.id, rt.name, rid, data)
        return Outcome(201, self._view(rt, data, base_url) if answer else None, self._etag(data))

    def replace(self, rt: ResourceTypeProfile, rid: str, body: Any, base_url: str,
                if_match: str | None = None) -> Outcome:
        new = self._validated(rt, body)
        with self.store.lock:
            current = self._require(rt, rid)
            self._check_version(current, if_match)
            check_immutable(new, current, rt.schema)
            stored = self._save(rt, current, new)
        return Outcome(200, self._view(rt, stored, base_url), self._etag(stored))

    def patch(self, rt: ResourceTypeProfile, rid: str, body: Any, base_url: str,
              if_match: str | None = None) -> Outcome:
        if not self.profile.feature("patch"):
            raise ScimError(501, f"{self.profile.name} does not support PATCH.")
        with self.store.lock:
            current = self._require(rt, rid)
            self._check_version(current, if_match)
            self.limits.check_patch(body)
            editable = {k: v for k, v in current.items() if k not in ("id", "meta")}
            patched = apply_patch(editable, body, rt.schema, ignore_unknown=self._ignore_unknown)
            new = self._validated(rt, patched)
            check_immutable(new, current, rt.schema)
            stored = self._save(rt, current, new) if new != _without_meta(current) else current
        if rt.patch_response == "no_content":
            return Outcome(204, None, self._etag(stored))
        return Outcome(200, self._view(rt, stored, base_url), self._etag(stored))

    def delete(self, rt: ResourceTypeProfile, rid: str, if_match: str | None = None) -> Outcome:
        with self.store.lock:
            current = self._require(rt, rid)
            self._check_version(current, if_match)
            if self.profile.delete_mode == "soft" and rt.name == "User":
                if current.get("active") is not False:
                    self._save(rt, current, {**_without_meta(current), "active": False})
            else:
                self._delete_with_memberships(rt.name, rid)
        return Outcome(204, None)

    # Snapshots -----------------------------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        """The tenant's whole state (ids and meta included), without its secret token."""
        record = {k: v for k, v in self.record.items() if k != "token"}
        return {"tenant": {**record, "settings": self.settings},
                "resources": self.store.export_resources(self.id,
                                                         list(self.profile.resource_types))}

    def restore(self, snapshot: Any) -> None:
        """Make a snapshot's resources (and settings) this tenant's state exactly.

        Each resource must be one this vendor could hold: it passes the vendor's validation
        and keeps its `id` and `meta`. Nothing changes unless all of them do.
        """
        if not isinstance(snapshot, dict) or not isinstance(snapshot.get("resources"), dict):
            raise invalid_value('A snapshot is {"resources": {"User": [...], ...}} as '
                                "GET .../snapshot returns it.")
        resources = snapshot["resources"]
        for name, items in resources.items():
            rt = self.profile.resource_types.get(name)
            if rt is None:
                raise invalid_value(f"{self.profile.name} has no resource type '{name}'.")
            if not isinstance(items, list):
                raise invalid_value(f"Snapshot resources of '{name}' must be a list.")
            for data in items:
                self._check_restorable(rt, data)
            _check_unique_among(rt, items)
        known = {item["id"] for items in resources.values() for item in items}
        for group in resources.get("Group", ()):
            for member in group.get("members") or ():
                if isinstance(member, dict) and member.get("value") not in known:
                    raise invalid_value(f"Group '{group['id']}' in the snapshot has member "
                                        f"'{member.get('value')}', which the snapshot lacks.")
        try:
            self.store.replace_resources(self.id, resources)
        except ValueError as exc:
            raise invalid_value(f"Snapshot refused: {exc}") from None
        settings = (snapshot.get("tenant") or {}).get("settings")
        if isinstance(settings, dict) and settings:
            self.record["settings"] = {k: v for k, v in settings.items()
                                       if k in self.profile.settings and isinstance(v, bool)}
            self.store.update_tenant(self.record)

    def _check_restorable(self, rt: ResourceTypeProfile, data: Any) -> None:
        if not isinstance(data, dict) or not isinstance(data.get("id"), str):
            raise invalid_value(f"Every {rt.name} in a snapshot needs a string 'id'.")
        meta = data.get("meta")
        if not isinstance(meta, dict) or not all(
                isinstance(meta.get(k), str) for k in ("created", "lastModified", "version")):
            raise invalid_value(f"{rt.name} '{data['id']}' needs its 'meta' (created, "
                                "lastModified, version).")
        if revision_of(meta["version"]) is None:
            raise invalid_value(f"{rt.name} '{data['id']}' has meta.version "
                                f"{meta['version']!r}; versions look like W/\"3\".")
        try:
            self._validated(rt, _without_meta(data))
        except ScimError as error:
            raise invalid_value(f"{rt.name} '{data['id']}' in the snapshot: {error.detail}") \
                from None

    # Discovery -----------------------------------------------------------------------------

    def service_provider_config(self, base_url: str) -> dict[str, Any]:
        return discovery.service_provider_config(
            base_url, self.profile.features, self.profile.max_results,
            self.profile.documentation_uri,
        )

    def resource_types(self, base_url: str) -> list[dict[str, Any]]:
        return [discovery.resource_type(rt.schema, base_url)
                for rt in self.profile.resource_types.values()]

    def schemas(self, base_url: str) -> list[dict[str, Any]]:
        return [discovery.schema_document(s, base_url) for s in self.profile.all_schemas()]

    # Internals -----------------------------------------------------------------------------

    @property
    def _ignore_unknown(self) -> bool:
        return self.profile.unknown_attributes == "ignore"

    def _validated(self, rt: ResourceTypeProfile, body: Any) -> dict[str, Any]:
        data = normalize_resource(body, rt.schema, ignore_unknown=self._ignore_unknown)
        # The vendor's list first, so the message names the attribute as its doc writes it.
        check_required(data, rt.required, self.profile.name)
        require_attributes(data, rt.schema)
        return data

    def _require(self, rt: ResourceTypeProfile, rid: str) -> dict[str, Any]:
        data = self.store.get(self.id, rt.name, rid)
        if data is None:
            raise not_found(f"{rt.name} '{rid}' not found.")
        return data

    def _etag(self, data: dict[str, Any]) -> str | None:
        """The ETag to answer with: none where the vendor does not support ETags."""
        return data["meta"]["version"] if self.profile.feature("etag") else None

    def _check_version(self, current: dict[str, Any], if_match: str | None) -> None:
        if self.profile.feature("etag"):
            check_if_match(if_match, current["meta"]["version"])

    def _save(self, rt: ResourceTypeProfile, current: dict[str, Any],
              new: dict[str, Any]) -> dict[str, Any]:
        self._check_unique(rt, new, current["id"])
        self._check_members(rt, new)
        stored = {**new, "id": current["id"], "meta": self._next_meta(current["meta"])}
        self.store.update(self.id, rt.name, current["id"], stored)
        return stored

    def _next_meta(self, meta: dict[str, Any]) -> dict[str, Any]:
        revision = (revision_of(meta["version"]) or 0) + 1
        return {**meta, "lastModified": format_time(self._clock()),
                "version": make_version(revision)}

    def _delete_with_memberships(self, rtype: str, rid: str) -> None:
        """Delete a resource; a deleted user or group also leaves every group it was in (RFC
        7644 §3.6: a deleted resource is no longer returned, members included). One store
        transaction, so a crash keeps both or neither."""
        with self.store.transaction():
            self.store.delete(self.id, rtype, rid)
            for group in self.store.find(self.id, "Group", indexes.MEMBERS, rid):
                members = [m for m in group.get("members", ()) if m.get("value") != rid]
                changed = {k: v for k, v in group.items() if k not in ("members", "meta")}
                if members:
                    changed["members"] = members
                changed["meta"] = self._next_meta(group["meta"])
                self.store.update(self.id, "Group", group["id"], changed)

    def _check_unique(self, rt: ResourceTypeProfile, data: dict[str, Any],
                      own_id: str | None) -> None:
        for attribute in rt.unique:
            value = data.get(attribute)
            if not isinstance(value, str):
                continue
            index = indexes.UNIQUE_INDEX.get((rt.name, attribute.lower()))
            if index is not None:
                holders = self.store.has_key(self.id, rt.name, index, value.casefold())
            else:
                holders = {row["id"] for row in self.store.all(self.id, rt.name)
                           if str(row.get(attribute, "")).casefold() == value.casefold()}
            if holders - {own_id}:
                raise uniqueness(f"{rt.name} with {attribute} '{value}' already exists.")

    def _check_members(self, rt: ResourceTypeProfile, data: dict[str, Any]) -> None:
        """Members must be users or groups of this tenant; their `type` is filled in."""
        members = data.get("members")
        if not members:
            return
        for member in members:
            value = member.get("value")
            if not isinstance(value, str):
                raise invalid_value("Every member needs a 'value' with the member's id.")
            kind = next((name for name in ("User", "Group")
                         if self.store.get(self.id, name, value) is not None), None)
            if kind is None:
                raise invalid_value(f"Member '{value}' is not a user or group of this tenant.")
            member["type"] = kind  # what the id names, whatever the client claimed

    def _view(self, rt: ResourceTypeProfile, data: dict[str, Any], base_url: str,
              attributes: list[str] | None = None,
              excluded: list[str] | None = None) -> dict[str, Any]:
        """What a client sees of a resource: never `returned: never` attributes such as
        password, and only what `attributes` / `excludedAttributes` ask for."""
        return project(self._present(rt, data, base_url), rt.schema, attributes, excluded)

    def _present(self, rt: ResourceTypeProfile, data: dict[str, Any],
                 base_url: str) -> dict[str, Any]:
        """The stored form plus what is derived at read time: location, member refs, groups."""
        body = {**data, "meta": {**data["meta"],
                                 "location": f"{base_url}{rt.schema.endpoint}/{data['id']}"}}
        if data.get("members"):
            body["members"] = [
                {**m, "$ref": f"{base_url}/{'Groups' if m.get('type') == 'Group' else 'Users'}/"
                              f"{m['value']}"}
                for m in data["members"]
            ]
        if self._derives_groups(rt):
            groups = self._groups_of(data["id"], base_url)
            if groups:
                body["groups"] = groups
        return body

    def _derives_groups(self, rt: ResourceTypeProfile) -> bool:
        return (rt.name == "User" and "Group" in self.profile.resource_types
                and rt.schema.top_level("groups") is not None)

    def _groups_of(self, user_id: str, base_url: str | None) -> list[dict[str, Any]]:
        """RFC 7643 §4.1.2: the groups a user belongs to, as read-only `groups` values."""
        groups = []
        for group in self.store.find(self.id, "Group", indexes.MEMBERS, user_id):
            entry = {"value": group["id"], "display": group.get("displayName"), "type": "direct"}
            if base_url is not None:
                entry["$ref"] = f"{base_url}/Groups/{group['id']}"
            groups.append(entry)
        return groups


def _without_meta(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in ("id", "meta")}


def _check_unique_among(rt: ResourceTypeProfile, items: list[dict[str, Any]]) -> None:
    """A snapshot's resources must be unique among themselves as the store would keep them."""
    for attribute in rt.unique:
        seen: dict[str, str] = {}
        for data in items:
            value = data.get(attribute)
            if not isinstance(value, str):
                continue
            other = seen.setdefault(value.casefold(), data["id"])
            if other != data["id"]:
                raise invalid_value(f"The snapshot holds two {rt.name}s with {attribute} "
                                 f"'{value}' ({other} and {data['id']}).")
