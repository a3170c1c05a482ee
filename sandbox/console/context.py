"""What every console route needs: the sandbox and how to write absolute URLs for it."""

from __future__ import annotations

from dataclasses import dataclass

from flask import request

from sandbox.service import TenantRegistry, TenantService


@dataclass(frozen=True, slots=True)
class ConsoleContext:
    sandbox: TenantRegistry
    public_url: str | None = None  # as SandboxConfig.public_url; None: the request's host

    def root_url(self) -> str:
        return (self.public_url or request.url_root).rstrip("/")

    def tenant_url(self, tenant: TenantService) -> str:
        """The absolute SCIM base URL an admin pastes into Entra as the Tenant URL."""
        return self.root_url() + tenant.path
