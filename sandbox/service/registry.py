"""All tenants of one sandbox: create, find (by id, slug or token), reset and delete them."""

from __future__ import annotations

import re
import secrets
from typing import Any

from sandbox.config import JOURNAL_SIZE, MAX_FAULT_DELAY_MS
from sandbox.scim.errors import ScimError
from sandbox.scim.filter import Predicate
from sandbox.service.clock import Clock, format_time, utc_now
from sandbox.service.faults import FaultSet
from sandbox.service.indexes import INDEXES
from sandbox.service.journal import Journal
from sandbox.service.limits import Limits
from sandbox.service.tenant import TenantService
from sandbox.service.tokens import digest_matches, token_digest
from sandbox.store import Store
from sandbox.vendors import Profile

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,62}")


class SandboxError(ScimError):
    """A refused admin request (bad vendor, taken id, ...), answered as a SCIM error body."""


def token_problem(token: Any) -> str | None:
    """Why `token` cannot be a tenant's secret, or None when it can. Callers that take a
    token from a person (the CLI, a config) check it with this before anything starts."""
    if (not isinstance(token, str) or len(token) < 8 or not token.isascii()
            or not token.isprintable() or any(c.isspace() for c in token)):
        # It travels in an Authorization header: printable ASCII, no spaces.
        return "a tenant token must be at least 8 printable ASCII characters, no spaces"
    return None


def _checked_token(token: Any) -> None:
    problem = token_problem(token)
    if problem:
        raise SandboxError(400, problem[0].upper() + problem[1:] + ".", "invalidValue")


class TenantRegistry:
    """The tenants of one app, over one store and one set of vendor profiles."""

    def __init__(self, profiles: dict[str, Profile], store: Store | None = None,
                 clock: Clock = utc_now, journal_size: int = JOURNAL_SIZE,
                 max_fault_delay_ms: int = MAX_FAULT_DELAY_MS,
                 limits: Limits | None = None) -> None:
        self.profiles = profiles
        self.store = store if store is not None else Store(indexes=INDEXES)
        self._clock = clock
        self.journal_size = journal_size
        self.max_fault_delay_ms = max_fault_delay_ms
        self.limits = limits or Limits()
        self._filter_cache: dict[tuple[str, str, str], Predicate] = {}
        self._services: dict[str, TenantService] = {}
        # Tenants found by token alone (a URL without {tenant}) are looked up by the token's
        # digest, so finding one never compares secrets byte by byte.
        self._by_digest: dict[tuple[str, bytes], str] = {}
        # Each tenant's token digest, kept so that a request hashes only the token it brings.
        self._digests: dict[str, bytes] = {}
        self._by_slug: dict[tuple[str, str], str] = {}
        # How each vendor's URLs name a tenant ("tenant", "slug" or None), read once.
        self._placeholders = {vid: p.tenant_placeholder for vid, p in profiles.items()}
        for record in self.store.tenants():
            self._register(dict(record))

    def profile(self, vendor: str) -> Profile:
        try:
            return self.profiles[vendor]
        except KeyError:
            known = ", ".join(sorted(self.profiles))
            raise SandboxError(400, f"Unknown vendor '{vendor}'; known vendors: {known}.",
                               "invalidValue") from None

    def create_tenant(self, vendor: str, *, token: str | None = None, slug: str | None = None,
                      tenant_id: str | None = None) -> TenantService:
        """A new, empty tenant of `vendor` with its own secret token."""
        profile = self.profile(vendor)
        for label, value in (("id", tenant_id), ("slug", slug)):
            if value is not None and (not isinstance(value, str) or not _NAME.fullmatch(value)):
                raise SandboxError(400, f"Tenant {label} {value!r} must be 1-63 letters, digits, "
                                        "'.', '_' or '-', starting with a letter or digit.",
                                   "invalidValue")
        if token is not None:
            _checked_token(token)
        with self.store.lock:
            tenant_id = tenant_id or f"{vendor}-{secrets.token_hex(4)}"
            if tenant_id in self._services:
                raise SandboxError(409, f"Tenant '{tenant_id}' already exists.", "uniqueness")
            if profile.tenant_placeholder == "slug":
                slug = slug or tenant_id
                if (vendor, slug.lower()) in self._by_slug:
                    raise SandboxError(409, f"Slug '{slug}' is taken.", "uniqueness")
            else:
                slug = None
            token = token or secrets.token_urlsafe(24)
            self._check_token_free(profile, token, tenant_id)
            record = {"id": tenant_id, "vendor": vendor, "token": token, "slug": slug,
                      "created": format_time(self._clock())}
            self.store.add_tenant(record)
            return self._register(record)

    def _check_token_free(self, profile: Profile, token: str, tenant_id: str) -> None:
        holder = self._by_digest.get((profile.id, token_digest(token)))
        if profile.tenant_placeholder is None and holder not in (None, tenant_id):
            # Such a tenant is found by its token alone, so tokens must differ.
            raise SandboxError(409, f"Another {profile.name} tenant already uses this token.",
                               "uniqueness")

    def replace_token(self, tenant_id: str, token: str) -> TenantService:
        """Give a tenant a new secret; the old one stops working at once, its data stays.

        Every lookup that knows the old token (by digest, per tenant) moves to the new one
        and the store keeps it, so a durable sandbox still has it after a restart."""
        _checked_token(token)
        with self.store.lock:
            service = self._services.get(tenant_id)
            if service is None:
                raise SandboxError(404, f"No tenant '{tenant_id}'.")
            self._check_token_free(service.profile, token, tenant_id)
            record = {**service.record, "token": token}
            self.store.update_tenant(record)
            service.record = record
            # As in delete_tenant: only token-found vendors read this map, and their tokens
            # are unique, so the old entry is this tenant's.
            self._by_digest.pop((service.profile.id, self._digests[tenant_id]), None)
            self._index_token(tenant_id, service.profile.id, token)
        return service

    def _index_token(self, tenant_id: str, vendor: str, token: str) -> None:
        digest = token_digest(token)
        self._digests[tenant_id] = digest
        self._by_digest[(vendor, digest)] = tenant_id

    def create_seeded_tenant(self, vendor: str, seed: Any, **options: Any,
                             ) -> tuple[TenantService, dict[str, Any]]:
        """A new tenant filled by a seed request (`{"users": N, ...}`); if seeding fails, no
        half-made tenant is left behind."""
        from sandbox.service.seeding import seed_from_request  # Faker only when seeding

        tenant = self.create_tenant(vendor, **options)
        try:
            return tenant, seed_from_request(tenant, seed)
        except BaseException:
            self.delete_tenant(tenant.id)
            raise

    def _register(self, record: dict[str, Any]) -> TenantService:
        profile = self.profiles.get(record["vendor"])
        if profile is None:
            raise SandboxError(500, f"Tenant '{record['id']}' is of vendor '{record['vendor']}', "
                                    "whose profile is not loaded; load it with --vendors DIR "
                                    "(the folder the tenant was made with).")
        service = TenantService(record, profile, self.store, self._filter_cache, self._clock,
                                journal=Journal(self.journal_size),
                                faults=FaultSet(self.max_fault_delay_ms), limits=self.limits)
        self._services[record["id"]] = service
        self._index_token(record["id"], record["vendor"], record["token"])
        if record.get("slug"):
            self._by_slug[(record["vendor"], record["slug"].lower())] = record["id"]
        return service

    def tenant(self, tenant_id: str) -> TenantService | None:
        return self._services.get(tenant_id)

    def tenants(self) -> list[TenantService]:
        return list(self._services.values())

    def delete_tenant(self, tenant_id: str) -> bool:
        with self.store.lock:
            service = self._services.pop(tenant_id, None)
            if service is None:
                return False
            self._by_digest.pop((service.profile.id, self._digests.pop(tenant_id)), None)
            if service.slug:
                self._by_slug.pop((service.profile.id, service.slug.lower()), None)
            self.store.remove_tenant(tenant_id)
            return True

    def reset_tenant(self, tenant_id: str) -> bool:
        """Empty a tenant of users and groups; its id, URL and token stay."""
        if tenant_id not in self._services:
            return False
        self.store.clear_resources(tenant_id)
        return True

    def update_settings(self, tenant_id: str, changes: Any) -> TenantService:
        """Change a tenant's vendor switches, e.g. `{"active_scim_provider": False}`."""
        service = self._services.get(tenant_id)
        if service is None:
            raise SandboxError(404, f"No tenant '{tenant_id}'.")
        known = service.profile.settings
        if not isinstance(changes, dict):
            raise SandboxError(400, "'settings' must be an object.", "invalidValue")
        for name, value in changes.items():
            if name not in known:
                offered = ", ".join(sorted(known)) or "none"
                raise SandboxError(400, f"{service.profile.name} has no setting '{name}'; "
                                        f"its settings: {offered}.", "invalidValue")
            if not isinstance(value, bool):
                raise SandboxError(400, f"Setting '{name}' must be true or false.",
                                   "invalidValue")
        with self.store.lock:
            record = {**service.record,
                      "settings": {**(service.record.get("settings") or {}), **changes}}
            self.store.update_tenant(record)
            service.record = record
        return service

    def authenticate(self, vendor: str, key: str | None, token: str) -> TenantService | None:
        """The tenant of `vendor` named by `key` (id or slug; None when the URL has neither)
        whose token is `token`, compared in constant time; None otherwise."""
        if key is None:
            tenant_id = self._by_digest.get((vendor, token_digest(token)))
            service = self._services.get(tenant_id) if tenant_id else None
        else:
            service = self.tenant_for_url(vendor, key)
        if service is None or service.profile.id != vendor:
            return None
        return service if self.token_matches(service, token) else None

    def token_matches(self, service: TenantService, token: str) -> bool:
        """Whether `token` is `service`'s secret, compared in constant time."""
        expected = self._digests.get(service.id)  # None if deleted meanwhile
        return expected is not None and digest_matches(token, expected)

    def tenant_for_url(self, vendor: str, key: str | None) -> TenantService | None:
        """The tenant a URL names, without checking any token (None for token-only URLs)."""
        if key is None or vendor not in self._placeholders:
            return None
        if self._placeholders[vendor] == "slug":
            tenant_id = self._by_slug.get((vendor, key.lower()))
        else:
            tenant_id = key
        service = self._services.get(tenant_id) if tenant_id else None
        return service if service is not None and service.profile.id == vendor else None

    def tenant_exists(self, vendor: str, key: str) -> bool:
        return self.tenant_for_url(vendor, key) is not None
