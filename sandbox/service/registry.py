"""All tenants of one sandbox: create, find (by id, slug or secret), reset and delete them.

What opens a tenant (its secret by the vendor's auth kind, replaced secrets, OAuth grants)
is kept by `tenant_keys.TenantKeys`; the registry asks it and keeps the records in step.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sandbox.config import JOURNAL_SIZE, MAX_FAULT_DELAY_MS
from sandbox.scim.errors import ScimError
from sandbox.scim.filter import Predicate
from sandbox.service.clock import Clock, format_time, utc_now
from sandbox.service.credentials import (
    EXPIRY_FIELD,
    CredentialRefused,
    expiry_of,
    given_problem,
    grace_end,
    new_credentials,
    secret_problem,
    with_replaced,
)
from sandbox.service.faults import FaultSet
from sandbox.service.indexes import INDEXES
from sandbox.service.journal import Journal
from sandbox.service.limits import Limits
from sandbox.service.oauth_grants import OAuthGrants
from sandbox.service.sandbox_clock import SandboxClock
from sandbox.service.tenant import TenantService
from sandbox.service.tenant_keys import Presented, TenantKeys
from sandbox.store import Store
from sandbox.vendors import Profile
from sandbox.vendors.rule_checks import setting_problem
from sandbox.vendors.vendor_search import unknown_vendor_detail

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,62}")
_UNREAD = "?"  # a vendor whose placeholder is not read yet (none is spelt so)
MAX_GRACE_SECONDS = 30 * 24 * 3600  # a month: longer than any vendor's documented overlap


class SandboxError(ScimError):
    """A refused admin request (bad vendor, taken id, ...), answered as a SCIM error body."""


def token_problem(token: Any) -> str | None:
    """Why `token` cannot be a tenant's secret, or None when it can. Callers that take a
    token from a person (the CLI, a config) check it with this before anything starts."""
    return secret_problem(token)


def _checked_token(token: Any) -> None:
    problem = token_problem(token)
    if problem:
        raise SandboxError(400, problem[0].upper() + problem[1:] + ".", "invalidValue")


@dataclass(frozen=True, slots=True)
class Rotation:
    """A replaced secret: the tenant, until when the old secret works, the grace asked for
    and the grace given (0 under `token_regeneration_invalidates_old`)."""

    tenant: TenantService
    old_valid_until: datetime
    grace_asked: int
    grace_given: int


class TenantRegistry:
    """The tenants of one app, over one store and one set of vendor profiles: a dict, or a
    `Catalog` whose gallery profiles are built when a tenant or a request first needs one
    (nothing here walks every profile)."""

    def __init__(self, profiles: Mapping[str, Profile], store: Store | None = None,
                 clock: Clock = utc_now, journal_size: int = JOURNAL_SIZE,
                 max_fault_delay_ms: int = MAX_FAULT_DELAY_MS,
                 limits: Limits | None = None) -> None:
        self.profiles = profiles
        self.store = store if store is not None else Store(indexes=INDEXES)
        # One clock for every tenant, which a test may freeze or move on (/_sandbox/clock).
        self.clock = clock if isinstance(clock, SandboxClock) else SandboxClock(clock)
        self._clock = self.clock
        self.journal_size = journal_size
        self.max_fault_delay_ms = max_fault_delay_ms
        self.limits = limits or Limits()
        self._filter_cache: dict[tuple[str, str, str], Predicate] = {}
        self._services: dict[str, TenantService] = {}
        self.keys = TenantKeys(self.clock)
        self._by_slug: dict[tuple[str, str], str] = {}
        # How each vendor's URLs name a tenant ("tenant", "slug" or None), read once a
        # request names the vendor.
        self._placeholders: dict[str, str | None] = {}
        for record in self.store.tenants():
            self._register(dict(record))

    @property
    def oauth(self) -> OAuthGrants:
        """The OAuth grants (codes, access and refresh tokens) of every tenant."""
        return self.keys.oauth

    def profile(self, vendor: str) -> Profile:
        """The vendor's profile (built now if it is a gallery app's), or a 400 saying why
        there is none: the close ids, or why a gallery record is not served."""
        try:
            return self.profiles[vendor]
        except KeyError:
            raise SandboxError(400, unknown_vendor_detail(self.profiles, vendor),
                               "invalidValue") from None

    def create_tenant(self, vendor: str, *, token: str | None = None, slug: str | None = None,
                      tenant_id: str | None = None, **given: str | None) -> TenantService:
        """A new, empty tenant of `vendor` with its own credentials, by the vendor's auth
        kind: `token` (any kind's secret), or `password` and `username` (basic), or
        `client_secret` and `client_id` (OAuth); what is not given is made up."""
        profile = self.profile(vendor)
        for label, value in (("id", tenant_id), ("slug", slug)):
            if value is not None and (not isinstance(value, str) or not _NAME.fullmatch(value)):
                raise SandboxError(400, f"Tenant {label} {value!r} must be 1-63 letters, digits, "
                                        "'.', '_' or '-', starting with a letter or digit.",
                                   "invalidValue")
        unknown = sorted(set(given) - {"password", "client_secret", "username", "client_id"})
        if unknown:
            raise TypeError(f"create_tenant() got unexpected keyword argument(s) {unknown}")
        given = {**given, "token": token}
        problem = given_problem(profile, given)
        if problem:
            raise SandboxError(400, problem[0].upper() + problem[1:] + ".", "invalidValue")
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
            now = self.clock()
            record = {"id": tenant_id, "vendor": vendor, "slug": slug,
                      "created": format_time(now),
                      **new_credentials(profile, tenant_id, given, now)}
            self._check_token_free(profile, record["token"], tenant_id)
            self.store.add_tenant(record)
            return self._register(record)

    def _check_token_free(self, profile: Profile, token: str, tenant_id: str) -> None:
        holder = self.keys.holder(profile.id, token)
        if profile.tenant_placeholder is None and holder not in (None, tenant_id):
            # Such a tenant is found by its token alone, so tokens must differ.
            raise SandboxError(409, f"Another {profile.name} tenant already uses this token.",
                               "uniqueness")

    def replace_token(self, tenant_id: str, token: str) -> TenantService:
        """Give a tenant a new secret; the old one stops working at once, its data stays.

        Every lookup that knows the old secret moves to the new one and the store keeps it,
        so a durable sandbox still has it after a restart."""
        return self.rotate_secret(tenant_id, token).tenant

    def rotate_secret(self, tenant_id: str, secret: str | None = None,
                      grace_seconds: int = 0) -> Rotation:
        """Issue a tenant a new secret (`secret`, or a random one). The old one keeps working
        `grace_seconds` more, unless the vendor's `token_regeneration_invalidates_old` rule
        ends it at once. Every OAuth code and token issued so far is revoked either way, as a
        changed client secret ends a vendor's sessions; the client fetches new ones."""
        if secret is not None:
            _checked_token(secret)
        if (not isinstance(grace_seconds, int) or isinstance(grace_seconds, bool)
                or not 0 <= grace_seconds <= MAX_GRACE_SECONDS):
            raise SandboxError(400, "'grace_seconds' must be a whole number of seconds from 0 "
                                    f"to {MAX_GRACE_SECONDS}.", "invalidValue")
        with self.store.lock:
            service = self._services.get(tenant_id)
            if service is None:
                raise SandboxError(404, f"No tenant '{tenant_id}'.")
            secret = secret or secrets.token_urlsafe(24)
            self._check_token_free(service.profile, secret, tenant_id)
            ends_at_once = service.profile.has_rule("token_regeneration_invalidates_old")
            granted = 0 if ends_at_once else grace_seconds
            now = self.clock()
            until = grace_end(now, granted, expiry_of(service.record, service.profile))
            granted = min(granted, int((until - now).total_seconds()))
            old_digest = self.keys.digest_of(tenant_id)
            replaced = (with_replaced(service.record, old_digest, until)
                        if old_digest is not None else service.record.get("replaced", []))
            record = {**service.record, "token": secret, "token_issued": format_time(now),
                      "replaced": replaced, EXPIRY_FIELD: None}  # an expiry set was the old's
            self.store.update_tenant(record)
            service.record = record
            self.keys.oauth.revoke_tenant(tenant_id)
            self.keys.index(service)
        return Rotation(service, until, grace_seconds, granted)

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

    def add_restored(self, record: dict[str, Any]) -> TenantService:
        """Add a tenant exactly as a whole-sandbox snapshot holds it, its secret as a digest
        (`token_sha256`); `sandbox_snapshots` checked the record, its id and slug first."""
        with self.store.lock:
            self.store.add_tenant(record)
            return self._register(record)

    def _register(self, record: dict[str, Any]) -> TenantService:
        profile = self.profiles.get(record["vendor"])
        if profile is None:
            raise SandboxError(500, f"Tenant '{record['id']}' is of vendor '{record['vendor']}', "
                                    "whose profile is not loaded; load it with --vendors DIR "
                                    "(the folder the tenant was made with).")
        service = TenantService(record, profile, self.store, self._filter_cache, self.clock,
                                journal=Journal(self.journal_size),
                                faults=FaultSet(self.max_fault_delay_ms), limits=self.limits)
        self._services[record["id"]] = service
        self.keys.index(service)
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
            self.keys.forget(service)
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
        """Change a tenant's settings, e.g. `{"active_scim_provider": False}` or
        `{"verified_domains": ["contoso.com"]}`; each keeps its default's type."""
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
            problem = setting_problem(known[name]["default"], value, name)
            if problem is not None:
                raise SandboxError(400, f"Setting '{name}' must be {problem}.", "invalidValue")
        with self.store.lock:
            record = {**service.record,
                      "settings": {**(service.record.get("settings") or {}), **changes}}
            self.store.update_tenant(record)
            service.record = record
        return service

    def authenticate(self, vendor: str, key: str | None, token: str) -> TenantService | None:
        """The tenant of `vendor` named by `key` (id or slug; None when the URL has neither)
        that a bearer `token` opens, compared in constant time; None otherwise."""
        try:
            return self.admit(vendor, key, Presented("bearer", token, sent=True))
        except CredentialRefused:
            return None

    def admit(self, vendor: str, key: str | None, presented: Presented) -> TenantService:
        """The tenant of `vendor` named by `key` (None: found by its credentials) that
        `presented` opens; `CredentialRefused` (401) says why not, and a key naming no
        tenant is refused the same way (the HTTP layer says 404 before asking)."""
        if key is None:
            return self.keys.find(vendor, self.profile(vendor).auth.kind, presented,
                                  self._services)
        service = self.tenant_for_url(vendor, key)
        if service is None:
            raise CredentialRefused("No such tenant.", "wrong")
        self.check_credentials(service, presented)
        return service

    def check_credentials(self, service: TenantService, presented: Presented) -> None:
        """Let a request with these credentials into `service`, or raise
        `CredentialRefused` (401) saying why not: wrong, expired, replaced or missing."""
        self.keys.check(service, presented)

    def check_client(self, service: TenantService, client_id: str, client_secret: str) -> None:
        """Check OAuth client credentials at the tenant's token endpoint, as a Basic
        username and password are checked (expiry and replaced secrets included)."""
        self.keys.check_static(service, "basic",
                               Presented("basic", client_secret, client_id, sent=True))

    def token_matches(self, service: TenantService, token: str) -> bool:
        """Whether `token` is `service`'s current secret, compared in constant time."""
        return self.keys.secret_matches(service, token)

    def tenant_for_url(self, vendor: str, key: str | None) -> TenantService | None:
        """The tenant a URL names, without checking any token (None for token-only URLs)."""
        if key is None:
            return None
        placeholder = self._placeholders.get(vendor, _UNREAD)
        if placeholder is _UNREAD:
            if vendor not in self.profiles:
                return None
            placeholder = self._placeholders[vendor] = self.profiles[vendor].tenant_placeholder
        tenant_id = self._by_slug.get((vendor, key.lower())) if placeholder == "slug" else key
        service = self._services.get(tenant_id) if tenant_id else None
        return service if service is not None and service.profile.id == vendor else None

    def tenant_exists(self, vendor: str, key: str) -> bool:
        return self.tenant_for_url(vendor, key) is not None
