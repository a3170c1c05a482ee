"""Escrow, retries and quarantine on the console's simulator, through the Flask test client.
Facts from Microsoft's "Application provisioning in quarantine status": invalid credentials
quarantine the job (EncounteredQuarantineException) and the Provisioning page says so; fixing
the credentials and Restart provisioning (which clears escrows and quarantine) brings it out;
a failed action is retried in later cycles."""

from __future__ import annotations

import pytest
from simulator_client import flashes, page_text, post, save, start, the_simulation

BANNER = "Provisioning has been quarantined. See quarantine details for more information"


@pytest.fixture
def velpic(simulator_for):
    return simulator_for("velpic", users=5)


def test_refused_credentials_quarantine_the_job_and_restart_brings_it_out(velpic,
                                                                          console_app):
    tenant, client, csrf = velpic
    start(console_app, client, csrf)
    anchors = dict(the_simulation(console_app, client).state.users)
    assert BANNER not in page_text(client)

    save(client, csrf, tenant, token="wrong-token-123")
    cycle = start(console_app, client, csrf)
    assert cycle.error is not None and cycle.connection.http_status == 401
    quarantine = the_simulation(console_app, client).state.quarantine
    assert quarantine is not None and quarantine.reason == "EncounteredQuarantineException"
    text = page_text(client)
    assert BANNER in text
    assert "Reason EncounteredQuarantineException" in text
    assert "check the Admin Credentials and the Tenant URL" in text
    assert "Next attempt " + quarantine.next_attempt.replace("T", " ").replace(
        "+00:00", " UTC") in text
    assert ">Allow deletes</button>" not in client.get("/console/simulator").get_data(
        as_text=True)

    # A second refused cycle keeps the quarantine and backs off further.
    start(console_app, client, csrf)
    again = the_simulation(console_app, client).state.quarantine
    assert again.series_count == 2 and again.began == quarantine.began
    assert again.next_attempt > quarantine.next_attempt

    save(client, csrf, tenant)  # the right token again
    shown = flashes(post(client, csrf, "/console/simulator/restart", {}).get_data(
        as_text=True))
    assert shown == ["Provisioning restarted: escrows and quarantine are cleared, the "
                     "accounts already provisioned stay linked; the next cycle evaluates "
                     "every user again."]
    state = the_simulation(console_app, client).state
    assert state.quarantine is None and state.users == anchors
    assert BANNER not in page_text(client)
    assert start(console_app, client, csrf).failures == 0
    assert the_simulation(console_app, client).state.quarantine is None


def test_a_cycle_without_the_failures_ends_the_quarantine(velpic, console_app):
    tenant, client, csrf = velpic
    save(client, csrf, tenant, token="wrong-token-123")
    start(console_app, client, csrf)
    assert the_simulation(console_app, client).state.quarantine is not None
    save(client, csrf, tenant)
    cycle = start(console_app, client, csrf)
    assert cycle.error is None and cycle.failures == 0
    assert the_simulation(console_app, client).state.quarantine is None
    assert BANNER not in page_text(client)


def test_a_failed_action_is_retried_in_the_next_cycle_and_the_log_counts_it(velpic,
                                                                            console_app):
    tenant, client, csrf = velpic
    tenant.faults.add({"operation": "create user", "status": 500, "times": 1,
                       "detail": "database unavailable"})
    first = start(console_app, client, csrf)
    failed = [e for e in first.entries if e.status == "Failure"]
    assert len(failed) == 1 and failed[0].retry == 0
    tenant.faults.add({"operation": "create user", "status": 500, "times": 1,
                       "detail": "database unavailable"})
    second = start(console_app, client, csrf)
    retried = [e for e in second.entries if e.source_id == failed[0].source_id]
    assert [(e.action, e.status, e.retry) for e in retried] == [("Create", "Failure", 1)]
    assert "Retry 1: held in escrow after 1 earlier failure" in page_text(client)
    third = start(console_app, client, csrf)
    done = [e for e in third.entries if e.source_id == failed[0].source_id]
    assert [(e.action, e.status, e.retry) for e in done] == [("Create", "Success", 2)]
    assert the_simulation(console_app, client).state.escrow == {}
