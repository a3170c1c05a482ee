"""The training console: HTML pages for admins learning to connect a vendor to Microsoft Entra.

Three parts, each a small module of routes over the service layer (never the store):
`setup_routes` (each vendor's setup screens, as its tutorial describes them),
`simulator_routes` (an Entra-side provisioning simulator built on `sandbox.entra`) and
`data_routes` (a browser of tenants, users, groups, the journal and faults).
Each part is a table of module-level views (`routing.Route`) that read what they need from
the app's `ConsoleContext` (`context.console_context()`). `access` keeps every page behind
the admin token.
"""

from sandbox.console.blueprint import console_blueprint

__all__ = ["console_blueprint"]
