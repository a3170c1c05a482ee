"""A tenant's writes: create, replace, patch and delete, with the vendor's rules, versions,
uniqueness and group memberships kept consistent.

The profile's `[[rules]]` act here through the compiled `TypeRules` of each resource type
(`vendors.rule_checks`): value checks and rewrites in `_validated`, refused group operations,
and hard_delete_only, under which a deactivation removes the user."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sandbox.scim.errors import ScimError, invalid_value, uniqueness
from sandbox.scim.etag import make_version, revision_of
from sandbox.scim.patch import PatchRequest, apply_patch
from sandbox.scim.resource import check_immutable
from sandbox.service import indexes
from sandbox.service.clock import format_time
from sandbox.service.presentation import TenantPresentation
from sandbox.service.tenant_base import without_meta
from sandbox.vendors import ResourceTypeProfile
from sandbox.vendors.attribute_reader import AttributeReader


class TenantWrites(TenantPresentation):
    """POST, PUT, PATCH and DELETE, each under the store's lock."""

    def create(self, rt: ResourceTypeProfile, body: Any, *, rid: str | None = None,
               created: datetime | None = None, by_app: bool = False) -> dict[str, Any]:
        """Create a resource and return it as stored. `rid` and `created` fix the id and
        time (deterministic seeding); a client never chooses them. `by_app`: the vendor's own
        app makes it (seed data), so a rule refusing the operation to provisioning clients
        (no_group_create) does not apply; every value rule still does."""
        rules = self.type_rules.get(rt.name)
        if rules is not None and not by_app:
            rules.check_create()
        data = self._validated(rt, body)
        with self.store.lock:
            if rules is not None and rules.max_count is not None:
                rules.check_count(self.store.count(self.id, rt.name))
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
        return data

    def replace(self, rt: ResourceTypeProfile, rid: str, body: Any,
                if_match: str | None = None) -> dict[str, Any] | None:
        """Replace a resource (PUT) and return it as stored; None when a profile rule
        (hard_delete_only) removed it instead."""
        rules = self.type_rules.get(rt.name)
        # Rules may keep stored values (create_only_attribute), so they validate against
        # the stored resource; without rules the body is checked before the lock is taken.
        new = self._validated(rt, body) if rules is None else None
        with self.store.lock:
            current = self._require(rt, rid)
            self._check_version(current, if_match)
            if new is None:
                new = self._validated(rt, body, current)
            check_immutable(new, current, rt.schema)
            return self._changed(rt, current, new)

    def patch(self, rt: ResourceTypeProfile, rid: str, body: PatchRequest | Any,
              if_match: str | None = None) -> dict[str, Any] | None:
        """Apply a PATCH request (or its JSON body, read here) to one resource. The resource
        and its version are checked before the body, so a missing user is a 404 whatever
        was sent. None when a profile rule (hard_delete_only) removed the resource."""
        if not self.profile.feature("patch"):
            raise ScimError(501, f"{self.profile.name} does not support PATCH.")
        with self.store.lock:
            current = self._require(rt, rid)
            self._check_version(current, if_match)
            request = body if isinstance(body, PatchRequest) else PatchRequest.parse(body)
            self.limits.check_patch(request)
            editable = {k: v for k, v in current.items() if k not in ("id", "meta")}
            patched = apply_patch(editable, request, rt.schema,
                                  ignore_unknown=self._ignore_unknown)
            new = self._validated(rt, patched, current)
            check_immutable(new, current, rt.schema)
            return self._changed(rt, current, new) if new != without_meta(current) else current

    def delete(self, rt: ResourceTypeProfile, rid: str, if_match: str | None = None) -> None:
        with self.store.lock:
            current = self._require(rt, rid)
            self._check_version(current, if_match)
            rules = self.type_rules.get(rt.name)
            if rules is not None:
                rules.check_delete()
            if self.profile.delete_mode == "soft" and rt.name == "User":
                if current.get("active") is not False:
                    self._save(rt, current, {**without_meta(current), "active": False})
            else:
                self._delete_with_memberships(rt.name, rid)

    # Internals -----------------------------------------------------------------------------

    def _changed(self, rt: ResourceTypeProfile, current: dict[str, Any],
                 new: dict[str, Any]) -> dict[str, Any] | None:
        """Store a PUT's or PATCH's result, as the profile's rules allow: a group rename
        refused (no_group_rename), a deactivation turned into a delete (hard_delete_only)."""
        rules = self.type_rules.get(rt.name)
        if rules is not None:
            rules.check_rename(new, current)
            if rules.deletes_on(new, current):
                self._delete_with_memberships(rt.name, current["id"])
                return None
        return self._save(rt, current, new)

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
        rules = self.type_rules.get(rt.name)
        for reader in rules.unique if rules is not None else ():
            self._check_unique_path(rt, reader, data, own_id)

    def _check_unique_path(self, rt: ResourceTypeProfile, reader: AttributeReader,
                           data: dict[str, Any], own_id: str | None) -> None:
        """Uniqueness of a path no index reads (`emails[type eq "work"].value`, an
        extension attribute): a scan of the tenant's resources of the type."""
        wanted = {_folded(value): value for value in reader.values(data)
                  if isinstance(value, str | int | float)}
        if not wanted:
            return
        for row in self.store.all(self.id, rt.name):
            if row["id"] == own_id:
                continue
            for value in reader.values(row):
                if isinstance(value, str | int | float) and _folded(value) in wanted:
                    raise uniqueness(f"{rt.name} with {reader.written} "
                                     f"'{wanted[_folded(value)]}' already exists "
                                     f"({self.profile.name} keeps it unique).")

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


def _folded(value: Any) -> Any:
    """A value as uniqueness compares it: text without regard to letter case."""
    return value.casefold() if isinstance(value, str) else value
