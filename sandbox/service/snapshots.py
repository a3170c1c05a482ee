"""A tenant's whole state as one document, and back: what snapshots and restores are."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from sandbox.scim.errors import ScimError, invalid_value
from sandbox.scim.etag import revision_of
from sandbox.service.credentials import SECRET_FIELDS
from sandbox.service.rate_limits import rate_limit_problem, set_rate_limit
from sandbox.service.tenant_base import TenantBase, without_meta
from sandbox.vendors import ResourceTypeProfile
from sandbox.vendors.rule_checks import setting_problem

# Record fields a snapshot never holds: the secret, its digests (a whole-sandbox snapshot
# adds the current one's itself, see `sandbox_snapshots`).
HIDDEN_FIELDS = SECRET_FIELDS | {"token_sha256"}
_UNSET = object()


@dataclass(frozen=True, slots=True)
class CheckedSnapshot:
    """A snapshot that passed every check, ready to become a tenant's state: its resources,
    its settings (None: keep the tenant's) and its rate_limit (`_UNSET`: keep the tenant's)."""

    resources: dict[str, list[dict[str, Any]]]
    settings: dict[str, Any] | None
    rate_limit: Any = _UNSET


class TenantSnapshots(TenantBase):
    """Export and restore of the tenant's resources and settings."""

    def snapshot(self) -> dict[str, Any]:
        """The tenant's whole state (ids and meta included), without its secret or the
        digests of its secrets."""
        record = {k: v for k, v in self.record.items() if k not in HIDDEN_FIELDS}
        return {"tenant": {**record, "settings": self.settings,
                           "rate_limit": self.record.get("rate_limit")},
                "resources": self.store.export_resources(self.id,
                                                         list(self.profile.resource_types))}

    def restore(self, snapshot: Any) -> None:
        """Make a snapshot's resources (and settings, and rate_limit) this tenant's state
        exactly; `checked_snapshot` says what is refused. Nothing changes unless all of it
        passes."""
        self.apply_snapshot(self.checked_snapshot(snapshot))

    def checked_snapshot(self, snapshot: Any) -> CheckedSnapshot:
        """A snapshot checked as this tenant would hold it, changing nothing; 400 naming
        what is wrong.

        Each resource must be one this vendor could hold under the snapshot's settings (a
        verified_domain_required rule reads its `verified_domains`): it passes the vendor's
        validation and keeps its `id` and `meta`. Each setting keeps its default's type, as
        `TenantRegistry.update_settings` checks; one this profile does not declare is left
        aside. A `tenant.rate_limit` (null included) replaces the tenant's own.
        """
        if not isinstance(snapshot, dict) or not isinstance(snapshot.get("resources"), dict):
            raise invalid_value('A snapshot is {"resources": {"User": [...], ...}} as '
                                "GET .../snapshot returns it.")
        settings = self._restorable_settings(snapshot.get("tenant"))
        rate_limit = _restorable_rate_limit(snapshot.get("tenant"))
        checker = self
        if settings is not None:
            # The resources are checked as the tenant will hold them: under these settings.
            checker = copy.copy(self)
            checker.record = {**self.record, "settings": settings}
        resources = snapshot["resources"]
        for name, items in resources.items():
            rt = self.profile.resource_types.get(name)
            if rt is None:
                raise invalid_value(f"{self.profile.name} has no resource type '{name}'.")
            if not isinstance(items, list):
                raise invalid_value(f"Snapshot resources of '{name}' must be a list.")
            for data in items:
                checker._check_restorable(rt, data)
            _check_unique_among(rt, items)
        known = {item["id"] for items in resources.values() for item in items}
        for group in resources.get("Group", ()):
            for member in group.get("members") or ():
                if isinstance(member, dict) and member.get("value") not in known:
                    raise invalid_value(f"Group '{group['id']}' in the snapshot has member "
                                        f"'{member.get('value')}', which the snapshot lacks.")
        return CheckedSnapshot(resources, settings, rate_limit)

    def apply_snapshot(self, checked: CheckedSnapshot) -> None:
        """Make a checked snapshot this tenant's state, as one write to the store."""
        with self.store.transaction():
            try:
                self.store.replace_resources(self.id, checked.resources)
            except ValueError as exc:
                raise invalid_value(f"Snapshot refused: {exc}") from None
            if checked.settings is not None:
                self.record = {**self.record, "settings": checked.settings}
                self.store.update_tenant(self.record)
            if checked.rate_limit is not _UNSET:
                set_rate_limit(self, checked.rate_limit)

    def _restorable_settings(self, tenant: Any) -> dict[str, Any] | None:
        """The settings a snapshot's `tenant` part restores (None: it names none), each
        checked as `TenantRegistry.update_settings` checks a change; 400 for a bad one."""
        if not isinstance(tenant, dict) or tenant.get("settings") in (None, {}):
            return None
        settings = tenant["settings"]
        if not isinstance(settings, dict):
            raise invalid_value("A snapshot's tenant.settings must be an object, e.g. "
                                '{"verified_domains": ["contoso.com"]}.')
        declared = self.profile.settings
        kept = {name: value for name, value in settings.items() if name in declared}
        for name, value in kept.items():
            problem = setting_problem(declared[name]["default"], value, name)
            if problem is not None:
                raise invalid_value(f"Snapshot setting '{name}' must be {problem}; nothing "
                                    "was restored.")
        return kept

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
            self._validated(rt, without_meta(data))
        except ScimError as error:
            raise invalid_value(f"{rt.name} '{data['id']}' in the snapshot: {error.detail}") \
                from None


def _restorable_rate_limit(tenant: Any) -> Any:
    """The rate_limit a snapshot's `tenant` part restores (`_UNSET`: it names none)."""
    if not isinstance(tenant, dict) or "rate_limit" not in tenant:
        return _UNSET
    problem = rate_limit_problem(tenant["rate_limit"])
    if problem is not None:
        raise invalid_value(f"Snapshot tenant: {problem}; nothing was restored.")
    return tenant["rate_limit"]


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
