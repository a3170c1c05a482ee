"""`ScimSandbox`: one sandbox app for a whole test session, and `TenantFactory`, the tenants
of one test.

An app costs a few hundred milliseconds (profiles, routes); a tenant costs a registry entry.
So a session makes one app and every test makes its own tenants, deleted when it ends. Under
pytest-xdist each worker is a process with its own session, app and (if asked for) server.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Mapping
from types import TracebackType
from typing import Any, Self

from sandbox.scim.errors import ScimError
from sandbox.service.registry import TenantRegistry
from sandbox.testing.client import TenantClient, Transport, UrllibTransport, WsgiTransport
from sandbox.testing.clock import ScimClock
from sandbox.testing.server import LiveServer
from sandbox.testing.snapshot_files import start_from_snapshot
from sandbox.testing.tenant import SandboxTenant

IN_PROCESS_ROOT = "http://localhost"  # what Flask's test client calls the server


class ScimSandbox:
    """The session's app (`app`), its tenant registry (`registry`) and, once a live tenant
    is asked for, a loopback server (`live_url`) shared by every live tenant.

    A context manager: `with ScimSandbox.start() as sandbox:` closes it (server and store)
    on leaving the block, exception or not.
    """

    def __init__(self, app: Any) -> None:
        self.app = app
        self.registry: TenantRegistry = app.extensions["scim_sandbox"]
        self.admin_token: str = app.config["SCIM_SANDBOX_ADMIN_TOKEN"]
        self._server: LiveServer | None = None
        self._server_lock = threading.Lock()
        self._wsgi = WsgiTransport(app)
        self._urllib = UrllibTransport()
        self._closed = False

    @classmethod
    def start(cls, config: Mapping[str, Any] | None = None) -> ScimSandbox:
        """A new app: no demo tenants, a random admin token; `config` adds `create_app`
        settings (e.g. `{"vendors_dirs": ["my_profiles"]}`)."""
        from sandbox.app import create_app

        settings = {"demo_tenants": False, "admin_token": secrets.token_urlsafe(24),
                    **(config or {})}
        return cls(create_app(settings))

    @property
    def live_url(self) -> str:
        """`http://127.0.0.1:<port>` of the session's server, started on first use."""
        with self._server_lock:
            if self._closed:  # a server started now would outlive the block that closed us
                raise RuntimeError("This ScimSandbox is closed; start a new one with "
                                   "ScimSandbox.start().")
            if self._server is None:
                self._server = LiveServer(self.app)
            return self._server.url

    @property
    def server(self) -> LiveServer | None:
        """The loopback server, or None while no live tenant has been asked for."""
        return self._server

    @property
    def clock(self) -> ScimClock:
        """The sandbox's clock, shared by every tenant: `freeze(at)`, `advance(seconds)`,
        `release()`, `now`. The `scim_clock` fixture is this, released after its test."""
        return ScimClock(self.registry.clock)

    def transport(self, live: bool) -> Transport:
        return self._urllib if live else self._wsgi

    def tenant(self, vendor: str = "generic", *, seed_users: int = 0, seed_groups: int = 0,
               seed: int = 0, locale: str | None = None, live: bool = False,
               token: str | None = None, slug: str | None = None,
               tenant_id: str | None = None, **credentials: str) -> SandboxTenant:
        """A new tenant of `vendor`, with `seed_users` fake users (and `seed_groups` groups)
        made from `seed`; `live` gives it a loopback URL instead of an in-process one.
        `token` fixes its secret, whatever the vendor's auth kind; `credentials` may fix the
        rest (`username`, `password`, `client_id`, `client_secret`). `snapshot="file.json"`
        starts it from a snapshot file (`testing.snapshot_files`), before any seeding.
        Nothing deletes it but `tenant.delete()` or the end of the session."""
        snapshot = credentials.pop("snapshot", None)
        try:
            service = self.registry.create_tenant(vendor, token=token, slug=slug,
                                                  tenant_id=tenant_id, **credentials)
        except ScimError as error:
            raise ValueError(error.detail) from None
        root = self.live_url if live else IN_PROCESS_ROOT
        tenant = SandboxTenant(self.registry, service, root, self.transport(live), live=live)
        try:
            if snapshot is not None:
                start_from_snapshot(service, snapshot)
            if seed_users or seed_groups:
                tenant.seed(users=seed_users, groups=seed_groups, seed=seed, locale=locale)
        except BaseException:
            tenant.delete()
            raise
        return tenant

    def admin_client(self, live: bool = False) -> TenantClient:
        """A client of the admin API (`/_sandbox`) with the admin token."""
        root = self.live_url if live else IN_PROCESS_ROOT
        return TenantClient(root + "/_sandbox", self.admin_token, self.transport(live))

    def close(self) -> None:
        """Stop the server, if one started, and release the store. Closing twice is a no-op,
        so an explicit `close()` inside a `with` block does no harm."""
        with self._server_lock:
            if self._closed:
                return
            self._closed = True
            if self._server is not None:
                self._server.stop()
        self.registry.store.close()

    @property
    def closed(self) -> bool:
        return self._closed

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        server = self._server.url if self._server else "not live"
        return f"<ScimSandbox {len(self.registry.tenants())} tenant(s), {server}>"


class TenantFactory:
    """What the `scim_tenant` fixture gives a test: `scim_tenant("olfeo", seed_users=5)`.

    Every tenant it makes is deleted when the test ends, so no test sees another's data.
    `live=None` follows the session default (`--scim-sandbox-live`).
    """

    def __init__(self, sandbox: ScimSandbox, *, live: bool = False) -> None:
        self.sandbox = sandbox
        self.live = live
        self.made: list[SandboxTenant] = []

    def __call__(self, vendor: str = "generic", *, seed_users: int = 0, seed_groups: int = 0,
                 seed: int = 0, locale: str | None = None, live: bool | None = None,
                 token: str | None = None, slug: str | None = None,
                 **credentials: str) -> SandboxTenant:
        tenant = self.sandbox.tenant(vendor, seed_users=seed_users, seed_groups=seed_groups,
                                     seed=seed, locale=locale,
                                     live=self.live if live is None else live,
                                     token=token, slug=slug, **credentials)
        self.made.append(tenant)
        return tenant

    def close(self) -> None:
        """Delete every tenant this factory made (the fixture's teardown)."""
        while self.made:
            self.made.pop().delete()

    def __repr__(self) -> str:
        made = ", ".join(t.id for t in self.made) or "none yet"
        return f"<scim_tenant factory; tenants: {made}>"
