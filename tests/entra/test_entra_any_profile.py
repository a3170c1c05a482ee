"""The simulator provisions into any profile with no option: `simulate` against a tenant of
each bundled vendor and of the test profiles in `tests/entra/profiles/` (required custom
extension attributes of every type, value rules, no filter on userName, groups the vendor
will not let Entra create or delete, a rate limit), in process, ends its cycles with zero
failures. What the endpoint enforces is its own business (the vendors' rules); here the
simulator's mappings must satisfy whatever it enforces."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from click.testing import CliRunner
from entra_support import VENDORS, Sleeps
from flask import Flask
from flask.testing import FlaskClient
from scim_client import Tenant, admin_headers, make_app, new_tenant

from sandbox.console.simulation_state import Settings, mappings_for
from sandbox.console.simulations import Simulation
from sandbox.entra import (
    ProvisioningConfig,
    ProvisioningEngine,
    SourceDirectory,
    default_mappings,
    sample_changes,
    wsgi_transport,
)
from sandbox.entra.mappings import profile_settings
from sandbox.vendors import bundled_vendors_dir, load_profiles

# The module, not the command the `sandbox.cli` package exports under the same name.
simulate_command = importlib.import_module("sandbox.cli.simulate")
PROFILES = Path(__file__).parent / "profiles"
TEST_VENDORS = sorted(path.stem for path in PROFILES.glob("*.toml"))
# Throttled tenants are run through the engine with a sleep that moves the sandbox's clock.
THROTTLED = "throttled"


@pytest.fixture
def app() -> Flask:
    return make_app(vendors_dirs=[PROFILES])


@pytest.fixture
def in_process(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """`simulate` sends its requests into the test app instead of over the network."""
    monkeypatch.setattr(simulate_command, "urllib_transport",
                        lambda timeout: wsgi_transport(app))


def simulate(*args: str) -> Any:
    return CliRunner().invoke(simulate_command.simulate, list(args), catch_exceptions=False)


def events(output: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.splitlines()]


def users_of(client: FlaskClient, tenant: Tenant) -> list[dict[str, Any]]:
    answer = client.get(tenant.url + "/Users", headers={"Authorization": f"Bearer {tenant.token}"})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return answer.get_json()["Resources"]


def test_the_test_profiles_load_beside_the_bundled_ones():
    profiles = load_profiles(bundled_vendors_dir(), PROFILES)
    assert set(TEST_VENDORS) <= set(profiles) and len(TEST_VENDORS) >= 3


@pytest.mark.parametrize("vendor", [*VENDORS, *(v for v in TEST_VENDORS if v != THROTTLED)])
def test_simulate_with_no_option_has_zero_failures(vendor, client, in_process):
    """Two cycles (the second after a disable, a rename and a removal); the vendor comes from
    the Tenant URL, groups are in the directory where the vendor has them."""
    tenant = new_tenant(client, vendor)
    result = simulate("--tenant-url", tenant.url, "--token", tenant.token,
                      "--vendors", str(PROFILES), "--cycles", "2", "--json")
    assert result.exit_code == 0, result.output
    lines = events(result.output)
    assert lines[0]["event"] == "vendor" and lines[0]["id"] == vendor
    assert lines[0]["taken_from"] == "the Tenant URL"
    logs = [line for line in lines if line["event"] == "log"]
    failures = [line for line in logs if line["status"] == "Failure"]
    assert failures == []
    created = [line for line in logs if line["action"] == "Create"]
    assert sum(1 for line in created if line["object_type"] == "User") == 4
    # Cycle 2 unassigns, disables, renames and deletes one user each: where the app keeps no
    # disabled accounts (hard_delete_only), Entra deletes the unassigned and disabled ones.
    kept = users_of(client, tenant)
    profile = load_profiles(bundled_vendors_dir(), PROFILES)[vendor]
    # (An app whose DELETE only deactivates, delete_mode soft, keeps all four.)
    expected = 1 if profile.has_rule("hard_delete_only") else 3
    assert len(kept) == (4 if profile.delete_mode == "soft" else expected)
    if profile.has_rule("hard_delete_only"):
        assert [line["action"] for line in logs if line["cycle"] == 2
                and line["object_type"] == "User"].count("Delete") == 3
    has_groups = "Group" in profile.resource_types
    group_lines = [line for line in logs if line["object_type"] == "Group"]
    assert bool(group_lines) == has_groups


def test_a_throttled_vendor_still_has_zero_failures(app, client):
    """A rate_limit of 4 requests in 2 seconds: most requests get a 429 and are retried
    after their Retry-After, which the sandbox's clock is moved on by instead of waiting."""
    tenant = new_tenant(client, THROTTLED)
    profile = load_profiles(bundled_vendors_dir(), PROFILES)[THROTTLED]
    waits = Sleeps()

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        moved = client.post("/_sandbox/clock", json={"advance_seconds": seconds},
                            headers=admin_headers())
        assert moved.status_code == 200, moved.get_data(as_text=True)

    config = ProvisioningConfig.from_tenant_url(
        tenant.url, tenant.token, **profile_settings(profile), sleep=sleep)
    engine = ProvisioningEngine(config, wsgi_transport(app))
    assert engine.test_connection().ok
    directory = SourceDirectory.fake(users=5, groups=2, seed=3)
    first = engine.run_cycle(directory)
    sample_changes(directory)
    second = engine.run_cycle(directory, first.state)
    assert first.failures == [] and second.failures == []
    assert waits, "the rate limit never answered 429: the test proves nothing"


def test_locked_groups_are_matched_not_created(client, in_process):
    """no_group_create / no_group_delete: Entra's admin leaves Create and Delete out of the
    groups' Target Object Actions. A group made in the app beforehand is matched and gets
    its members; the other is skipped, never POSTed; users are matched on externalId,
    since the app cannot filter on userName."""
    tenant = new_tenant(client, "lockedgroups")
    directory = SourceDirectory.fake(users=5, groups=2, seed=0)  # what simulate draws
    made, missing = directory.groups[1], directory.groups[0]
    put_group(client, tenant, made.displayName)
    result = simulate("--tenant-url", tenant.url, "--token", tenant.token,
                      "--vendors", str(PROFILES), "--groups", "2", "--json")
    assert result.exit_code == 0, result.output
    logs = [line for line in events(result.output) if line["event"] == "log"]
    groups = {(line["display_name"], line["action"]) for line in logs
              if line["object_type"] == "Group"}
    assert (missing.displayName, "Skip") in groups
    assert (made.displayName, "Update") in groups  # its members were added
    skip = next(line for line in logs if line["display_name"] == missing.displayName)
    assert "Create is not among the groups' Target Object Actions" in skip["reason"]
    assert not any(line["method"] == "POST" and line["path"] == "/Groups" for line in logs)
    journal = client.get(f"/_sandbox/tenants/{tenant.id}/journal?method=GET",
                         headers=admin_headers()).get_json()["entries"]
    user_queries = [entry["query"] for entry in journal if entry["path"].endswith("/Users")]
    assert len(user_queries) == 5  # Test Connection, then one per user in scope
    assert all("externalId" in unquote(query) and "userName" not in unquote(query)
               for query in user_queries)


def put_group(client: FlaskClient, tenant: Tenant, name: str) -> None:
    """A group the vendor's admin made in the app (the snapshot API, since SCIM refuses)."""
    url = f"/_sandbox/tenants/{tenant.id}/snapshot"
    snapshot = client.get(url, headers=admin_headers()).get_json()
    snapshot["resources"]["Group"] = [{
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "id": "made-in-app",
        "displayName": name,
        "meta": {"resourceType": "Group", "created": "2024-01-01T00:00:00Z",
                 "lastModified": "2024-01-01T00:00:00Z", "version": 'W/"1"'}}]
    answer = client.put(url, json=snapshot, headers=admin_headers())
    assert answer.status_code == 200, answer.get_data(as_text=True)


def test_a_create_only_attribute_is_not_sent_again(client, in_process):
    """create_only_attribute displayName: Entra's row applies only during object creation,
    so a rename sends the new family name and not the display name."""
    tenant = new_tenant(client, "lockedgroups")
    result = simulate("--tenant-url", tenant.url, "--token", tenant.token,
                      "--vendors", str(PROFILES), "--cycles", "2", "--json")
    assert result.exit_code == 0, result.output
    renamed = [line for line in events(result.output) if line["event"] == "log"
               and line["cycle"] == 2 and (line["reason"] or "").startswith("Changed:")]
    assert len(renamed) == 1
    assert "name.familyName" in renamed[0]["reason"]
    assert "displayName" not in renamed[0]["reason"]


def test_the_vendor_option_wins_over_the_tenant_url(client, in_process):
    tenant = new_tenant(client, "olfeo")
    result = simulate("--tenant-url", tenant.url, "--token", tenant.token, "--vendor",
                      "generic", "--users", "2", "--json")
    assert events(result.output)[0] == {"event": "vendor", "id": "generic",
                                        "name": "Generic SCIM 2.0", "taken_from": "--vendor"}


def test_the_text_log_says_which_vendor_the_url_gave(client, in_process):
    tenant = new_tenant(client, "acmehr")
    result = simulate("--tenant-url", tenant.url, "--token", tenant.token,
                      "--vendors", str(PROFILES), "--users", "3")
    assert result.exit_code == 0, result.output
    assert "Vendor: acmehr (Acme HR), taken from the Tenant URL" in result.output
    assert "attribute mappings: Acme HR's attribute table" in result.output
    assert "Failure" not in result.output


def test_the_consoles_simulator_follows_a_loaded_profile(app, client):
    """The console's simulator takes its mappings from the same code (mappings_for)."""
    tenant = new_tenant(client, "acmehr")
    profile = load_profiles(bundled_vendors_dir(), PROFILES)["acmehr"]
    simulation = Simulation("test")
    simulation.save(Settings(tenant_url=tenant.url, token=tenant.token, provisioning_on=True))
    simulation.start_cycle(wsgi_transport(app), profile, background=False)
    record = simulation.last_cycle
    assert record is not None and record.error is None
    assert record.failures == 0 and record.counts["Create"]["Success"] >= 8  # users, groups
    assert mappings_for(profile).users == default_mappings(profile)
