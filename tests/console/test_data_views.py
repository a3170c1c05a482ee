"""The data browser's plain-Python side (sandbox.console.data_views), over real tenants of an
app's service layer, without a browser."""

from __future__ import annotations

import pytest
from console_support import ADMIN_TOKEN

from sandbox.app import create_app
from sandbox.console import data_views as views
from sandbox.scim.errors import ScimError

BASE = "http://localhost"


@pytest.fixture(scope="module")
def sandbox():
    return create_app({"admin_token": ADMIN_TOKEN, "demo_tenants": False}
                      ).extensions["scim_sandbox"]


@pytest.fixture
def olfeo(sandbox):
    tenant, _ = sandbox.create_seeded_tenant("olfeo", {"users": 30, "groups": 2, "seed": 4})
    yield tenant
    sandbox.delete_tenant(tenant.id)


def test_users_are_paged(sandbox, olfeo, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 12)
    first = views.resource_page(olfeo, "User", 1, BASE + olfeo.path)
    assert (first.total, first.pages, first.first, first.last) == (30, 3, 1, 12)
    last = views.resource_page(olfeo, "User", 3, BASE + olfeo.path)
    assert (len(last.resources), last.first, last.last) == (6, 25, 30)
    ids = {u["id"] for page in (1, 2, 3)
           for u in views.resource_page(olfeo, "User", page, BASE).resources}
    assert len(ids) == 30
    assert views.resource_page(olfeo, "User", 0, BASE).page == 1


def test_group_members_are_named_by_their_user_name(olfeo):
    group = views.resource_page(olfeo, "Group", 1, BASE).resources[0]
    named, total = views.member_names(olfeo, group)
    assert total == len(group["members"]) and len(named) == total
    for member_id, name in named:
        assert views.resource_json(olfeo, "User", member_id, BASE)["userName"] == name


def test_a_missing_resource_is_a_scim_404(olfeo):
    with pytest.raises(ScimError) as raised:
        views.resource_json(olfeo, "User", "nope", BASE)
    assert raised.value.status == 404


def test_user_labels_prefer_the_formatted_name():
    assert views.user_label({"name": {"formatted": "Ann Lee", "givenName": "A"}}) == "Ann Lee"
    assert views.user_label({"name": {"givenName": "Ann", "familyName": "Lee"}}) == "Ann Lee"
    assert views.user_label({"displayName": "Ann"}) == "Ann"
    assert views.user_label({"name": "not an object"}) == ""


def test_journal_filters_are_checked():
    assert views.journal_filters({"operation": "Create User", "method": "post",
                                  "status": "201"}) == {
        "operation": "create user", "method": "POST", "status": 201}
    assert views.journal_filters({"operation": "", "status": " "}) == {}
    with pytest.raises(views.InputError, match="HTTP status"):
        views.journal_filters({"status": "abc"})
    with pytest.raises(views.InputError, match="Unknown operation"):
        views.journal_filters({"operation": "launch rockets"})


def test_the_journal_is_newest_first_and_capped(olfeo, monkeypatch):
    from sandbox.service.journal import JournalEntry

    for number in range(5):
        olfeo.journal.record(JournalEntry(
            f"t{number}", "GET", "/Users", 'filter=userName%20eq%20%22a%22', 200, 1.0,
            "match query", (("Authorization", "Bearer [redacted]"),), b"", b'{"a": 1}'))
    monkeypatch.setattr(views, "JOURNAL_SHOWN", 3)
    shown, matched = views.journal_entries(olfeo, {})
    assert matched == 5 and [e["time"] for e in shown] == ["t4", "t3", "t2"]
    assert shown[0]["response_text"] == '{\n  "a": 1\n}'
    assert shown[0]["request_text"] == ""
    assert shown[0]["query_text"] == 'filter=userName eq "a"'
    assert views.journal_entries(olfeo, {"status": 404}) == ([], 0)


def test_fault_forms_become_admin_api_specs():
    form = {"method": "PATCH", "operation": "", "status": "429", "retry_after": "2",
            "times": "3", "probability": "0.5", "detail": "  slow down ", "delay_ms": ""}
    assert views.fault_spec(form) == {"method": "PATCH", "detail": "slow down",
                                      "status": 429, "times": 3, "retry_after": 2,
                                      "probability": 0.5}
    with pytest.raises(views.InputError, match="Times must be a whole number"):
        views.fault_spec({"times": "often"})
    with pytest.raises(views.InputError, match="Probability"):
        views.fault_spec({"probability": "half"})


def test_switching_a_fault_off_and_on_keeps_what_was_left(olfeo):
    paused = views.PausedFaults()
    fault = olfeo.faults.add({"operation": "create user", "status": 503, "times": 3})
    assert olfeo.faults.fire("POST", "User", "create user", "/Users") is fault
    assert paused.switch_off(olfeo, fault.id)
    assert olfeo.faults.list() == []
    [off] = paused.of(olfeo.id)
    assert (off.id, off.fired, off.spec["times"]) == (fault.id, 1, 2)
    assert not paused.switch_off(olfeo, fault.id)  # not live any more

    again = paused.switch_on(olfeo, fault.id)
    assert again is not None and again.id != fault.id
    assert (again.status, again.operation, again.times) == (503, "create user", 2)
    assert paused.of(olfeo.id) == [] and paused.switch_on(olfeo, fault.id) is None

    paused.switch_off(olfeo, again.id)
    assert paused.remove(olfeo.id, again.id) and paused.of(olfeo.id) == []
    paused.switch_off(olfeo, olfeo.faults.add({"status": 500}).id)
    paused.forget(olfeo.id)
    assert paused.of(olfeo.id) == []


@pytest.mark.parametrize("query", ["?page=%C2%B2", "?page=" + "9" * 5000, "?page=-3",
                                   "?tab=groups&page=%EF%BC%91"])
def test_odd_page_numbers_show_the_first_page(signed_in, query):
    _, client, _ = signed_in
    answer = client.get("/console/data/tenants/generic-demo" + query)
    assert answer.status_code == 200


@pytest.mark.parametrize("status", ["%C2%B2", "1" * 5000, "%EF%BC%92%EF%BC%90%EF%BC%91", "99",
                                    "600"])
def test_odd_journal_status_filters_are_a_clear_refusal(signed_in, status):
    """Superscript and full-width digits, 5,000 digits, and out-of-range codes: the journal
    tab comes back with a message, never a 500."""
    _, client, _ = signed_in
    answer = client.get(f"/console/data/tenants/generic-demo?tab=journal&status={status}",
                        follow_redirects=True)
    assert answer.status_code == 200
    assert "Status must be an HTTP status code" in answer.get_data(as_text=True)
