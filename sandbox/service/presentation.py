"""What a client sees of a stored resource: its location, member references and derived
`groups`, cut to the attributes the request asks for.

Reads and writes return stored resources; the HTTP edge asks for these views with the
tenant's absolute base URL, which only they need (for `meta.location` and `$ref`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sandbox.scim.listing import list_response
from sandbox.scim.projection import project
from sandbox.service import indexes
from sandbox.service.tenant_base import TenantBase
from sandbox.vendors import ResourceTypeProfile


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a list: (resource type, stored resource) pairs, how many matched in all,
    and the 1-based index of the first."""

    items: list[tuple[ResourceTypeProfile, dict[str, Any]]]
    total: int
    start_index: int


class TenantPresentation(TenantBase):
    """Views of stored resources, as the SCIM endpoints answer with them."""

    def view(self, rt: ResourceTypeProfile, data: dict[str, Any], base_url: str,
              attributes: list[str] | None = None,
              excluded: list[str] | None = None) -> dict[str, Any]:
        """What a client sees of a resource: never `returned: never` attributes such as
        password, and only what `attributes` / `excludedAttributes` ask for."""
        return project(self._present(rt, data, base_url), rt.schema, attributes, excluded)

    def list_view(self, page: Page, base_url: str, attributes: list[str] | None = None,
                  excluded: list[str] | None = None) -> dict[str, Any]:
        """The ListResponse of a page (RFC 7644 §3.4.2)."""
        resources = [self.view(rt, data, base_url, attributes, excluded)
                     for rt, data in page.items]
        return list_response(resources, page.total, page.start_index)

    def etag(self, data: dict[str, Any]) -> str | None:
        """The ETag to answer with: none where the vendor does not support ETags."""
        return data["meta"]["version"] if self.profile.feature("etag") else None

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
