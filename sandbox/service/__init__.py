"""The service layer: tenants and their operations (as moto's backends are)."""

from sandbox.service.registry import SandboxError, TenantRegistry
from sandbox.service.tenant import Page, TenantService

__all__ = ["Page", "SandboxError", "TenantRegistry", "TenantService"]
