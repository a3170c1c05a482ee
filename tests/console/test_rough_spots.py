"""Console wording without a browser: counts in singular or plural, ids and paths written for
narrow columns, the progress line (a 429's wait included), and the logs section while the
first cycle runs."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime

import pytest

from sandbox.console.display import breakable, plural, short_id
from sandbox.console.simulation_state import RunProgress, Settings
from sandbox.console.simulations import Simulation
from sandbox.entra import wsgi_transport
from sandbox.entra.engine import RetryWait

WAITING = re.compile(r"Waiting for the endpoint: 429 Too Many Requests, "
                     r"retrying at (\d\d):(\d\d):(\d\d) UTC")


@pytest.mark.parametrize(("count", "expected"), [
    (0, "0 requests"), (1, "1 request"), (2, "2 requests"), (24, "24 requests")])
def test_plural(count, expected):
    assert plural(count, "request") == expected


def test_plural_of_a_noun_that_does_not_just_take_an_s():
    assert plural(1, "entry", "entries") == "1 entry"
    assert plural(3, "entry", "entries") == "3 entries"


def test_paths_may_wrap_only_between_their_parts():
    written = breakable("PATCH /Groups/9def81a29db74ab3b63f41a4d23f51b1?x=1&y=<2>")
    assert str(written) == ("PATCH /<wbr>Groups/<wbr>9def81a29db74ab3b63f41a4d23f51b1"
                            "<wbr>?x=1<wbr>&amp;y=&lt;2&gt;")


def test_codes_may_wrap_between_their_words():
    assert str(breakable("SystemForCrossDomainIdentityManagementBadRequest", words=True)) == (
        "System<wbr>For<wbr>Cross<wbr>Domain<wbr>Identity<wbr>Management<wbr>Bad<wbr>Request")


def test_a_short_id_keeps_the_whole_id_in_its_text_and_title():
    assert str(short_id("8c0582d5a50a4279bd131c0a7e8d8813")) == (
        '<span class="short-id" title="8c0582d5a50a4279bd131c0a7e8d8813">'
        "8c0582d5a50a4279bd131c0a7e8d8813</span>")
    assert str(short_id('a"<b')) == '<span class="short-id" title="a&#34;&lt;b">a&#34;&lt;b</span>'
    assert str(short_id(None)) == "—" and str(short_id("")) == "—"


def test_the_progress_line_counts_in_singular_and_plural():
    progress = RunProgress(running=True, cycle=2, done=1, total=1, requests=1,
                        current="Ada Lovelace", stage="Provisioning users and groups")
    assert progress.text == ("Cycle 2: Provisioning users and groups · 1 of 1 object "
                             "processed · 1 request sent · last: Ada Lovelace")
    progress.total, progress.requests = 10, 3
    assert "1 of 10 objects processed · 3 requests sent" in progress.text


def test_the_progress_line_says_while_the_cycle_waits_and_until_when():
    until = datetime(2026, 3, 1, 12, 1, 5, tzinfo=UTC)
    progress = RunProgress(running=True, cycle=1, done=2, total=5, requests=4, stage="Provisioning",
                        wait=RetryWait("POST /Users", 429, 3.0, until))
    assert progress.text.startswith(
        "Cycle 1: Waiting for the endpoint: 429 Too Many Requests, retrying at 12:01:05 UTC · ")
    body = progress.to_dict()
    assert body["waiting"] == {"status": 429, "request": "POST /Users", "seconds": 3.0,
                               "until": "2026-03-01T12:01:05+00:00"}
    assert body["text"] == progress.text
    progress.wait = None
    assert progress.to_dict()["waiting"] is None and "Waiting" not in progress.text


def _new_tenant(sandbox, vendor="generic"):
    return sandbox.create_tenant(vendor)


def test_a_simulation_shows_the_429_wait_while_it_lasts(signed_in):
    sandbox, client, _ = signed_in
    app = client.application
    tenant = _new_tenant(sandbox)
    tenant.faults.add({"operation": "create user", "status": 429, "retry_after": 1,
                       "times": 1})
    simulation = Simulation("wait")
    simulation.save(Settings(tenant_url="http://localhost" + tenant.path, token=tenant.token,
                             provisioning_on=True))
    simulation.new_directory(2, 0, seed=1, locale="en_US")
    simulation.start_cycle(wsgi_transport(app), tenant.profile)
    seen = None
    deadline = time.monotonic() + 10
    while seen is None and simulation.running and time.monotonic() < deadline:
        body = simulation.progress.to_dict()
        if body["waiting"]:
            seen = body
        time.sleep(0.01)
    simulation.wait(30)
    assert seen is not None, "the wait never showed"
    assert seen["waiting"]["request"] == "POST /Users" and seen["waiting"]["seconds"] == 1.0
    assert WAITING.search(seen["text"])
    retry_at = datetime.fromisoformat(seen["waiting"]["until"])
    assert abs((retry_at - datetime.now(UTC)).total_seconds()) < 5
    finished = simulation.progress.to_dict()
    assert finished["waiting"] is None and "Waiting" not in finished["text"]
    assert simulation.last_cycle.error is None and not simulation.last_cycle.failures


def _start_from_the_page(client, csrf, tenant, users):
    client.post("/console/simulator/directory",
                data={"users": users, "groups": 0, "seed": 1, "locale": "en_US",
                      "csrf_token": csrf})
    answer = client.post("/console/simulator/start",
                         json={"tenant_url": "http://localhost" + tenant.path,
                               "token": tenant.token, "provisioning_status": "on"},
                         headers={"X-CSRF-Token": csrf, "Accept": "application/json"})
    assert answer.status_code == 202, answer.get_data(as_text=True)


def _wait_until_finished(client):
    deadline = time.monotonic() + 30
    while client.get("/console/simulator/progress").get_json()["running"]:
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_while_the_first_cycle_runs_the_logs_say_so(signed_in):
    sandbox, client, csrf = signed_in
    tenant = _new_tenant(sandbox)
    tenant.faults.add({"operation": "create user", "status": 429, "retry_after": 2,
                       "times": 1})
    _start_from_the_page(client, csrf, tenant, users=1)
    page = client.get("/console/simulator").get_data(as_text=True)
    progress = client.get("/console/simulator/progress").get_json()
    _wait_until_finished(client)
    assert "The first cycle is running…" in page
    assert "No cycle has run yet" not in page
    assert progress["running"] is True and progress["text"].startswith("Cycle 1: ")

    after = client.get("/console/simulator").get_data(as_text=True)
    assert "The first cycle is running…" not in after
    assert "Provisioning log of cycle 1" in after


def test_the_logs_count_in_singular_and_plural(signed_in):
    sandbox, client, csrf = signed_in
    tenant = _new_tenant(sandbox)
    _start_from_the_page(client, csrf, tenant, users=1)
    _wait_until_finished(client)
    page = client.get("/console/simulator").get_data(as_text=True)
    assert "1 user, 0 groups in the source directory" in page
    assert re.search(r"\b\d+ requests sent in", page)
    assert "replaced the directory: 1 user, 0 groups (seed 1)" in page
    assert "(s)" not in page


def test_the_data_browser_counts_in_singular_and_plural(signed_in):
    sandbox, client, _ = signed_in
    tenant = _new_tenant(sandbox)
    tenant.create(tenant.resource_type("Users"),
                  {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                   "userName": "one@example.test"})
    page = client.get(f"/console/data/tenants/{tenant.id}").get_data(as_text=True)
    assert "1 user, 0 groups" in page
    journal = client.get(f"/console/data/tenants/{tenant.id}?tab=journal")
    assert "0 requests," in journal.get_data(as_text=True)
