"""One tenant's SCIM operations: the vendor's rules, the engine and the store, put together.

HTTP handlers, the console and the pytest plugin all call this, never the store directly.
Operations return stored resources; the views (`presentation`) add what a client sees,
with the tenant's absolute SCIM base URL for `location`s and `$ref`s.
Each kind of operation has its own room (`reads`, `writes`, `snapshots`, `presentation`,
over `tenant_base`); this class joins them and answers the discovery endpoints.
"""

from __future__ import annotations

from typing import Any

from sandbox.scim import discovery
from sandbox.service.presentation import Page
from sandbox.service.reads import TenantReads
from sandbox.service.snapshots import TenantSnapshots
from sandbox.service.writes import TenantWrites

__all__ = ["Page", "TenantService"]


class TenantService(TenantReads, TenantWrites, TenantSnapshots):
    """Operations on one tenant: reads, writes, snapshots and discovery."""

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
