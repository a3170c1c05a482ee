"""Groups and memberships in a cycle, where the endpoint has them.

As Microsoft's SCIM endpoint tutorial shows them: a match query by displayName that leaves
the members out, `POST /Groups` without members, then member additions and removals by
PATCH. Members are the group's users this service provisioned; a user with the Default
Access role, never provisioned, is never added. Whether the endpoint has groups is asked
once of `/ResourceTypes`; when that cannot tell, a 404 on `/Groups` does.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

from sandbox.entra import requests as shapes
from sandbox.entra.directory import SourceDirectory, SourceGroup
from sandbox.entra.log import Action, Status
from sandbox.entra.mappings import MEMBERS, evaluate, for_update, matching_mapping
from sandbox.entra.requests import Change, ScimRequest, changes_between
from sandbox.entra.responses import list_resources, resource_id
from sandbox.entra.sender import Sender
from sandbox.entra.state import Provisioned
from sandbox.entra.steps import CycleSteps, Step

_NO_GROUPS = "The application has no /Groups resource type: group provisioning is off."
_NOT_AN_ACTION = "{action} is not among the groups' Target Object Actions."


class GroupSync:
    """The group half of a cycle; matches, fails and logs through the cycle's `steps`."""

    def __init__(self, sender: Sender, steps: CycleSteps) -> None:
        self.sender = sender
        self.steps = steps
        self.config = sender.config
        self.state = steps.state
        self.rows = [m for m in self.config.group_mappings if m.target != MEMBERS]
        self.with_members = len(self.rows) < len(self.config.group_mappings)
        self.may_update = "Update" in self.config.group_actions

    def todo(self, directory: SourceDirectory) -> list[Step]:
        """The cycle's group steps to do."""
        if not self._wanted(directory):
            return [Step(g.displayName, partial(self._off, g), "Group", g.objectId)
                    for g in directory.groups]
        present = {g.objectId for g in directory.groups}
        gone = [oid for oid in self.state.groups if oid not in present]
        deletes = "Delete" in self.config.group_actions
        return [*(Step(g.displayName, partial(self._group, g), "Group", g.objectId)
                  for g in directory.groups),
                *(Step(self.state.groups[o].display_name, partial(self._delete, o), "Group",
                       o, deletes) for o in gone)]

    def _wanted(self, directory: SourceDirectory) -> bool:
        if not (self.config.provision_groups and self.config.group_mappings):
            return False
        if not (directory.groups or self.state.groups):
            return False
        if self.state.groups_supported is None:
            answer = self.sender.send(shapes.discover_resource_types())
            types = list_resources(answer.body) if answer.ok else None
            if types:
                self.state.groups_supported = any(_is_group_type(t) for t in types)
        return self.state.groups_supported is not False

    def _off(self, group: SourceGroup) -> None:
        asked = self.config.provision_groups and self.config.group_mappings
        reason = _NO_GROUPS if asked else "Group provisioning is off."
        self.steps.skip_once("Group", group.objectId, group.displayName, reason)

    def _group(self, group: SourceGroup) -> None:
        if self.state.groups_supported is False:  # found out by a 404 earlier in this cycle
            self._off(group)
            return
        values = {row.target: evaluate(row, group) for row in self.rows}
        record = self.state.groups.get(group.objectId)
        if record is None:
            record = self._provision(group, values)
        elif self.may_update:
            changes = changes_between(record.values, for_update(self.rows, values))
            if changes:
                self._patch(group, record, changes)
        if record is not None and self.with_members and self.may_update:
            self._sync_members(group, record)

    def _provision(self, group: SourceGroup, values: dict[str, Any]) -> Provisioned | None:
        match = matching_mapping(self.config.group_mappings)
        key = values.get(match.target)
        if key is None:
            self.steps.skip_once("Group", group.objectId, group.displayName,
                                 f"The matching attribute {match.source} is empty.")
            return None
        request = shapes.match_group(match.target, str(key))
        answer = self.sender.send(request)
        if self.state.groups_supported is None:
            if answer.http_status == 404:
                self.state.groups_supported = False
                self._off(group)
                return None
            self.state.groups_supported = True
        found = self.steps.match("Group", group.objectId, group.displayName, request, answer)
        if isinstance(found, dict):
            record = self.steps.anchor("Group", group.objectId, group.displayName, request,
                                       found, values)
            if record is not None:
                self.state.groups[group.objectId] = record
                changes = changes_between(record.values, for_update(self.rows, values))
                if changes and self.may_update:
                    self._patch(group, record, changes)
            return record
        if found is None and "Create" not in self.config.group_actions:
            self.steps.skip_once("Group", group.objectId, group.displayName,
                                 f"{_NOT_AN_ACTION.format(action='Create')} The group is not "
                                 "in the application, so it is not provisioned.")
            return None
        return self._create(group, values) if found is None else None

    def _create(self, group: SourceGroup, values: dict[str, Any]) -> Provisioned | None:
        request = shapes.create_group(values)
        answer = self.sender.send(request)
        target_id = resource_id(answer)
        if not answer.ok or target_id is None:
            self.steps.fail("Group", group.objectId, group.displayName, Action.CREATE,
                            request, answer)
            return None
        record = Provisioned(target_id, group.displayName, values)
        self.state.groups[group.objectId] = record
        self.steps.log("Group", group.objectId, group.displayName, Action.CREATE,
                       Status.SUCCESS, target_id=target_id, request=request, answer=answer)
        return record

    def _patch(self, group: SourceGroup, record: Provisioned, changes: list[Change]) -> None:
        request = shapes.update_group(record.target_id, changes, self.config.compliant)
        if self._send(group, record, request, "Changed: " + ", ".join(c.path for c in changes)):
            record.values.update({c.path: c.new for c in changes})
            record.display_name = group.displayName

    def _sync_members(self, group: SourceGroup, record: Provisioned) -> None:
        """Add and remove members in batches of `member_batch_size` per PATCH."""
        users = self.state.users
        wanted = list(dict.fromkeys(users[m].target_id for m in group.members if m in users))
        added = [t for t in wanted if t not in record.members]
        removed = [t for t in record.members if t not in wanted]
        size, compliant = self.config.member_batch_size, self.config.compliant
        for batch in _batches(added, size):
            request = shapes.add_members(record.target_id, batch, compliant)
            if self._send(group, record, request, f"Added {_members(len(batch))}."):
                record.members.extend(batch)
        for batch in _batches(removed, size):
            request = shapes.remove_members(record.target_id, batch, compliant)
            if self._send(group, record, request, f"Removed {_members(len(batch))}."):
                record.members = [t for t in record.members if t not in batch]

    def _send(self, group: SourceGroup, record: Provisioned, request: ScimRequest,
              reason: str) -> bool:
        """Send a group PATCH and log it as an Update; whether it succeeded."""
        answer = self.sender.send(request)
        if not answer.ok:
            self.steps.fail("Group", group.objectId, group.displayName, Action.UPDATE,
                            request, answer, target_id=record.target_id, anchored=True)
            return False
        self.steps.log("Group", group.objectId, group.displayName, Action.UPDATE,
                       Status.SUCCESS, target_id=record.target_id, request=request,
                       answer=answer, reason=reason)
        return True

    def _delete(self, object_id: str) -> None:
        record = self.state.groups[object_id]
        if "Delete" not in self.config.group_actions:
            del self.state.groups[object_id]  # Entra lets go of it; the application keeps it
            self.steps.log("Group", object_id, record.display_name, Action.SKIP,
                           Status.SKIPPED, target_id=record.target_id,
                           reason=f"{_NOT_AN_ACTION.format(action='Delete')} The group is "
                                  "left in the application.")
            return
        request = shapes.delete_group(record.target_id)
        answer = self.sender.send(request)
        if not answer.ok:
            self.steps.fail("Group", object_id, record.display_name, Action.DELETE, request,
                            answer, target_id=record.target_id, anchored=True)
            return
        del self.state.groups[object_id]
        self.steps.log("Group", object_id, record.display_name, Action.DELETE, Status.SUCCESS,
                       target_id=record.target_id, request=request, answer=answer,
                       reason="Deleted from the source directory.")


def _is_group_type(resource_type: Any) -> bool:
    if not isinstance(resource_type, dict):
        return False
    endpoint = str(resource_type.get("endpoint", "")).strip("/").lower()
    return endpoint == "groups" or str(resource_type.get("name", "")).lower() == "group"


def _batches(items: list[str], size: int) -> Iterator[list[str]]:
    size = max(1, size)
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _members(count: int) -> str:
    return f"{count} member" if count == 1 else f"{count} members"
