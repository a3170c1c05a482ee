"""What every part of a tenant's service shares: its record, vendor profile, store and
journal, and the lookups and checks each operation starts with.

The operations live beside it, one room each: `presentation` (what a client sees),
`reads`, `writes` and `snapshots`; `tenant.TenantService` puts them together.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sandbox.scim.errors import not_found
from sandbox.scim.etag import check_if_match
from sandbox.scim.filter import Predicate
from sandbox.scim.resource import normalize_resource, require_attributes
from sandbox.service.clock import Clock, utc_now
from sandbox.service.faults import FaultSet
from sandbox.service.journal import Journal
from sandbox.service.limits import Limits
from sandbox.service.rate_limits import TenantRate
from sandbox.store import StoreContract
from sandbox.vendors import Profile, ResourceTypeProfile
from sandbox.vendors.profile_auth import OAUTH_AUTHORIZATION_CODE
from sandbox.vendors.rule_checks import TypeRules, compile_rules
from sandbox.vendors.rules import check_required


class TenantBase:
    """One tenant's state, as moto's backends are for one account and region."""

    def __init__(
        self,
        record: dict[str, Any],
        profile: Profile,
        store: StoreContract,
        filter_cache: dict[tuple[str, str, str], Predicate],
        clock: Clock = utc_now,
        journal: Journal | None = None,
        faults: FaultSet | None = None,
        limits: Limits | None = None,
    ) -> None:
        self.record = record
        self.limits = limits or Limits()
        self.journal = journal if journal is not None else Journal()
        self.faults = faults if faults is not None else FaultSet()
        self.profile = profile
        self.store = store
        self._filters = filter_cache
        self._clock = clock
        self._path: str | None = None
        # The profile's rules, compiled per resource type; empty for most profiles, so a
        # request pays a dictionary lookup for rules it does not have.
        self.type_rules: dict[str, TypeRules] = compile_rules(profile)
        self.rate = TenantRate(profile)

    @property
    def id(self) -> str:
        return self.record["id"]

    @property
    def token(self) -> str:
        return self.record["token"]

    def credentials(self, root_url: str | None = None) -> dict[str, str]:
        """What an admin pastes into Entra's Admin Credentials for this tenant, by the
        vendor's auth kind: `token` (bearer), `username` and `password` (basic), or
        `client_id` and `client_secret` (OAuth). Given the server's root URL, an OAuth
        tenant's answer adds its absolute `token_url` (and `authorize_url` for the code
        grant)."""
        from sandbox.service.credentials import credentials_of, oauth_paths

        found = credentials_of(self.record, self.profile)
        if root_url is not None and self.profile.auth.is_oauth:
            paths = oauth_paths(self.id)
            found["token_url"] = root_url.rstrip("/") + paths["token_url"]
            if self.profile.auth.kind == OAUTH_AUTHORIZATION_CODE:
                found["authorize_url"] = root_url.rstrip("/") + paths["authorize_url"]
        return found

    @property
    def slug(self) -> str | None:
        return self.record.get("slug")

    @property
    def settings(self) -> dict[str, Any]:
        """The tenant's vendor switches (e.g. Vault Platform's active SCIM provider)."""
        return {**self.profile.default_settings(), **(self.record.get("settings") or {})}

    def check_access(self) -> None:
        """Refuse every SCIM request while the vendor's own rules say so (vendors.quirks),
        and one past the tenant's `rate_limit` setting or else the profile's `rate_limit`
        rules (429 with the seconds to wait)."""
        if self.profile.quirks:
            self.profile.check_access(self.settings)
        self.rate.admit(self._clock, self.record.get("rate_limit"))

    def now(self) -> datetime:
        """The sandbox's time for this tenant (frozen or moved by /_sandbox/clock), which
        `meta` times, token expiry, rate windows and the journal read."""
        return self._clock()

    def counts(self) -> dict[str, int]:
        """How many resources of each type the tenant holds."""
        return {name: self.store.count(self.id, name) for name in self.profile.resource_types}

    @property
    def path(self) -> str:
        """The tenant's SCIM base path below the server root."""
        if self._path is None:  # id and slug never change
            self._path = self.profile.tenant_path(self.id, self.slug)
        return self._path

    # Resource types -----------------------------------------------------------------------

    def resource_type(self, endpoint: str) -> ResourceTypeProfile:
        """The resource type at `/<endpoint>`, or a 404 naming what this vendor offers."""
        found = self.profile.by_endpoint(endpoint)
        if found is None:
            offered = ", ".join(rt.schema.endpoint for rt in self.profile.resource_types.values())
            raise not_found(
                f"{self.profile.name} has no /{endpoint} endpoint; it offers {offered}."
            )
        return found

    # Checks every operation starts with ----------------------------------------------------

    @property
    def _ignore_unknown(self) -> bool:
        return self.profile.unknown_attributes == "ignore"

    def _validated(self, rt: ResourceTypeProfile, body: Any,
                   current: dict[str, Any] | None = None) -> dict[str, Any]:
        """`body` as it would be stored, checked against the schema, the vendor's required
        attributes and its rules; `current` is the stored resource a PUT or PATCH changes."""
        data = normalize_resource(body, rt.schema, ignore_unknown=self._ignore_unknown)
        rules = self.type_rules.get(rt.name)
        if rules is not None:
            data = rules.prepared(data, current)
        # The vendor's list first, so the message names the attribute as its doc writes it.
        check_required(data, rt.required, self.profile.name)
        require_attributes(data, rt.schema)
        if rules is not None and rules.checks:
            domains = self.settings.get("verified_domains", ()) if rules.needs_domains else ()
            rules.check_values(data, domains)
        return data

    def _require(self, rt: ResourceTypeProfile, rid: str) -> dict[str, Any]:
        data = self.store.get(self.id, rt.name, rid)
        if data is None:
            raise not_found(f"{rt.name} '{rid}' not found.")
        return data

    def _check_version(self, current: dict[str, Any], if_match: str | None) -> None:
        if self.profile.feature("etag"):
            check_if_match(if_match, current["meta"]["version"])


def without_meta(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in ("id", "meta")}
