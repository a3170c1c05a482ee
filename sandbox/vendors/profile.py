"""The in-memory form of a vendor profile and the SCIM schemas it implies."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sandbox.scim.schema import ResourceSchema, Schema
from sandbox.vendors.profile_auth import AuthProfile
from sandbox.vendors.profile_rules import Rule
from sandbox.vendors.quirks import QUIRKS
from sandbox.vendors.rules import RequiredPath


class ProfileError(ValueError):
    """A profile file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True, slots=True)
class ResourceTypeProfile:
    """One resource type a vendor offers (User or Group) and its rules."""

    name: str
    schema: ResourceSchema
    filterable: tuple[str, ...] | None = None  # as the doc writes them; None: any attribute
    filterable_keys: frozenset[str] | None = None  # their normalised form (vendors.rules)
    unique: tuple[str, ...] = ()  # attribute names unique within a tenant (case-insensitive)
    required: tuple[RequiredPath, ...] = ()  # as the doc writes them, with presence tests
    patch_response: str = "resource"  # "resource" (200 with body) or "no_content" (204)


@dataclass(frozen=True, slots=True)
class Profile:
    """Everything the sandbox needs to emulate one vendor's SCIM endpoint."""

    id: str
    name: str
    description: str
    tenant_url: str  # path template below the server root; placeholder {tenant} or {slug}
    resource_types: dict[str, ResourceTypeProfile]
    delete_mode: str = "hard"  # "hard" or "soft" (deactivate on DELETE)
    unknown_attributes: str = "reject"  # "reject" (400) or "ignore" (accept, do not store)
    patch_response: str = "resource"  # default of the resource types' own patch_response
    max_results: int = 200
    features: dict[str, bool] = field(default_factory=dict)
    quirks: tuple[str, ...] = ()  # names in sandbox.vendors.quirks.QUIRKS
    settings: dict[str, dict[str, Any]] = field(default_factory=dict)  # per-tenant switches
    setup: dict[str, Any] = field(default_factory=dict)  # the vendor's setup screens, as data
    doc: dict[str, Any] = field(default_factory=dict)  # the tutorial and the lines we follow
    locale: str | None = None  # the vendor console's language, e.g. "fr_FR"
    documentation_uri: str | None = None
    rules: tuple[Rule, ...] = ()  # the tutorial's limitations, as data (profile_rules)
    auth: AuthProfile = field(default_factory=AuthProfile)
    source: str = ""  # the file it came from, for error messages
    raw: dict[str, Any] = field(default_factory=dict, repr=False)
    _by_endpoint: dict[str, ResourceTypeProfile] = field(
        default_factory=dict, compare=False, repr=False
    )

    _rules_by_kind: dict[str, tuple[Rule, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        self._by_endpoint.update(
            {rt.schema.endpoint.strip("/").lower(): rt for rt in self.resource_types.values()}
        )
        for rule in self.rules:
            self._rules_by_kind[rule.kind] = (*self._rules_by_kind.get(rule.kind, ()), rule)

    def rules_of(self, kind: str) -> tuple[Rule, ...]:
        """The profile's rules of one kind (none: an empty tuple), found without a scan."""
        return self._rules_by_kind.get(kind, ())

    def has_rule(self, kind: str) -> bool:
        return kind in self._rules_by_kind

    def by_endpoint(self, segment: str) -> ResourceTypeProfile | None:
        """The resource type served at `/<segment>`, in any letter case (`users` → User)."""
        return self._by_endpoint.get(segment.lower())

    @property
    def tenant_placeholder(self) -> str | None:
        """`tenant` or `slug` when the URL names the tenant, None when only the token does."""
        found = re.search(r"\{(tenant|slug)\}", self.tenant_url)
        return found.group(1) if found else None

    def tenant_path(self, tenant_id: str, slug: str | None) -> str:
        return self.tenant_url.replace("{tenant}", tenant_id).replace("{slug}", slug or tenant_id)

    def all_schemas(self) -> list[Schema]:
        """Every schema document this vendor publishes at /Schemas, each once."""
        seen: dict[str, Schema] = {}
        for rt in self.resource_types.values():
            for schema in (rt.schema.core, *rt.schema.extensions):
                seen.setdefault(schema.id, schema)
        return list(seen.values())

    def feature(self, name: str) -> bool:
        return self.features.get(name, False)

    def summary(self) -> dict[str, Any]:
        """The public description served by `GET /_sandbox/vendors`."""
        return {
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "resource_types": list(self.resource_types),
            "delete_mode": self.delete_mode,
            "tenant_url_template": self.tenant_url,
            "patch_response": {rt.name: rt.patch_response
                               for rt in self.resource_types.values()},
            "settings": {name: spec.get("default") for name, spec in self.settings.items()},
            "auth": self.auth.kind,
            "rules": [{"kind": rule.kind, "does": rule.in_words(),
                       **({"summary": rule.summary} if rule.summary else {})}
                      for rule in self.rules],
        }

    def default_settings(self) -> dict[str, Any]:
        return {name: spec["default"] for name, spec in self.settings.items()}

    def check_access(self, settings: dict[str, Any]) -> None:
        """Run the profile's quirks that may refuse a request (see vendors.quirks)."""
        for name in self.quirks:
            QUIRKS[name](self.name, settings)
