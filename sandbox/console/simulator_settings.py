"""What the simulated Provisioning page's form says, read into `Settings`, and the Admin
Credentials its Authentication Method calls for, as Entra's Provisioning blade asks for
them: a Secret Token (bearer), a username and password (basic), an OAuth client and its token
URL (client credentials), or nothing typed at all for a vendor an admin authorizes (the
authorization code grant: the tokens come from **Authorize**)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sandbox.console.simulation_state import Authorization, Settings
from sandbox.console.simulator_input import (
    SimulationError,
    check_secret,
    check_token,
    check_web_url,
)
from sandbox.entra.credentials import AdminCredentials
from sandbox.entra.quarantine import DEFAULT_DELETION_THRESHOLD
from sandbox.entra.scoping import ASSIGNED, SCOPE_LABELS, Scope, ScopeError, ScopingFilter
from sandbox.vendors import Profile
from sandbox.vendors.profile_auth import BASIC, BEARER
from sandbox.vendors.profile_auth import OAUTH_AUTHORIZATION_CODE as AUTHORIZATION_CODE
from sandbox.vendors.profile_auth import OAUTH_CLIENT_CREDENTIALS as CLIENT_CREDENTIALS

# The Authentication Methods the page offers, by `[auth] kind`, in the blade's words.
AUTH_METHODS: dict[str, str] = {
    BEARER: "Bearer authentication",
    BASIC: "Basic authentication",
    CLIENT_CREDENTIALS: "OAuth 2.0 client credentials grant",
    AUTHORIZATION_CODE: "OAuth 2.0 authorization code grant",
}
DELETION_THRESHOLD_RANGE = (1, 100_000)
_TEXT_FIELDS = ("tenant_url", "token", "notification_email", "username", "password",
                "client_id", "client_secret", "token_url")


def checked(value: Any) -> bool:
    """A checkbox or a JSON boolean."""
    return value is True or str(value).lower() in ("on", "true", "1", "yes")


def settings_from(data: Mapping[str, Any]) -> Settings:
    """The page's form (or the same fields as JSON) as Settings; SimulationError for a
    mode or method the simulation does not have."""
    mode = str(data.get("provisioning_mode", "Automatic"))
    if mode != "Automatic":
        raise SimulationError("Only the Automatic provisioning mode is simulated.")
    method = str(data.get("auth_method", "") or "")
    if method and method not in AUTH_METHODS:
        raise SimulationError("Choose an Authentication Method among "
                              f"{', '.join(AUTH_METHODS.values())}.")
    text = {name: str(data.get(name, "") or "").strip() for name in _TEXT_FIELDS}
    return Settings(**text, auth_method=method,
                    compliant_flag=checked(data.get("aadOptscim062020")),
                    provisioning_on=str(data.get("provisioning_status", "off")).lower() == "on",
                    scope=scope_from(data),
                    prevent_deletions=checked(data.get("prevent_deletions")),
                    deletion_threshold=threshold_from(data.get("deletion_threshold")))


def scope_from(data: Mapping[str, Any]) -> Scope:
    """The Scope select and the scoping filters box (one filter a line, its clauses joined
    by AND); SimulationError with the reader's message for a filter it cannot read."""
    mode = str(data.get("scope", "") or ASSIGNED)
    if mode not in SCOPE_LABELS:
        raise SimulationError(f"Choose a Scope among {', '.join(SCOPE_LABELS.values())}.")
    lines = [line.strip() for line in str(data.get("scoping_filters", "") or "").splitlines()]
    filters = []
    for number, line in enumerate((line for line in lines if line), start=1):
        try:
            filters.append(ScopingFilter.parse(line))
        except ScopeError as error:
            raise SimulationError(f"Scoping filter {number}: {error}") from None
    return Scope(mode, tuple(filters))


def threshold_from(value: Any) -> int:
    """The deletion threshold typed (500 when left empty): a whole number in range."""
    text = str(value if value is not None else "").strip()
    if not text:
        return DEFAULT_DELETION_THRESHOLD
    low, high = DELETION_THRESHOLD_RANGE
    try:
        number = int(text)
    except ValueError:
        number = 0
    if not low <= number <= high:
        raise SimulationError(f"The deletion threshold must be a whole number between {low} "
                              f"and {high:,}.")
    return number


def admin_credentials(settings: Settings, profile: Profile | None,
                      authorization: Authorization | None
                      ) -> tuple[str, AdminCredentials | None]:
    """(the Secret Token, the other Admin Credentials) for the settings' method; the first
    is empty and the second None where the method does not use them. SimulationError, in
    the admin's words, when a credential is missing or the Tenant URL was not authorized."""
    method = settings.method(profile)
    if method == BEARER:
        return check_token(settings.token), None
    if method == BASIC:
        return "", AdminCredentials(username=check_secret(settings.username, "Username"),
                                    password=check_secret(settings.password, "Password"))
    if method == CLIENT_CREDENTIALS:
        return "", AdminCredentials(client_id=check_secret(settings.client_id, "Client ID"),
                                    client_secret=check_secret(settings.client_secret,
                                                               "Client Secret"),
                                    token_url=check_web_url(settings.token_url, "Token URL"))
    if method == AUTHORIZATION_CODE:
        if authorization is None or not authorization.serves(settings.tenant_url):
            raise SimulationError("Select Authorize and approve the application's consent "
                                  "page first: this Tenant URL is not authorized yet.")
        return "", AdminCredentials(client_id=authorization.client_id,
                                    client_secret=authorization.client_secret,
                                    token_url=authorization.token_url,
                                    refresh_token=authorization.refresh_token,
                                    access_token=authorization.access_token,
                                    access_token_expires_at=authorization.access_expires_at)
    raise SimulationError(f"Unknown Authentication Method {method!r}.")
