"""`simulate`'s --change and --on-demand options checked before anything is sent: a change
that does not fit the user as the directory then has them (restoring a user that is not in
the recycle bin, enabling an enabled one, changing a user an earlier --change deleted for
good) and an empty --on-demand are one `Error:` line, exit 2, and no request reaches the
endpoint, rather than a first cycle followed by an error or by a change that says it was
made when nothing changed."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from scim_client import live_admin

from sandbox.cli.simulate import simulate
from sandbox.testing.server import LiveServer

# The first users of the fake directory with --seed 0 (as the other simulate tests use).
FIRST = "chloe.santana1@example.com"





def refused(live: LiveServer, *args: str) -> str:
    """Run simulate against a fresh generic tenant; assert a usage error with nothing
    sent, and return the output."""
    made = live_admin(live.url, "POST", "/_sandbox/tenants", {"vendor": "generic"})
    result = CliRunner().invoke(simulate, ["--tenant-url", made["tenant_url"], "--token",
                                           made["token"], "--users", "5", *args])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "Cycle 1" not in result.output
    assert result.output.count("Error:") == 1
    journal = live_admin(live.url, "GET", f"/_sandbox/tenants/{made['id']}/journal")["entries"]
    assert journal == []
    return result.output


@pytest.mark.parametrize(("change", "words"), [
    (f"restore:{FIRST}", f"Restore does not apply to {FIRST}"),
    (f"enable:{FIRST}", f"Enable does not apply to {FIRST}"),
    (f"assign:{FIRST}", f"Assign does not apply to {FIRST}"),
])
def test_a_change_that_does_not_fit_the_user_is_refused_before_any_request(live, change,
                                                                           words):
    out = refused(live, "--cycles", "2", "--change", change)
    assert words in out


def test_a_change_to_a_user_an_earlier_change_deleted_is_refused_before_any_request(live):
    out = refused(live, "--cycles", "2", "--change", f"hard-delete:{FIRST}",
                  "--change", f"disable:{FIRST}")
    assert f"no user '{FIRST}'" in out


def test_changes_that_fit_in_order_are_made(live):
    """Soft delete then restore of one user: each fits the user as the one before left it."""
    made = live_admin(live.url, "POST", "/_sandbox/tenants", {"vendor": "generic"})
    result = CliRunner().invoke(simulate, [
        "--tenant-url", made["tenant_url"], "--token", made["token"], "--users", "5",
        "--cycles", "2", "--change", f"soft-delete:{FIRST}", "--change", f"restore:{FIRST}"])
    assert result.exit_code == 0, result.output
    assert f"soft-deleted {FIRST}" in result.output and f"restored {FIRST}" in result.output


@pytest.mark.parametrize("who", ["", "   "])
def test_an_empty_on_demand_user_is_a_usage_error(live, who):
    out = refused(live, "--on-demand", who)
    assert "--on-demand" in out and "user to provision" in out
