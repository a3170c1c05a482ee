"""How the console looks in a real browser at 1366 px: the provisioning logs fit their card
without cutting ids or paths mid-token, a 429's wait shows while it lasts, and every refused
form field has the same red border."""

from __future__ import annotations

import re

from console_support import ARTIFACTS
from simulator_client import demo_tenant
from test_simulator_page import fill_credentials

AUTHENTICATION = "/console/setup/vaultplatform/menu/administration/authentication"

# For each request cell: the text pieces the browser laid out on more than one line.
SPLIT_PIECES = """cells => cells.flatMap(cell => [...cell.childNodes]
  .filter(node => node.nodeType === Node.TEXT_NODE && node.textContent.trim())
  .filter(node => { const range = document.createRange(); range.selectNodeContents(node);
                    return range.getClientRects().length > 1; })
  .map(node => node.textContent))"""


def test_the_provisioning_logs_fit_their_card_at_1366_px(page, console_app, console_server):
    tenant, url = demo_tenant(console_app, console_server, "olfeo")  # users, groups and members
    page.goto("/console/simulator")
    fill_credentials(page, url, tenant.token)
    page.get_by_label("On", exact=True).check()
    page.get_by_role("button", name="Start provisioning", exact=True).click()
    table = page.get_by_role("table", name="Provisioning log of cycle 1")
    table.wait_for()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.locator("#logs").screenshot(path=str(ARTIFACTS / "simulator-logs-1366.png"))

    widths = table.evaluate("""t => ({table: t.getBoundingClientRect().width,
        card: t.closest('details').getBoundingClientRect().width,
        scroll: t.parentElement.scrollWidth, box: t.parentElement.clientWidth})""")
    assert widths["table"] < widths["card"], widths
    assert widths["scroll"] <= widths["box"], widths  # no scroll bar needed at this width

    # Target ids: cut with an ellipsis on screen, whole in the title and the text.
    ids = table.locator("td .short-id")
    assert ids.count() >= 10
    first = ids.first
    full = first.get_attribute("title")
    assert first.inner_text() == full and len(full) > 12
    assert first.evaluate("e => e.scrollWidth > e.clientWidth")  # cut on screen
    assert first.evaluate("e => getComputedStyle(e).textOverflow") == "ellipsis"

    # PATCH /Groups/<id> wraps after "/Groups/", never inside the id.
    requests = table.locator("td.request")
    patches = [c for c in requests.all_inner_texts() if c.startswith("PATCH")]
    assert patches, requests.all_inner_texts()
    assert requests.evaluate_all(SPLIT_PIECES) == []

    # Plain words: "Added 2 members.", never "member(s)".
    details = " ".join(table.locator("tbody td:last-child").all_inner_texts())
    assert "(s)" not in details and re.search(r"Added \d+ members?\.", details)


def test_a_429_wait_shows_in_the_progress_while_the_first_cycle_runs(page, console_app,
                                                                      console_server):
    tenant, url = demo_tenant(console_app, console_server, "generic")
    tenant.faults.add({"operation": "create user", "status": 429, "retry_after": 2,
                       "times": 1})
    page.goto("/console/simulator")
    assert "No cycle has run yet" in page.locator("#no-cycles").inner_text()
    fill_credentials(page, url, tenant.token)
    page.get_by_label("On", exact=True).check()
    page.get_by_role("button", name="Start provisioning", exact=True).click()
    text = page.locator("#progress-text")
    page.wait_for_function(
        "() => document.getElementById('progress-text').textContent.includes('Waiting')")
    assert re.search(r"^Cycle 1: Waiting for the endpoint: 429 Too Many Requests, retrying at "
                     r"\d\d:\d\d:\d\d UTC · ", text.inner_text())
    assert page.locator("#no-cycles").inner_text() == "The first cycle is running…"
    page.get_by_role("table", name="Provisioning log of cycle 1").wait_for()
    summary = page.locator("#logs .summary").first.inner_text()
    assert re.search(r"\d+ requests sent in", summary)


def test_every_refused_field_has_the_same_red_border(page, screenshot):
    page.goto(AUTHENTICATION)
    page.get_by_label("Login method").select_option("Email and password")
    page.get_by_label("Certificate").fill("not a certificate")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("alert").filter(has_text="Authentication was not saved").wait_for()
    fields = page.locator("form [aria-invalid='true']")
    kinds = fields.evaluate_all("els => els.map(e => e.tagName + ':' + (e.type || ''))")
    assert {"SELECT:select-one", "INPUT:text", "INPUT:url", "TEXTAREA:textarea"} <= set(kinds)
    page.locator("body").click(position={"x": 5, "y": 5})  # no field keeps the focus ring
    looks = fields.evaluate_all(
        "els => els.map(e => { const s = getComputedStyle(e);"
        " return [s.borderTopColor, s.borderLeftColor, s.boxShadow]; })")
    assert all(look == looks[0] for look in looks), dict(zip(kinds, looks, strict=True))
    assert looks[0][0] == "rgb(164, 38, 44)"  # the console's --bad red
    screenshot(page, "setup-invalid-fields")
