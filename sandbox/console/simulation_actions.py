"""What an admin does to a simulation besides running cycles: change one user in the source
directory (disable, soft delete, hard delete, unassign, and their undoing), provision one
user on demand, allow the deletes a cycle staged, Entra's Restart provisioning, edit the
Attribute Mappings, and read /Schemas for a gallery app.

Plain Python over a `Simulation` (no Flask); each function works under the simulation's lock
and refuses while a cycle runs, as the cycle works on copies and would undo the change.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sandbox.console.simulation_config import provisioning_config
from sandbox.console.simulation_state import Discovery, MappingEdits, OnDemandRecord
from sandbox.console.simulator_input import SimulationError
from sandbox.entra import ProvisioningEngine, SourceUser, Transport
from sandbox.entra.directory_actions import DIRECTORY_ACTIONS
from sandbox.entra.mapping_edits import MappingEdit, MappingEditError, apply_edits, matching_warning
from sandbox.entra.mappings import default_mappings
from sandbox.entra.quarantine import TOO_MANY_DELETES
from sandbox.entra.schema_discovery import discover
from sandbox.vendors import Profile

if TYPE_CHECKING:
    from sandbox.console.simulations import Simulation

_OFF = "The next cycle sets the account inactive (active false; a DELETE where the " \
       "application keeps no disabled accounts)."
_ON = "The next cycle makes the account active again."


# What Entra's next cycle does about each change, for the flash after the button.
EFFECTS = {"disable": _OFF, "enable": _ON, "soft-delete": _OFF, "restore": _ON,
           "hard-delete": "The next cycle deletes the account (DELETE).", "unassign": _OFF,
           "assign": "The next cycle provisions the user again, if in scope."}


def actions_for(user: SourceUser) -> list[tuple[str, str]]:
    """(action, button label) of the changes that apply to this user now."""
    return [(name, action.label) for name, action in DIRECTORY_ACTIONS.items()
            if action.applies(user)]


def change_user(sim: Simulation, object_id: str, action_name: str) -> tuple[str, str]:
    """Make one change to one user of the source directory, kept among the pending changes;
    returns (what was done, what the next cycle does about it)."""
    action = DIRECTORY_ACTIONS.get(action_name)
    if action is None:
        raise SimulationError(f"Unknown directory action {action_name!r}.")
    with sim.lock:
        sim.refuse_while_running()
        try:
            user = sim.directory.user(object_id)
        except KeyError:
            raise SimulationError("That user is no longer in the source directory.") from None
        if not action.applies(user):
            raise SimulationError(f"{action.label} does not apply to "
                                  f"{user.userPrincipalName} as it is now.")
        done = action.apply(sim.directory, user)
        sim.pending_changes.append(done)
        return done, EFFECTS[action.name]


def restart(sim: Simulation) -> None:
    """Entra's Restart provisioning: escrows and quarantine are cleared and the next cycle
    evaluates every object again; the links to the accounts made or matched stay, as do
    the logs."""
    with sim.lock:
        sim.refuse_while_running()
        if sim.state is not None:
            sim.state = sim.state.restarted()


def allow_deletes(sim: Simulation) -> None:
    """**Allow deletes** on a job quarantined for too many deletes: the next cycle sends the
    disables and deletes it staged."""
    with sim.lock:
        sim.refuse_while_running()
        state = sim.state
        if state is None or state.quarantine is None \
                or state.quarantine.reason != TOO_MANY_DELETES:
            raise SimulationError("No deletes are waiting: the job is not in quarantine for "
                                  "too many deletes.")
        state.allow_deletes = True


def provision_on_demand(sim: Simulation, transport: Transport, profile: Profile | None,
                        who: str) -> OnDemandRecord:
    """Provision one user at once with the saved settings, as Entra's Provision on demand;
    the state it leaves is the simulation's from then on. The requests go out without the
    simulation's lock (an endpoint may be slow); a cycle run meanwhile keeps its own state."""
    wanted = who.strip()
    if not wanted:
        raise SimulationError("Type the user to provision: a user principal name, display "
                              "name, mail or object ID.")
    with sim.lock:
        sim.refuse_while_running()
        config = provisioning_config(sim.settings, profile, sim.authorization,
                                     sim.mapping_edits)
        directory = copy.deepcopy(sim.directory)
        base = sim.state
    result = ProvisioningEngine(config, transport).provision_on_demand(directory, wanted,
                                                                       base)
    record = OnDemandRecord(wanted[:200], _now(), result)
    with sim.lock:
        if sim.state is base and not sim.running:
            sim.state = result.state
        sim.on_demand = record
    return record


def edit_mappings(sim: Simulation, profile: Profile | None,
                  edit: MappingEdit) -> str | None:
    """Add one edit to the user Attribute Mappings of `profile` (the saved Tenant URL's
    vendor); as in Entra, a change of mappings restarts provisioning, so the next cycle
    evaluates every user with them. Returns Entra's warning when the matching attribute is
    one the target does not filter on; SimulationError when the edit cannot apply."""
    with sim.lock:
        sim.refuse_while_running()
        vendor = profile.id if profile is not None else None
        kept = sim.mapping_edits.for_profile(profile)
        try:
            rows = apply_edits(default_mappings(profile), (*kept, edit))
        except MappingEditError as error:
            raise SimulationError(str(error)) from None
        sim.mapping_edits = MappingEdits(vendor, (*kept, edit))
        sim.restart_after(f"changed the attribute mappings: {edit}")
        return matching_warning(rows, profile)


def restore_mappings(sim: Simulation) -> None:
    """Restore default mappings: the admin's edits are dropped."""
    with sim.lock:
        sim.refuse_while_running()
        if sim.mapping_edits.edits:
            sim.mapping_edits = MappingEdits()
            sim.restart_after("restored the default attribute mappings")


def discover_schemas(sim: Simulation, transport: Transport,
                     profile: Profile | None) -> Discovery | None:
    """After the settings of a gallery app are saved, `GET /Schemas` as Entra does; what it
    found is offered as targets in the mapping editor. None (nothing asked) for any other
    app, or when the saved settings cannot sign in yet."""
    if not from_gallery(profile):
        return None
    with sim.lock:
        try:
            config = provisioning_config(sim.settings, profile, sim.authorization,
                                         sim.mapping_edits)
        except SimulationError:
            return None
    found = Discovery(config.tenant_url, discover(ProvisioningEngine(config, transport)),
                      _now())
    with sim.lock:
        sim.discovered = found
    return found


def from_gallery(profile: Profile | None) -> bool:
    """Whether the vendor is an app of Entra's gallery: its profile was built from a gallery
    record, or names the record it stands for (`gallery_id`). Entra reads /Schemas for
    gallery apps only, never for a non-gallery SCIM app."""
    return profile is not None and bool(profile.raw.get("gallery_id"))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
