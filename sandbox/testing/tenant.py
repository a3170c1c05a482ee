"""`SandboxTenant`: one tenant as a test sees it: where to send requests, what arrived, and
assertions on both that say what was received when they fail.

Reads (`users()`, `journal()`, the assertions) go through the tenant's service directly, so
looking never adds a request to the journal nor trips a fault.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sandbox.scim.errors import ScimError
from sandbox.scim.listing import ListQuery
from sandbox.service.credentials import expiry_of
from sandbox.service.operations import LABELS
from sandbox.service.registry import TenantRegistry
from sandbox.service.tenant import TenantService
from sandbox.service.token_expiry import checked_expiry, set_token_expiry
from sandbox.testing import matching, verification
from sandbox.testing.client import TenantClient, Transport
from sandbox.testing.credentials import Authorization, authorization_for

_ALL = ListQuery(count=sys.maxsize)  # every resource, whatever the vendor's page size
_MAX_NAMES = 20
_AT_LEAST_ONE = verification.Count(1, None)  # assert_received with no count


class SandboxTenant:
    """A fresh tenant of one vendor; made by the `scim_tenant` fixture or `ScimSandbox.tenant`.

    `url` is its absolute SCIM base URL (`/Users` hangs off it), `credentials` what an admin
    would paste into Entra for it (by the vendor's auth kind) and `token` its secret (the
    bearer token, Basic password or OAuth client secret); the `client` sends requests there
    already authenticated, fetching an OAuth access token where the vendor needs one.
    """

    def __init__(self, registry: TenantRegistry, service: TenantService, root_url: str,
                 transport: Transport, *, live: bool) -> None:
        self.service = service  # the TenantService, for what this class does not offer
        self.live = live
        self.url = root_url.rstrip("/") + service.path
        self._root_url = root_url
        self._transport = transport
        self._client: TenantClient | None = None
        self._authorization: Authorization | None = None
        self._registry = registry
        # Resources this object has seen (seeded or listed), by id: a request that deleted
        # one can still be told apart by its userName once the store has forgotten it.
        self._seen: dict[str, dict[str, Any]] = {}

    @property
    def id(self) -> str:
        return self.service.id

    @property
    def vendor(self) -> str:
        return self.service.profile.id

    @property
    def token(self) -> str:
        return self.service.token

    @property
    def credentials(self) -> dict[str, str]:
        """What an admin pastes into Entra for this tenant: `token`; or `username` and
        `password`; or `client_id`, `client_secret`, `token_url` (and `authorize_url`)."""
        return self.service.credentials(self._root_url)

    def rotate_token(self, grace_seconds: int = 0, token: str | None = None) -> str:
        """Issue the tenant a new secret, as `POST /_sandbox/tenants/<id>/token` does, and
        return it (`token` chooses it). The old one keeps working `grace_seconds` more (by
        the sandbox clock), unless the vendor's `token_regeneration_invalidates_old` rule
        ends it at once; after that it gets a 401 saying it was replaced. The tenant's
        `client` sends the new one from now on; OAuth access tokens are revoked and fetched
        again."""
        try:
            rotation = self._registry.rotate_secret(self.id, token, grace_seconds)
        except ScimError as error:
            raise ValueError(error.detail) from None
        if self._client is not None:
            self._client.token = rotation.tenant.token
        return rotation.tenant.token

    @property
    def token_expires_at(self) -> datetime | None:
        """When the tenant's secret stops working (None: never): a time set here or with
        `PATCH /_sandbox/tenants/<id>`, else the vendor's `token_expires` rule."""
        return expiry_of(self.service.record, self.service.profile)

    @token_expires_at.setter
    def token_expires_at(self, moment: datetime | str | None) -> None:
        """Set when the secret expires: a timezone-aware datetime or ISO 8601 text (a past
        moment expires it at once), or None for never. A new secret clears it."""
        text = moment.isoformat() if isinstance(moment, datetime) else moment
        try:
            set_token_expiry(self._registry, self.id, checked_expiry(text))
        except ScimError as error:
            raise ValueError(error.detail) from None

    def authorization(self) -> str:
        """A current `Authorization` header value for this tenant's SCIM requests (for an
        OAuth vendor, with a newly issued access token), for a client under test."""
        return self._authorizer()(True)

    def _authorizer(self) -> Authorization:
        if self._authorization is None:
            self._authorization = authorization_for(self._registry, self.service,
                                                    self._root_url, self._transport)
        return self._authorization

    @property
    def path(self) -> str:
        """The SCIM base URL below the server root, e.g. `/olfeo/olfeo-1a2b3c4d/scim/v2`."""
        return self.service.path

    @property
    def client(self) -> TenantClient:
        """An HTTP client for this tenant: `tenant.client.get("/Users")`."""
        if self._client is None:  # made on first use: most tenants never need one
            bearer = self.service.profile.auth.kind == "bearer"
            self._client = TenantClient(self.url, self.token, self._transport,
                                        None if bearer else self._authorizer())
        return self._client

    # Data ------------------------------------------------------------------------------------

    def users(self) -> list[dict[str, Any]]:
        """Every user, as a client listing `/Users` would see it."""
        return self._resources("User")

    def groups(self) -> list[dict[str, Any]]:
        """Every group, as a client would see it; empty for a vendor without groups."""
        return self._resources("Group")

    def user(self, user_name: str) -> dict[str, Any] | None:
        """The user with this userName (case-insensitive, as SCIM compares it), or None."""
        wanted = user_name.casefold()
        return next((u for u in self.users()
                     if str(u.get("userName", "")).casefold() == wanted), None)

    def group(self, display_name: str) -> dict[str, Any] | None:
        """The group with this displayName (case-insensitive), or None."""
        wanted = display_name.casefold()
        return next((g for g in self.groups()
                     if str(g.get("displayName", "")).casefold() == wanted), None)

    def seed(self, users: int = 0, groups: int = 0, seed: int = 0, locale: str | None = None,
             recipe: str | None = None) -> dict[str, Any]:
        """Add deterministic fake users (and groups with members), or a named recipe of
        `seed/recipes.toml`; returns what was made, as `POST .../seed` does."""
        from sandbox.service.seeding import seed_from_request  # imports Faker: only if asked

        body: dict[str, Any] = ({"recipe": recipe} if recipe
                                else {"users": users, "groups": groups, "seed": seed})
        if locale:
            body["locale"] = locale
        try:
            made = seed_from_request(self.service, body)
        except ScimError as error:
            raise ValueError(error.detail) from None
        self.users()  # listing remembers what it shows (see _seen)
        self.groups()
        return made

    def reset(self) -> None:
        """Remove every user and group; the URL, token, journal and faults stay."""
        self._registry.reset_tenant(self.id)

    def _resources(self, name: str) -> list[dict[str, Any]]:
        rt = self.service.profile.resource_types.get(name)
        if rt is None:
            return []
        page = self.service.list(rt, _ALL)
        found = self.service.list_view(page, self.url)["Resources"]
        self._seen.update((resource["id"], resource) for resource in found)
        return found

    def _lookup(self, name: str, rid: str) -> dict[str, Any] | None:
        """The resource as it is now, else as this object last saw it."""
        rt = self.service.profile.resource_types.get(name)
        if rt is None:
            return None
        try:
            return self.service.view(rt, self.service.get(rt, rid), self.url)
        except ScimError:
            seen = self._seen.get(rid)
            if seen is None or (seen.get("meta") or {}).get("resourceType") != name:
                return None
            return seen

    # Journal and faults ----------------------------------------------------------------------

    def journal(self, operation: str | None = None, method: str | None = None,
                status: int | None = None) -> list[dict[str, Any]]:
        """The requests received, oldest first, as the admin API shows them (`time`,
        `method`, `path`, `query`, `status`, `operation`, `request`, `response`, `fault`)."""
        if operation is not None:
            _check_label(operation)
        return [entry.to_dict()
                for entry in self.service.journal.entries(operation, method, status)]

    def clear_journal(self) -> None:
        self.service.journal.clear()

    def fault(self, **spec: Any) -> dict[str, Any]:
        """Make the tenant misbehave: `tenant.fault(status=429, retry_after=2, times=1)`;
        the fields are the admin API's. Returns the fault with its `id`."""
        try:
            return self.service.faults.add(spec).to_dict()
        except ScimError as error:
            raise ValueError(error.detail) from None

    def faults(self) -> list[dict[str, Any]]:
        """The fault rules, each with how often it `fired`."""
        return [fault.to_dict() for fault in self.service.faults.list()]

    def clear_faults(self) -> None:
        self.service.faults.clear()

    # Assertions ------------------------------------------------------------------------------

    def received(self, operation: str | None = None, **match: Any) -> list[dict[str, Any]]:
        """The journal entries of `operation` (a label such as "disable user"; None: any)
        whose request names a resource with these attribute values, oldest first."""
        return [x.entry for x in self._matching(operation, match)[1]]

    def assert_received(self, operation: str | None, *, times: int | None = None,
                        at_least: int | None = None, at_most: int | None = None,
                        **match: Any) -> dict[str, Any] | None:
        """Assert the tenant received an `operation` request for a resource with these
        attribute values, e.g. `assert_received("disable user", userName="ann")`; returns the
        latest such journal entry (None when the count allowed none and none came).

        With no count, at least one must have arrived; `times=N` asks for exactly N,
        `at_least=` and `at_most=` for a range (`times=0` is `assert_not_received`).

        A value matches the request body (a PATCH's paths and values included), the resource
        the request targeted (a PATCH or DELETE by id is resolved to the resource as the
        answers and the store show it), or the filter of a match query. Attribute names are
        case-insensitive; `name__givenName` or `**{"name.givenName": ...}` reach sub-attributes;
        "True"/"False" strings equal booleans. The failure lists what was received.
        """
        __tracebackhide__ = True
        count = verification.expected_count(times, at_least, at_most)
        everything, hits = self._matching(operation, match)
        if count == _AT_LEAST_ONE and not hits:  # the message this assertion always gave
            raise AssertionError(matching.missing_message(operation, match, everything))
        if not count.allows(len(hits)):
            raise AssertionError(verification.count_message(operation, match, count,
                                                            everything, hits))
        return hits[-1].entry if hits else None

    def assert_received_in_order(self, expected: Sequence[str | tuple[str | None, dict[str, Any]]],
                                 ) -> list[dict[str, Any]]:
        """Assert these requests arrived in this order, other requests allowed between them:
        each item is an operation label (`"create user"`) or a label with attribute values
        (`("disable user", {"userName": "ann"})`), matched as `assert_received` matches.
        Returns the journal entries that matched, one per item; the failure names the first
        item missing, after which request, and lists what was received."""
        __tracebackhide__ = True
        steps = verification.steps_of(expected, _check_label)
        everything = self._matching(None, {})[0]
        found, problem = verification.in_order(steps, everything)
        if problem is not None:
            raise AssertionError(problem)
        return [exchange.entry for exchange in found]

    def assert_not_received(self, operation: str | None, **match: Any) -> None:
        """Assert no such request arrived (same matching as `assert_received`)."""
        __tracebackhide__ = True
        hits = self._matching(operation, match)[1]
        if hits:
            raise AssertionError(matching.unexpected_message(operation, match, hits))

    def assert_user(self, user_name: str, **attrs: Any) -> dict[str, Any]:
        """Assert a user with this userName exists with these attribute values, e.g.
        `assert_user("ann", active=False, name__givenName="Ann")`; returns the user."""
        __tracebackhide__ = True
        users = self.users()
        wanted = user_name.casefold()
        user = next((u for u in users if str(u.get("userName", "")).casefold() == wanted), None)
        if user is None:
            raise AssertionError(f"expected a user with userName {user_name!r}; "
                                 f"{_user_names(users)}")
        found = {key: matching.values_at(user, key) for key in attrs}
        wrong = {key: values for key, values in found.items()
                 if not any(matching.value_matches(v, attrs[key]) for v in values)}
        if wrong:
            expected = ", ".join(f"{key} {attrs[key]!r}" for key in wrong)
            actual = ", ".join(f"{key} {_shown(values)}" for key, values in wrong.items())
            raise AssertionError(f"expected user {user['userName']!r} with {expected}; "
                                 f"it has {actual}")
        return user

    def _matching(self, operation: str | None, match: dict[str, Any],
                  ) -> tuple[list[matching.Exchange], list[matching.Exchange]]:
        """Every journalled exchange, and those that match."""
        if operation is not None:
            _check_label(operation)
        entries = [entry.to_dict() for entry in self.service.journal.entries()]
        everything = matching.exchanges(entries, self.path, self._lookup)
        hits = [x for x in everything
                if (operation is None or x.operation == operation.lower()) and x.matches(match)]
        return everything, hits

    # Lifecycle -------------------------------------------------------------------------------

    def delete(self) -> bool:
        """Delete the tenant now (the fixture does it at teardown anyway); False if gone."""
        return self._registry.delete_tenant(self.id)

    def __repr__(self) -> str:
        return f"<SandboxTenant {self.id} ({self.vendor}) {self.url}>"


def _check_label(operation: str) -> None:
    # A misspelt label would make assert_not_received pass whatever happened.
    if operation.lower() not in LABELS:
        raise ValueError(f"Unknown operation {operation!r}; the journal's labels are: "
                         f"{', '.join(LABELS)}.")


def _user_names(users: list[dict[str, Any]]) -> str:
    if not users:
        return "the tenant has no users"
    names = ", ".join(repr(u.get("userName")) for u in users[:_MAX_NAMES])
    more = f" and {len(users) - _MAX_NAMES} more" if len(users) > _MAX_NAMES else ""
    return f"the tenant has {len(users)} user(s): {names}{more}"


def _shown(values: list[Any]) -> str:
    if not values:
        return "missing"
    return repr(values[0]) if len(values) == 1 else repr(values)
