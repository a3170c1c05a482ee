"""What every console route needs, kept on the app: the sandbox, how to write absolute URLs
for it, and the console's own memory (simulations, faults switched off).

The blueprint is made per app and stores one `ConsoleContext` on the app it is registered
on; views are module-level functions that read it back with `console_context()`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Blueprint, current_app, request
from flask.sansio.blueprints import BlueprintSetupState

from sandbox.console.data_views import PausedFaults
from sandbox.console.simulations import SimulationRegistry
from sandbox.service import TenantRegistry, TenantService

EXTENSION = "scim_sandbox_console"  # key in app.extensions; "scim_sandbox" is the registry


@dataclass(frozen=True, slots=True)
class ConsoleContext:
    sandbox: TenantRegistry
    admin_digest: bytes  # token_digest of the admin token; the console keeps no copy
    public_url: str | None = None  # as SandboxConfig.public_url; None: the request's host
    simulations: SimulationRegistry = field(default_factory=SimulationRegistry)
    paused: PausedFaults = field(default_factory=PausedFaults)

    def root_url(self) -> str:
        return (self.public_url or request.url_root).rstrip("/")

    def tenant_url(self, tenant: TenantService) -> str:
        """The absolute SCIM base URL an admin pastes into Entra as the Tenant URL."""
        return self.root_url() + tenant.path


def keep_on_app(blueprint: Blueprint, context: ConsoleContext) -> None:
    """Store `context` on the app the blueprint is registered on."""

    def store(state: BlueprintSetupState) -> None:
        state.app.extensions[EXTENSION] = context

    blueprint.record_once(store)


def console_context() -> ConsoleContext:
    """The context of the app handling the current request."""
    context: ConsoleContext = current_app.extensions[EXTENSION]
    return context
