"""Escrow, quarantine and the accidental deletions threshold, against sandbox tenants.

Microsoft's pages: "How application provisioning works" (errors and retries: a failed
operation is retried in later cycles), "Application provisioning in quarantine status"
(application-provisioning-quarantine-status: the causes, the Graph reasons, the back-off of
6 h, 12 h, 24 h then daily, restart) and "Enable accidental deletions prevention"
(accidental-deletions: disables count as well as deletes, the staged removals, Allow
deletes)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from sandbox.entra import Action, SourceDirectory, Status
from sandbox.entra.log import SERVICE_UNAVAILABLE, THROTTLED, UNAUTHORIZED
from sandbox.entra.quarantine import (
    DEFAULT_DELETION_THRESHOLD,
    ESCROW_PROPORTION,
    QUARANTINE_BANNER,
    QUARANTINE_EXCEPTION,
    TOO_MANY_DELETES,
    TOTAL_ESCROW,
    Quarantine,
    QuarantinePolicy,
    backoff,
)

MONDAY = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)


class Clock:
    """A clock the test moves by hand (the config's `clock`)."""

    def __init__(self, now: datetime = MONDAY) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def operations(entries: list[dict[str, Any]]) -> list[str]:
    return [e["operation"] for e in entries]


def fake(users: int) -> SourceDirectory:
    return SourceDirectory.fake(users=users, seed=11, default_access_every=0)


# Escrow -------------------------------------------------------------------------------------

def test_a_failed_create_is_escrowed_and_retried_until_it_succeeds(tenant_of, engine_for,
                                                                   add_fault, journal):
    """Errors and retries: the failed create is held and tried again by each later cycle
    (the log's retry count says how often it failed before); success clears it."""
    tenant = tenant_of("generic")
    add_fault(tenant, operation="create user", status=500, times=2)
    engine = engine_for(tenant)
    directory = fake(1)
    user = directory.users[0]
    first = engine.run_cycle(directory)
    (failed,) = first.failures
    assert (failed.action, failed.error_code, failed.retry) == (Action.CREATE,
                                                                SERVICE_UNAVAILABLE, 0)
    held = first.state.escrow[user.objectId]
    assert (held.action, held.attempts, held.error_code) == (Action.CREATE, 1,
                                                             SERVICE_UNAVAILABLE)
    assert held.first_failed == failed.time and first.quarantine is None
    second = engine.run_cycle(directory, first.state)
    assert [(e.action, e.status, e.retry) for e in second.entries] == [
        (Action.CREATE, Status.FAILURE, 1)]
    assert second.state.escrow[user.objectId].attempts == 2
    third = engine.run_cycle(directory, second.state)
    assert [(e.action, e.status, e.retry) for e in third.entries] == [
        (Action.CREATE, Status.SUCCESS, 2)]
    assert third.state.escrow == {} and user.objectId in third.state.users
    creates = [e for e in journal(tenant) if e["operation"] == "create user"]
    assert [e["status"] for e in creates] == [500, 500, 201]
    assert len({json_text(e["request"]["body"]) for e in creates}) == 1  # the same request


def json_text(body: Any) -> str:
    return json.dumps(body, sort_keys=True)


def test_a_failed_disable_is_retried_by_the_next_cycle(tenant_of, engine_for, add_fault,
                                                       journal, clear_journal):
    """The disable of a user that left scope stays in escrow until it goes through."""
    tenant = tenant_of("generic")
    engine = engine_for(tenant)
    directory = fake(2)
    state = engine.run_cycle(directory).state
    leaver = directory.unassign(directory.users[1].objectId)
    add_fault(tenant, operation="disable user", status=503, times=1)
    clear_journal(tenant)
    second = engine.run_cycle(directory, state)
    assert [(e.action, e.status) for e in second.entries] == [(Action.DISABLE,
                                                               Status.FAILURE)]
    assert second.state.escrow[leaver.objectId].action == Action.DISABLE
    third = engine.run_cycle(directory, second.state)
    assert [(e.action, e.status, e.retry) for e in third.entries] == [
        (Action.DISABLE, Status.SUCCESS, 1)]
    assert operations(journal(tenant)) == ["disable user", "disable user"]
    assert [e["status"] for e in journal(tenant)] == [503, 200]
    assert third.state.escrow == {}


def test_a_429_that_persists_after_its_retry_is_escrowed(tenant_of, engine_for, add_fault,
                                                         sleeps):
    """A 429 is retried once after its Retry-After (tests of the wait: test_entra_retry_wait);
    still refused, the action is held in escrow like any failure and done next cycle."""
    tenant = tenant_of("generic")
    add_fault(tenant, operation="create user", status=429, retry_after=2, times=2)
    engine = engine_for(tenant)
    directory = fake(1)
    first = engine.run_cycle(directory)
    assert sleeps == [2.0]
    (failed,) = first.failures
    assert (failed.http_status, failed.error_code) == (429, THROTTLED)
    assert directory.users[0].objectId in first.state.escrow
    second = engine.run_cycle(directory, first.state)
    assert second.ok and second.count(Action.CREATE, Status.SUCCESS) == 1
    assert second.state.escrow == {}


# Quarantine -----------------------------------------------------------------------------

def test_every_request_refused_quarantines_then_backs_off_then_recovers(tenant_of, engine_for,
                                                                        journal):
    """Invalid credentials: every request gets 401, the job goes into quarantine
    (EncounteredQuarantineException) with the portal's banner; the next attempt is 6 h
    later, then 12 h after the quarantine began; a good token and a cycle bring it out."""
    tenant = tenant_of("generic")
    clock = Clock()
    engine = engine_for(tenant, token="not-the-token", clock=clock)
    directory = fake(3)
    first = engine.run_cycle(directory)
    assert first.count(status=Status.FAILURE) == 3
    assert {e.error_code for e in first.failures} == {UNAUTHORIZED}
    assert {e["status"] for e in journal(tenant)} == {401}
    quarantine = first.quarantine
    assert quarantine is not None
    assert quarantine.reason == QUARANTINE_EXCEPTION
    assert quarantine.status_text == QUARANTINE_BANNER == (
        "Provisioning has been quarantined. See quarantine details for more information")
    assert "3 of 3 requests" in quarantine.detail and "401" in quarantine.detail
    assert "Admin Credentials" in quarantine.detail
    assert (quarantine.began, quarantine.next_attempt, quarantine.series_count) == (
        iso(MONDAY), iso(MONDAY + timedelta(hours=6)), 1)
    assert quarantine.to_dict()["status_text"] == QUARANTINE_BANNER

    clock.now = MONDAY + timedelta(hours=6)
    second = engine.run_cycle(directory, first.state)
    again = second.quarantine
    assert again is not None and again.reason == QUARANTINE_EXCEPTION
    assert (again.began, again.next_attempt, again.series_count) == (
        iso(MONDAY), iso(MONDAY + timedelta(hours=12)), 2)
    assert [e.retry for e in second.failures] == [1, 1, 1]

    clock.now = MONDAY + timedelta(hours=12)
    third = engine.run_cycle(directory, second.state)
    assert third.quarantine is not None
    assert third.quarantine.next_attempt == iso(MONDAY + timedelta(hours=24))

    engine.config.token = tenant.token
    clock.now = MONDAY + timedelta(hours=24)
    fixed = engine.run_cycle(directory, third.state)
    assert fixed.ok and fixed.quarantine is None and fixed.state.escrow == {}
    assert fixed.count(Action.CREATE, Status.SUCCESS) == 3


def test_the_back_off_becomes_daily_and_the_job_stops_after_four_weeks():
    """Retry duration: 6 h, 12 h, 24 h after the first failure, then every 24 h; after four
    weeks in quarantine the job is disabled."""
    assert [backoff(n) for n in range(1, 6)] == [timedelta(hours=h)
                                                 for h in (6, 12, 24, 48, 72)]
    quarantine = Quarantine(QUARANTINE_EXCEPTION, "", iso(MONDAY), iso(MONDAY))
    assert not quarantine.disabled(MONDAY + timedelta(days=28))
    assert quarantine.disabled(MONDAY + timedelta(days=28, seconds=1))


def test_restart_clears_escrow_and_quarantine_and_keeps_the_anchors(tenant_of, engine_for,
                                                                    journal, clear_journal):
    """Restart provisioning clears the escrows and the quarantine; the links to the accounts
    already made are kept, so the next cycle creates nothing twice."""
    tenant = tenant_of("generic")
    engine = engine_for(tenant)
    directory = fake(2)
    state = engine.run_cycle(directory).state
    anchors = {oid: record.target_id for oid, record in state.users.items()}
    directory.add_user(fake(3).users[2])
    engine.config.token = "wrong"
    broken = engine.run_cycle(directory, state).state
    assert broken.quarantine is not None and len(broken.escrow) == 1
    restarted = broken.restarted()
    assert restarted.quarantine is None and restarted.escrow == {}
    assert restarted.allow_deletes is False and restarted.reported == set()
    assert {oid: r.target_id for oid, r in restarted.users.items()} == anchors
    assert broken.quarantine is not None  # the state restarted from is left alone
    engine.config.token = tenant.token
    clear_journal(tenant)
    result = engine.run_cycle(directory, restarted)
    assert result.ok and result.quarantine is None
    sent = operations(journal(tenant))
    assert sent[:2] == ["match query", "create user"] and sent.count("create user") == 1
    assert len(result.state.users) == 3


def test_404s_to_the_queries_are_a_compliance_quarantine(tenant_of, engine_for, add_fault):
    """Common causes: an HTTP 404 where a 200 was expected (a wrong Tenant URL)."""
    tenant = tenant_of("generic")
    add_fault(tenant, operation="match query", status=404)
    result = engine_for(tenant).run_cycle(fake(2))
    assert result.quarantine is not None
    assert result.quarantine.reason == QUARANTINE_EXCEPTION
    assert "404" in result.quarantine.detail


def test_escrow_proportion_with_small_figures(tenant_of, engine_for, add_fault):
    """More than 40 % of the events failed, once the escrows reach the base figure:
    EncounteredEscrowProportionThreshold (the figures made small)."""
    policy = QuarantinePolicy(escrow_base=2, escrow_proportion=0.4)
    tenant = tenant_of("generic")
    add_fault(tenant, operation="create user", status=500, times=3)
    result = engine_for(tenant, quarantine_policy=policy).run_cycle(fake(4))
    assert result.count(Action.CREATE, Status.FAILURE) == 3
    assert result.quarantine is not None
    assert result.quarantine.reason == ESCROW_PROPORTION
    assert result.quarantine.detail.startswith("3 of 4 actions")
    # Under the base figure nothing is weighed.
    calm = tenant_of("generic")
    add_fault(calm, operation="create user", status=500, times=3)
    lenient = QuarantinePolicy(escrow_base=4, escrow_proportion=0.4)
    assert engine_for(calm, quarantine_policy=lenient).run_cycle(fake(4)).quarantine is None
    # Under the proportion neither.
    few = tenant_of("generic")
    add_fault(few, operation="create user", status=500, times=1)
    low = QuarantinePolicy(escrow_base=1, escrow_proportion=0.4)
    assert engine_for(few, quarantine_policy=low).run_cycle(fake(4)).quarantine is None


def test_manager_failures_count_only_toward_the_cap(tenant_of, engine_for, add_fault):
    """Reference failures (a manager update) are not counted toward the proportion or the
    total, only toward the absolute cap."""
    tenant = tenant_of("generic")
    add_fault(tenant, operation="update user", status=500)
    policy = QuarantinePolicy(escrow_base=1, escrow_proportion=0.1, escrow_total=0)
    result = engine_for(tenant, quarantine_policy=policy).run_cycle(fake(2))
    (failed,) = result.failures
    assert failed.reason is None and failed.path.startswith("/Users/")
    assert result.state.escrow[failed.source_id].reference is True
    assert result.quarantine is None
    capped = tenant_of("generic")
    add_fault(capped, operation="update user", status=500)
    at_cap = QuarantinePolicy(escrow_cap=1)
    result = engine_for(capped, quarantine_policy=at_cap).run_cycle(fake(2))
    assert result.quarantine is not None and result.quarantine.reason == TOTAL_ESCROW


# Accidental deletions -------------------------------------------------------------------

def three_removals(tenant, engine):
    """Provision four users, then unassign one, disable one and hard-delete one (and rename
    the fourth, a change that is no removal)."""
    directory = fake(4)
    first = engine.run_cycle(directory)
    assert first.ok
    users = directory.users
    directory.unassign(users[0].objectId)
    directory.disable(users[1].objectId)
    directory.rename(users[3].objectId, "Grace", "Hopper")
    directory.hard_delete(users[2].objectId)
    return directory, first.state


def test_too_many_removals_are_staged_and_quarantine_the_job(tenant_of, engine_for, journal,
                                                             clear_journal):
    """Accidental deletions prevention: disables count as well as deletes; past the
    threshold nothing is removed, the removals show as StagedDelete and the job goes into
    quarantine (TooManyDeletes); Allow deletes sends them on the next cycle, which lifts the
    quarantine."""
    tenant = tenant_of("generic")
    policy = QuarantinePolicy(deletion_threshold=2)
    engine = engine_for(tenant, quarantine_policy=policy)
    directory, state = three_removals(tenant, engine)
    clear_journal(tenant)
    held = engine.run_cycle(directory, state)
    assert held.staged == 3
    staged = [e for e in held.entries if e.action == Action.STAGED_DELETE]
    assert len(staged) == 3 and all(e.status == Status.SKIPPED and e.method is None
                                    for e in staged)
    assert operations(journal(tenant)) == ["update user"]  # the rename only
    assert held.quarantine is not None and held.quarantine.reason == TOO_MANY_DELETES
    assert "3 objects" in held.quarantine.detail and "threshold of 2" in held.quarantine.detail
    assert held.quarantine.status_text == QUARANTINE_BANNER
    # Not allowed: the next cycle stages them again.
    clear_journal(tenant)
    again = engine.run_cycle(directory, held.state)
    assert again.staged == 3 and journal(tenant) == []
    assert again.quarantine is not None and again.quarantine.series_count == 2
    # Allow deletes: one cycle sends them all.
    again.state.allow_deletes = True
    clear_journal(tenant)
    allowed = engine.run_cycle(directory, again.state)
    assert allowed.staged == 0 and allowed.quarantine is None
    assert sorted(operations(journal(tenant))) == ["delete user", "disable user",
                                                   "disable user"]
    assert allowed.state.allow_deletes is False


def test_at_the_threshold_nothing_is_staged(tenant_of, engine_for, journal, clear_journal):
    """The circuit breaker trips only when a cycle passes the threshold."""
    tenant = tenant_of("generic")
    engine = engine_for(tenant, quarantine_policy=QuarantinePolicy(deletion_threshold=3))
    directory, state = three_removals(tenant, engine)
    clear_journal(tenant)
    result = engine.run_cycle(directory, state)
    assert result.staged == 0 and result.quarantine is None
    assert sorted(operations(journal(tenant))) == ["delete user", "disable user",
                                                   "disable user", "update user"]


def test_without_a_threshold_nothing_is_staged(tenant_of, engine_for, journal,
                                               clear_journal):
    """Prevent accidental deletions unchecked (threshold None)."""
    tenant = tenant_of("generic")
    engine = engine_for(tenant, quarantine_policy=QuarantinePolicy(deletion_threshold=None))
    directory, state = three_removals(tenant, engine)
    clear_journal(tenant)
    result = engine.run_cycle(directory, state)
    assert result.staged == 0 and result.quarantine is None
    assert result.count(Action.DISABLE, Status.SUCCESS) == 2
    assert result.count(Action.DELETE, Status.SUCCESS) == 1


def test_the_default_threshold_is_500():
    """The cross-tenant synchronization guide gives 500 as the default threshold."""
    assert DEFAULT_DELETION_THRESHOLD == 500
    assert QuarantinePolicy().deletion_threshold == 500


@pytest.mark.parametrize("soft_delete", [True, False])
def test_hard_deletes_of_disabled_accounts_count_too(soft_delete, tenant_of, engine_for,
                                                     journal, clear_journal):
    """Any user set for removal counts, a hard delete included: purging users whose accounts
    a soft delete had disabled deletes those accounts, so it is weighed like any removal."""
    tenant = tenant_of("generic")
    engine = engine_for(tenant, quarantine_policy=QuarantinePolicy(deletion_threshold=2),
                        soft_delete=soft_delete)
    directory = fake(3)
    state = engine.run_cycle(directory).state
    for user in directory.users[:2]:
        directory.soft_delete(user.objectId)
    state = engine.run_cycle(directory, state).state
    assert state.quarantine is None
    for user in list(directory.users):
        directory.hard_delete(user.objectId)
    clear_journal(tenant)
    result = engine.run_cycle(directory, state)
    removed = 1 if not soft_delete else 3  # without soft delete two went already
    assert result.staged == (removed if removed > 2 else 0)
    if result.staged:
        assert journal(tenant) == []
        assert result.quarantine is not None
        assert result.quarantine.reason == TOO_MANY_DELETES
    else:
        assert operations(journal(tenant)) == ["delete user"] * removed


@pytest.mark.parametrize("leave", ["unassign", "disable"])
def test_an_escrowed_create_is_dropped_when_the_user_leaves_scope(leave, tenant_of,
                                                                  engine_for, add_fault,
                                                                  journal):
    """A failed create is retried while the user should be provisioned; a user that left
    scope (or was disabled) is no longer to be created, so nothing is held for it."""
    tenant = tenant_of("generic")
    add_fault(tenant, operation="create user", status=500, times=1)
    engine = engine_for(tenant)
    directory = fake(1)
    user = directory.users[0]
    first = engine.run_cycle(directory)
    assert user.objectId in first.state.escrow
    getattr(directory, leave)(user.objectId)
    second = engine.run_cycle(directory, first.state)
    assert second.state.escrow == {} and second.requests == 0
    assert [(e.action, e.status) for e in second.entries] == [(Action.SKIP, Status.SKIPPED)]
    assert [e["status"] for e in journal(tenant) if e["operation"] == "create user"] == [500]


def test_a_refused_test_connection_quarantines_and_keeps_the_rest(tenant_of, engine_for):
    """Invalid credentials keep the job from running at all: Entra quarantines it
    (EncounteredQuarantineException); the links and escrows it had are kept."""
    tenant = tenant_of("generic")
    state = engine_for(tenant).run_cycle(fake(2)).state
    wrong = engine_for(tenant, token="not-the-token-at-all")
    connection = wrong.test_connection()
    assert not connection.ok and connection.http_status == 401
    after = wrong.stopped_at_connection(connection, state)
    assert after.quarantine is not None
    assert after.quarantine.reason == QUARANTINE_EXCEPTION
    assert after.users == state.users and state.quarantine is None
    # A failure that says nothing of the credentials (a 500) leaves it out of quarantine.
    broken = engine_for(tenant)
    failed = broken.test_connection()
    assert failed.ok
    failed.ok, failed.http_status = False, 500
    assert broken.stopped_at_connection(failed, state).quarantine is None
