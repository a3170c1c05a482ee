"""Provision on demand: one user at once, in the steps Microsoft's page "On-demand
provisioning in Microsoft Entra ID" (provision-on-demand) names: Test connection (shown only
when it fails), Import user, Determine if user is in scope, Match user between source and
target system, Perform action; each with its status and details."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sandbox.entra import (
    Action,
    ProvisioningState,
    SourceDirectory,
    Status,
    default_mappings,
)
from sandbox.entra.on_demand import (
    IMPORT_USER,
    IN_SCOPE,
    MATCH_USER,
    PERFORM_ACTION,
    TEST_CONNECTION,
)
from sandbox.entra.scoping import ASSIGNED, Scope

STEPS = [IMPORT_USER, IN_SCOPE, MATCH_USER, PERFORM_ACTION]
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def titles_and_statuses(result) -> list[tuple[str, str]]:
    return [(step.title, step.status) for step in result.steps]


def operations(entries: list[dict[str, Any]]) -> list[str]:
    return [e["operation"] for e in entries]


def fake() -> SourceDirectory:
    return SourceDirectory.fake(users=3, seed=12, default_access_every=0)


def test_the_step_titles_are_entras():
    assert [TEST_CONNECTION, *STEPS] == [
        "Test connection", "Import user", "Determine if user is in scope",
        "Match user between source and target system", "Perform action"]


def test_a_new_user_is_created(tenant_of, engine_for, journal):
    """Every step succeeds and the action is a create: the match finds nothing, and the POST
    is the one a cycle sends. Test connection passes, so it is not shown."""
    tenant = tenant_of("generic")
    engine = engine_for(tenant)
    directory = fake()
    user = directory.users[0]
    result = engine.provision_on_demand(directory, user.userPrincipalName.upper())
    assert titles_and_statuses(result) == [(title, Status.SUCCESS) for title in STEPS]
    assert result.ok
    imported, scope, match, action = result.steps
    assert imported.details["userPrincipalName"] == user.userPrincipalName
    assert imported.details["department"] == user.department
    assert scope.details == {"Active in source system": True,
                             "Assigned to application": True, "Scope sync all": False,
                             "User has required role": True, "Scoping filters": []}
    assert match.summary.startswith("No account in the target matches")
    assert match.details["request"].startswith("GET /Users?filter=userName%20eq%20")
    assert action.details["action"] == Action.CREATE
    sent = journal(tenant)
    assert operations(sent) == ["test connection", "test connection", "match query",
                                "create user"]
    body = sent[-1]["request"]["body"]
    assert action.details["requests"][0]["body"] == body
    assert body["userName"] == user.userPrincipalName
    assert body["displayName"] == user.displayName and body["active"] is True
    target_id = result.state.users[user.objectId].target_id
    assert tenant.user(target_id)["userName"] == user.userPrincipalName
    assert [(e.action, e.status) for e in result.entries] == [(Action.CREATE,
                                                               Status.SUCCESS)]


def test_the_state_comes_back_updated_and_the_one_passed_in_is_left_alone(tenant_of,
                                                                         engine_for):
    tenant = tenant_of("generic")
    engine = engine_for(tenant)
    directory = fake()
    state = engine.run_cycle(directory).state
    newcomer = directory.add_user(SourceDirectory.fake(users=4, seed=12).users[3])
    before = state.to_dict()
    result = engine.provision_on_demand(directory, newcomer.displayName, state)
    assert state.to_dict() == before
    assert newcomer.objectId not in state.users
    assert newcomer.objectId in result.state.users
    assert set(result.state.users) == set(state.users) | {newcomer.objectId}
    # A cycle after it has nothing to create.
    after = engine.run_cycle(directory, result.state)
    assert after.count(Action.CREATE) == 0


def test_an_unchanged_provisioned_user_is_skipped(tenant_of, engine_for, journal,
                                                  clear_journal):
    """Already provisioned and in sync: the match shows the account, the action is a skip
    and nothing is written (its manager included: it is already the right one)."""
    tenant = tenant_of("generic")
    engine = engine_for(tenant)
    directory = fake()
    state = engine.run_cycle(directory).state
    user = directory.users[1]
    assert user.manager == directory.users[0].objectId
    clear_journal(tenant)
    result = engine.provision_on_demand(directory, user.objectId, state)
    assert titles_and_statuses(result) == [
        (IMPORT_USER, Status.SUCCESS), (IN_SCOPE, Status.SUCCESS),
        (MATCH_USER, Status.SUCCESS), (PERFORM_ACTION, Status.SKIPPED)]
    target_id = state.users[user.objectId].target_id
    match = result.steps[2]
    assert [account["id"] for account in match.details["matched"]] == [target_id]
    assert [(e.action, e.status) for e in result.entries] == [(Action.SKIP,
                                                               Status.SKIPPED)]
    assert operations(journal(tenant)) == ["test connection", "test connection",
                                           "match query"]


def test_a_changed_provisioned_user_is_updated(tenant_of, engine_for, journal,
                                               clear_journal):
    tenant = tenant_of("generic")
    engine = engine_for(tenant)
    directory = fake()
    state = engine.run_cycle(directory).state
    user = directory.update_user(directory.users[0].objectId, jobTitle="Chief Tester")
    clear_journal(tenant)
    result = engine.provision_on_demand(directory, user.mail, state)
    assert result.steps[-1].status == Status.SUCCESS
    assert result.steps[-1].details["action"] == Action.UPDATE
    (update,) = [e for e in journal(tenant) if e["operation"] == "update user"]
    assert update["request"]["body"] == {"schemas": [PATCH_OP], "Operations": [
        {"op": "Replace", "path": "title", "value": "Chief Tester"}]}


def test_an_out_of_scope_user_stops_at_the_scope_step(tenant_of, engine_for, journal):
    """The scope step shows why the user is skipped; nothing is sent but Test Connection."""
    tenant = tenant_of("generic")
    scope = Scope.parse(ASSIGNED, ["department EQUALS Nobody"])
    engine = engine_for(tenant, scope=scope)
    directory = fake()
    user = directory.users[0]
    result = engine.provision_on_demand(directory, user.userPrincipalName)
    assert titles_and_statuses(result) == [(IMPORT_USER, Status.SUCCESS),
                                           (IN_SCOPE, Status.SKIPPED)]
    scope_step = result.steps[1]
    assert "department EQUALS Nobody" in scope_step.summary
    assert scope_step.details["Scoping filters"] == [
        {"filter": "department EQUALS Nobody", "passes": False}]
    assert set(operations(journal(tenant))) == {"test connection"}
    assert result.state.users == {} and result.entries == []
    unassigned = tenant_of("generic")
    directory.unassign(user.objectId)
    result = engine_for(unassigned).provision_on_demand(directory, user.userPrincipalName)
    assert titles_and_statuses(result)[-1] == (IN_SCOPE, Status.SKIPPED)
    assert result.steps[-1].details["Assigned to application"] is False
    assert set(operations(journal(unassigned))) == {"test connection"}


def test_an_unassigned_provisioned_user_is_disabled(tenant_of, engine_for, journal,
                                                    clear_journal):
    """The page's known limitations allow it: on demand, a provisioned user that lost its
    assignment is disabled, with the SCIM tutorial's disable PATCH."""
    tenant = tenant_of("generic")
    engine = engine_for(tenant)
    directory = fake()
    state = engine.run_cycle(directory).state
    user = directory.unassign(directory.users[2].objectId)
    target_id = state.users[user.objectId].target_id
    clear_journal(tenant)
    result = engine.provision_on_demand(directory, user.userPrincipalName, state)
    assert titles_and_statuses(result) == [(title, Status.SUCCESS) for title in STEPS]
    assert result.steps[2].details == {"target_id": target_id}
    assert result.steps[3].details["action"] == Action.DISABLE
    sent = journal(tenant)
    assert operations(sent) == ["test connection", "test connection", "disable user"]
    assert sent[-1]["path"].endswith(f"/Users/{target_id}")
    assert sent[-1]["request"]["body"] == {"schemas": [PATCH_OP], "Operations": [
        {"op": "Replace", "path": "active", "value": "False"}]}
    assert result.state.users[user.objectId].out_of_scope
    assert tenant.user(target_id)["active"] is False


def test_a_disabled_user_fails_at_import(tenant_of, engine_for, journal):
    """Users disabled or deleted in Entra ID can't be provisioned on demand."""
    tenant = tenant_of("generic")
    engine = engine_for(tenant)
    directory = fake()
    user = directory.disable(directory.users[0].objectId)
    result = engine.provision_on_demand(directory, user.userPrincipalName)
    assert titles_and_statuses(result) == [(IMPORT_USER, Status.FAILURE)]
    assert "disabled or deleted" in result.steps[0].summary and not result.ok
    soft = directory.soft_delete(directory.users[1].objectId)
    result = engine.provision_on_demand(directory, soft.userPrincipalName)
    assert titles_and_statuses(result) == [(IMPORT_USER, Status.FAILURE)]
    assert set(operations(journal(tenant))) == {"test connection"}


def test_an_unknown_user_fails_at_import(tenant_of, engine_for, journal):
    tenant = tenant_of("generic")
    result = engine_for(tenant).provision_on_demand(fake(), "nobody@example.com")
    assert titles_and_statuses(result) == [(IMPORT_USER, Status.FAILURE)]
    assert result.steps[0].summary.startswith("'nobody@example.com' is not in the source")
    assert result.state == ProvisioningState()
    assert set(operations(journal(tenant))) == {"test connection"}


def test_a_user_without_a_matching_value_fails_at_import(tenant_of, engine_for):
    """Without a matching value at the source, the Import user step fails."""
    tenant = tenant_of("generic")
    rows = tuple(replace(row, matching_precedence=1 if row.source == "employeeId" else None)
                 for row in default_mappings())
    assert any(row.matching_precedence for row in rows)
    directory = fake()
    user = directory.update_user(directory.users[0].objectId, employeeId=None)
    result = engine_for(tenant, user_mappings=rows).provision_on_demand(directory,
                                                                        user.objectId)
    assert titles_and_statuses(result) == [(IMPORT_USER, Status.FAILURE)]
    assert "matching attribute employeeId" in result.steps[0].summary


def test_a_failing_test_connection_is_the_only_step(tenant_of, engine_for, journal):
    """Test connection shows only when it fails, and then nothing else runs."""
    tenant = tenant_of("generic")
    result = engine_for(tenant, token="wrong").provision_on_demand(fake(), "anyone")
    assert titles_and_statuses(result) == [(TEST_CONNECTION, Status.FAILURE)]
    assert result.steps[0].summary.startswith("You appear to have entered invalid credentials")
    assert result.steps[0].details["http_status"] == 401
    assert operations(journal(tenant)) == ["test connection"]
    assert not result.ok and result.entries == []


def test_two_matching_accounts_fail_the_match_step(tenant_of, engine_for, journal):
    """Several matches: the match step fails and shows the accounts; nothing is written."""
    tenant = tenant_of("generic")
    rows = tuple(replace(row, matching_precedence=1 if row.target == "displayName" else None)
                 for row in default_mappings())
    directory = fake()
    user = directory.users[0]
    for name in ("twin.one@example.com", "twin.two@example.com"):
        tenant.create_user(name, displayName=user.displayName)
    result = engine_for(tenant, user_mappings=rows).provision_on_demand(directory,
                                                                        user.displayName)
    assert titles_and_statuses(result) == [
        (IMPORT_USER, Status.SUCCESS), (IN_SCOPE, Status.SUCCESS),
        (MATCH_USER, Status.FAILURE)]
    match = result.steps[2]
    assert match.details["error_code"] == "DuplicateTargetEntries"
    assert "2 accounts match" in match.details["detail"]
    assert [e.action for e in result.entries] == [Action.OTHER]
    assert operations(journal(tenant))[-1] == "match query"
    assert "create user" not in operations(journal(tenant))[2:]
    assert result.state.users == {}
