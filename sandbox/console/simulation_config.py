"""The Provisioning blade as the engine reads it: the saved settings, the vendor's profile and
an Authorize's tokens made into one `ProvisioningConfig`, which Test Connection, a cycle and
provisioning on demand all use."""

from __future__ import annotations

from sandbox.console.simulation_state import Authorization, MappingEdits, Settings
from sandbox.console.simulator_input import SimulationError, check_tenant_url
from sandbox.console.simulator_settings import admin_credentials
from sandbox.entra import ProvisioningConfig
from sandbox.entra.mapping_edits import MappingEditError, apply_edits
from sandbox.entra.mappings import AttributeMapping, default_mappings, profile_settings
from sandbox.vendors import Profile


def provisioning_config(settings: Settings, profile: Profile | None,
                        authorization: Authorization | None,
                        edits: MappingEdits | None = None) -> ProvisioningConfig:
    """The config for these settings: Tenant URL and flags, Admin Credentials, the vendor's
    mappings (with the admin's edits) and delete behaviour, the Scope and scoping filters,
    and the accidental deletions threshold. SimulationError, in the admin's words, for a
    missing credential, an unusable Tenant URL or edits that no longer apply."""
    tenant_url = check_tenant_url(settings.tenant_url)
    token, credentials = admin_credentials(settings, profile, authorization)
    blade = profile_settings(profile)
    blade["user_mappings"] = user_rows(profile, edits)
    return ProvisioningConfig.from_tenant_url(
        tenant_url, token, flags=settings.flags, credentials=credentials,
        scope=settings.scope, quarantine_policy=settings.quarantine_policy, **blade)


def user_rows(profile: Profile | None,
              edits: MappingEdits | None) -> tuple[AttributeMapping, ...]:
    """The user Attribute Mappings for this vendor with the admin's edits applied."""
    rows = default_mappings(profile)
    try:
        return apply_edits(rows, edits.for_profile(profile) if edits else ())
    except MappingEditError as error:
        raise SimulationError(f"The attribute mapping edits no longer apply ({error}); "
                              "select Restore default mappings.") from None
