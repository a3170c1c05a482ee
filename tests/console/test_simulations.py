"""The simulator's memory and cycle runner (sandbox.console.simulations), without a browser:
cycles run against the app's own tenants in process (wsgi_transport, no socket), and what the
tenants received is read back through the service."""

from __future__ import annotations

import pytest
from console_support import ADMIN_TOKEN

from sandbox.app import create_app
from sandbox.console import simulation_actions
from sandbox.console.simulation_state import Settings, mappings_for
from sandbox.console.simulations import CYCLES_KEPT, Simulation, SimulationRegistry
from sandbox.console.simulator_input import SimulationError, check_tenant_url, same_origin
from sandbox.entra import wsgi_transport
from sandbox.entra.tenant_vendor import vendor_of_url
from sandbox.scim.listing import ListQuery

ROOT = "http://localhost"


@pytest.fixture(scope="module")
def app():
    return create_app({"admin_token": ADMIN_TOKEN})


@pytest.fixture
def sandbox(app):
    return app.extensions["scim_sandbox"]


@pytest.fixture
def tenant_of(sandbox):
    made = []

    def make(vendor):
        tenant = sandbox.create_tenant(vendor)
        made.append(tenant.id)
        return tenant

    yield make
    for tenant_id in made:
        sandbox.delete_tenant(tenant_id)


def configured(tenant, *, users=10, groups=0, on=True, flag=False, token=None):
    simulation = Simulation("test")
    simulation.save(Settings(tenant_url=ROOT + tenant.path,
                             token=tenant.token if token is None else token,
                             provisioning_on=on, compliant_flag=flag))
    simulation.new_directory(users, groups, seed=7, locale="en_US")
    simulation.pending_changes.clear()
    return simulation


def run(simulation, app, tenant):
    return simulation.start_cycle(wsgi_transport(app), tenant.profile, background=False)


def stored_users(tenant):
    listed = tenant.list_view(
        tenant.list(tenant.resource_type("Users"), ListQuery(count=500)), ROOT)
    return {u["userName"]: u for u in listed["Resources"]}


# Input checks and lookups --------------------------------------------------------------------


@pytest.mark.parametrize(("url", "message"), [
    ("", "Enter the Tenant URL"),
    ("   ", "Enter the Tenant URL"),
    ("scim.example.com/v2", "must start with https://"),
    ("javascript:alert(1)", "must start with https://"),
    ("https:///scim", "no host name"),
    ("http://host:99999/scim", "invalid port"),
])
def test_unusable_tenant_urls_are_refused_with_a_reason(url, message):
    with pytest.raises(SimulationError, match=message):
        check_tenant_url(url)


def test_same_origin_compares_scheme_host_and_port():
    origins = ["http://127.0.0.1:8000/"]
    assert same_origin("http://127.0.0.1:8000/velpic/x/scim/v2", origins)
    assert same_origin("http://localhost:8000/velpic/x/scim/v2", origins)  # loopback alias
    assert not same_origin("http://127.0.0.1:8001/scim", origins)
    assert not same_origin("https://127.0.0.1:8000/scim", origins)
    assert not same_origin("http://example.com:8000/scim", origins)
    assert same_origin("https://sandbox.example.com/api/scim/x",
                       ["http://127.0.0.1:8000/", "https://sandbox.example.com"])


def test_the_vendor_is_read_from_the_tenant_url_path(sandbox):
    profiles = sandbox.profiles
    velpic = vendor_of_url("http://h/velpic/acme/scim/v2?aadOptscim062020", profiles)
    assert velpic is not None and velpic.id == "velpic"
    visitly = vendor_of_url("http://h/v1/usersync/SCIM/", profiles)
    assert visitly is not None and visitly.id == "visitly"
    vault = vendor_of_url("http://h/api/scim/my-org", profiles)
    assert vault is not None and vault.id == "vaultplatform"
    assert vendor_of_url("http://h/somewhere/else/scim/v2", profiles) is None


def test_mappings_come_from_the_vendor_table_or_entra_defaults(sandbox):
    veritas = mappings_for(sandbox.profiles["veritas"])
    assert "Veritas" in veritas.source
    assert any(m.target.endswith(":emailAliases") for m in veritas.users)
    assert veritas.groups == ()
    assert veritas.matching is not None and veritas.matching.target == "userName"
    defaults = mappings_for(None)
    assert "defaults" in defaults.source
    assert not any(m.target.endswith(":emailAliases") for m in defaults.users)
    assert [m.target for m in defaults.groups] == ["displayName", "externalId", "members"]


def test_settings_refuse_a_bad_email_and_read_the_flag_from_the_url():
    simulation = Simulation("s")
    with pytest.raises(SimulationError, match="Notification Email"):
        simulation.save(Settings(tenant_url="https://h/scim", notification_email="nope"))
    simulation.save(Settings(tenant_url="https://h/scim?aadOptscim062020"))
    assert simulation.settings.flag_in_effect and not simulation.settings.compliant_flag


def test_directory_sizes_are_bounded():
    simulation = Simulation("s")
    with pytest.raises(SimulationError, match="Users must be between 1 and 200"):
        simulation.new_directory(201, 0, 1, "en_US")
    with pytest.raises(SimulationError, match="Groups must be between 0 and 10"):
        simulation.new_directory(5, 11, 1, "en_US")
    with pytest.raises(SimulationError, match="locale"):
        simulation.new_directory(5, 1, 1, "xx_XX")
    simulation.new_directory(25, 3, 9, "fr_FR")
    assert (len(simulation.directory.users), len(simulation.directory.groups)) == (25, 3)


# The registry --------------------------------------------------------------------------------


def test_the_registry_keeps_a_bounded_number_of_simulations():
    registry = SimulationRegistry(limit=3)
    first = registry.create()
    others = [registry.create() for _ in range(2)]
    assert registry.get(first.id) is first  # used last now, so kept
    newest = registry.create()
    assert len(registry) == 3
    assert registry.get(others[0].id) is None  # the least recently used went
    assert registry.get(first.id) is first and registry.get(newest.id) is newest
    assert registry.get_or_create(None).id not in (first.id, newest.id)
    assert registry.get_or_create(first.id) is first
    assert registry.get("") is None


# Cycles --------------------------------------------------------------------------------------


def test_start_is_refused_while_provisioning_is_off(app, tenant_of):
    tenant = tenant_of("velpic")
    simulation = configured(tenant, on=False)
    with pytest.raises(SimulationError, match="Provisioning Status is Off"):
        run(simulation, app, tenant)
    assert simulation.cycles == [] and tenant.journal.entries() == []


def test_start_needs_credentials(app):
    simulation = Simulation("s")
    simulation.save(Settings(provisioning_on=True))
    with pytest.raises(SimulationError, match="Enter the Tenant URL"):
        simulation.start_cycle(wsgi_transport(app), None, background=False)
    simulation.save(Settings(tenant_url="http://localhost/velpic/x/scim/v2",
                             provisioning_on=True))
    with pytest.raises(SimulationError, match="Secret Token"):
        simulation.start_cycle(wsgi_transport(app), None, background=False)


def test_a_first_cycle_creates_the_users_in_scope_and_skips_default_access(app, tenant_of):
    tenant = tenant_of("velpic")
    simulation = configured(tenant, users=10)
    assert run(simulation, app, tenant) == 1

    cycle = simulation.last_cycle
    assert cycle is not None and cycle.error is None and not cycle.incremental
    in_scope = [u for u in simulation.directory.users if u.in_scope]
    assert cycle.counts == {"Create": {"Success": 8}, "Skip": {"Skipped": 2}}
    assert set(stored_users(tenant)) == {u.userPrincipalName for u in in_scope}
    skipped = [e for e in cycle.entries if e.action == "Skip"]
    assert all("Default Access" in (e.reason or "") for e in skipped)
    assert cycle.requests == 1 + 2 * 8  # Test Connection, then a match query and a create each
    for user in in_scope:
        assert simulation.anchor_of(user.objectId) in {u["id"] for u in
                                                       stored_users(tenant).values()}
    assert simulation.progress.to_dict()["running"] is False


def test_a_second_cycle_after_changes_sends_only_the_changes(app, tenant_of):
    tenant = tenant_of("velpic")
    simulation = configured(tenant, users=10)
    run(simulation, app, tenant)
    done = simulation.simulate_changes()
    assert len(done) == 4 and simulation.pending_changes == done
    tenant.journal.clear()

    assert run(simulation, app, tenant) == 2
    cycle = simulation.last_cycle
    assert cycle.incremental and cycle.changes == done and simulation.pending_changes == []
    # Unassigned, disabled, renamed, deleted for good.
    assert [(e.action, e.status) for e in cycle.entries] == [
        ("Disable", "Success"), ("Disable", "Success"), ("Update", "Success"),
        ("Delete", "Success")]
    assert [e.operation for e in tenant.journal.entries()] == [
        "test connection", "disable user", "disable user", "update user", "delete user"]
    assert cycle.requests == 5
    # Nothing changed since: a third cycle sends nothing but Test Connection.
    run(simulation, app, tenant)
    assert simulation.last_cycle.entries == [] and simulation.last_cycle.requests == 1


def test_olfeo_gets_groups_and_their_members(app, tenant_of):
    tenant = tenant_of("olfeo")
    simulation = configured(tenant, users=10, groups=2)
    run(simulation, app, tenant)
    cycle = simulation.last_cycle
    assert cycle.error is None and cycle.failures == 0
    assert cycle.counts["Create"]["Success"] == 8 + 2
    listed = tenant.list_view(
        tenant.list(tenant.resource_type("Groups"), ListQuery()), ROOT)["Resources"]
    stored = {g["displayName"]: {m["value"] for m in g.get("members", [])} for g in listed}
    for group in simulation.directory.groups:
        expected = {simulation.anchor_of(m) for m in group.members} - {None}
        assert stored[group.displayName] == expected and expected


def test_the_flag_changes_the_disable_request(app, tenant_of):
    tenant = tenant_of("generic")
    simulation = configured(tenant, users=3, flag=True)
    run(simulation, app, tenant)
    simulation.directory.disable(simulation.directory.users[0].objectId)
    run(simulation, app, tenant)
    body = next(e for e in tenant.journal.entries() if e.operation == "disable user").to_dict()
    assert body["request"]["body"]["Operations"] == [
        {"op": "replace", "path": "active", "value": False}]


def test_a_failed_test_connection_stops_the_cycle_and_keeps_the_state(app, tenant_of):
    tenant = tenant_of("velpic")
    simulation = configured(tenant, users=5)
    run(simulation, app, tenant)
    state = simulation.state
    simulation.save(Settings(tenant_url=ROOT + tenant.path, token="wrong-token-123",
                             provisioning_on=True))
    run(simulation, app, tenant)
    cycle = simulation.last_cycle
    assert cycle.error is not None and cycle.error.startswith("Test Connection failed")
    assert cycle.connection is not None and cycle.connection.http_status == 401
    assert cycle.entries == []
    # Refused credentials put the job in quarantine; the links are kept.
    assert simulation.state.users == state.users
    assert simulation.state.quarantine is not None
    assert simulation.state.quarantine.reason == "EncounteredQuarantineException"


def test_failures_carry_the_entra_code_and_the_scim_error(app, tenant_of):
    tenant = tenant_of("velpic")
    simulation = configured(tenant, users=3)
    tenant.faults.add({"operation": "create user", "status": 400, "scim_type": "invalidValue",
                       "detail": "userName is taken in the HR system", "times": 1})
    run(simulation, app, tenant)
    failed = [e for e in simulation.last_cycle.entries if e.status == "Failure"]
    assert len(failed) == 1
    entry = failed[0]
    assert entry.action == "Create"
    assert entry.error_code == "SystemForCrossDomainIdentityManagementBadRequest"
    assert (entry.http_status, entry.scim_status, entry.scim_type, entry.detail) == (
        400, "400", "invalidValue", "userName is taken in the HR system")


def test_a_background_cycle_reports_progress_and_refuses_changes_meanwhile(app, tenant_of):
    tenant = tenant_of("velpic")
    simulation = configured(tenant, users=20)
    tenant.faults.add({"operation": "create user", "delay_ms": 20})  # slow enough to watch
    number = simulation.start_cycle(wsgi_transport(app), tenant.profile)
    assert number == 1 and simulation.running
    with pytest.raises(SimulationError, match="running"):
        simulation.simulate_changes()
    with pytest.raises(SimulationError, match="running"):
        simulation.start_cycle(wsgi_transport(app), tenant.profile)
    simulation.wait(30)
    progress = simulation.progress.to_dict()
    assert progress["running"] is False and progress["done"] == progress["total"] == 20
    assert progress["requests"] == simulation.last_cycle.requests == 1 + 2 * 16


def test_restart_keeps_the_links_and_the_logs_and_sends_nothing_new(app, tenant_of):
    """Entra's Restart provisioning ("Application provisioning in quarantine status"): it
    clears escrows and quarantine; the accounts provisioned stay linked to their users."""
    tenant = tenant_of("velpic")
    simulation = configured(tenant, users=5)
    run(simulation, app, tenant)
    anchors = {oid: p.target_id for oid, p in simulation.state.users.items()}
    simulation_actions.restart(simulation)
    assert {oid: p.target_id for oid, p in simulation.state.users.items()} == anchors
    assert len(simulation.cycles) == 1
    tenant.journal.clear()
    run(simulation, app, tenant)
    cycle = simulation.last_cycle
    assert cycle.number == 2 and cycle.error is None
    assert {e.action for e in cycle.entries} <= {"Skip"}  # the Default Access user again
    assert [e.operation for e in tenant.journal.entries()] == ["test connection"]
    assert len(stored_users(tenant)) == 4


def test_only_the_last_cycles_are_kept(app, tenant_of):
    tenant = tenant_of("velpic")
    simulation = configured(tenant, users=1)
    for _ in range(CYCLES_KEPT + 2):
        run(simulation, app, tenant)
    assert len(simulation.cycles) == CYCLES_KEPT
    assert simulation.cycles[-1].number == CYCLES_KEPT + 2


def test_in_process_requests_keep_the_tenant_urls_host(app, tenant_of):
    """The tenant builds `meta.location` from the host it was asked on: the one in the
    Tenant URL, also when the request goes straight into the app."""
    tenant = tenant_of("generic")
    simulation = Simulation("s")
    simulation.save(Settings(tenant_url="http://127.0.0.1:8123" + tenant.path,
                             token=tenant.token, provisioning_on=True))
    simulation.new_directory(1, 0, seed=1, locale="en_US")
    run(simulation, app, tenant)
    created = next(e for e in tenant.journal.entries() if e.operation == "create user")
    location = created.to_dict()["response"]["body"]["meta"]["location"]
    assert location.startswith("http://127.0.0.1:8123" + tenant.path + "/Users/")


@pytest.mark.parametrize("url", ["http://[::1", "http://[zz]/scim", "https://[/v2"])
def test_a_malformed_tenant_url_is_a_clear_message(url):
    with pytest.raises(SimulationError, match="not a valid URL"):
        check_tenant_url(url)


def test_a_malformed_tenant_url_in_the_page_is_a_message_not_a_500(signed_in):
    _, client, csrf = signed_in
    answer = client.post("/console/simulator/test-connection",
                         json={"tenant_url": "http://[::1", "token": "abcdefgh"},
                         headers={"X-CSRF-Token": csrf, "Accept": "application/json"})
    assert 400 <= answer.status_code < 500
    assert "not a valid URL" in answer.get_data(as_text=True)
