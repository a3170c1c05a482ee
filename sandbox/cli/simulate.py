"""`scim-sandbox simulate`: run Microsoft Entra's provisioning cycle against any SCIM endpoint.

A developer points it at their own server (or a sandbox tenant) and sees, as Entra's
Provisioning logs would show it, what Entra's dialect does to their endpoint: Test
Connection, match queries, creates, updates, disables, deletes, groups and memberships,
escrow and quarantine; or one user provisioned on demand. The output is `simulate_output`'s,
the scope, threshold and directory changes are read by `simulate_plan`.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from sandbox.cli.simulate_output import (
    EXIT_ACTIONS_FAILED,
    EXIT_CONNECTION_FAILED,
    JsonOutput,
    TextOutput,
)
from sandbox.cli.simulate_plan import (
    DirectoryChange,
    check_changes,
    read_changes,
    read_policy,
    read_scope,
)
from sandbox.config import is_http_url
from sandbox.entra import (
    FLAG,
    ProvisioningConfig,
    ProvisioningEngine,
    SourceDirectory,
    sample_changes,
    urllib_transport,
)
from sandbox.entra.credentials import AdminCredentials
from sandbox.entra.directory_actions import DIRECTORY_ACTIONS
from sandbox.entra.mappings import profile_settings
from sandbox.entra.on_demand import TEST_CONNECTION
from sandbox.entra.quarantine import DEFAULT_DELETION_THRESHOLD
from sandbox.entra.scoping import ALL, ASSIGNED, OPERATORS
from sandbox.entra.tenant_vendor import vendor_of_url

if TYPE_CHECKING:
    from sandbox.vendors import Profile

DEFAULT_GROUPS = 2


def _check_tenant_url(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if not is_http_url(value):
        raise click.BadParameter(f"{value!r} is not an http(s) URL with a host; give the SCIM "
                                 "base URL, e.g. https://scim.example.com/scim/v2.")
    return value


@click.command(epilog="""\b
Examples:
  scim-sandbox simulate --tenant-url http://localhost:8000/generic/t1/scim/v2 --token T
  scim-sandbox simulate --tenant-url URL --token T --vendor olfeo --users 20 --groups 3
  scim-sandbox simulate --tenant-url URL --token T --flag aadOptscim062020 --cycles 2 --json
  scim-sandbox simulate --tenant-url URL --token T --on-demand ann@example.com
  scim-sandbox simulate --tenant-url URL --token T --scope all \\
      --scope-filter "department EQUALS Sales AND city IS NOT NULL"
  scim-sandbox simulate --tenant-url URL --token T --cycles 2 \\
      --change soft-delete:ann@example.com --change hard-delete:bob@example.com
  scim-sandbox simulate --tenant-url URL --username U --password P
  scim-sandbox simulate --tenant-url URL --client-id C --client-secret S --token-url URL

\b
The flag can also be appended to the Tenant URL, as in Entra: URL?aadOptscim062020.
Without --vendor, a sandbox tenant's URL says its vendor, whose attribute table then
pre-fills the mappings (--vendors DIR adds profiles, as for serve).

\b
Deprovisioning, as Entra does it: an unassigned, out-of-scope, disabled or soft-deleted
user gets an update with active false; only a hard delete sends DELETE (at once, for an
app that keeps no disabled accounts). Failed actions are held in escrow and retried by
the next cycle; when most requests are refused, or a cycle would disable or delete more
than --deletion-threshold objects, the job goes into quarantine and the output says why.

\b
Exit status:
  0  Test Connection succeeded and every action of every cycle succeeded
  1  Test Connection failed (no cycle ran)
  2  usage error (a bad option)
  3  the cycles ran (or the on-demand run), but at least one action failed""")
@click.option("--tenant-url", required=True, callback=_check_tenant_url,
              help="The SCIM base URL, as pasted into Entra.")
@click.option("--token", default=None,
              help="The Secret Token (sent as a bearer token). Or give the credentials of "
                   "another auth kind below.")
@click.option("--username", default=None,
              help="The username of HTTP Basic credentials (with --password).")
@click.option("--password", default=None, help="The password of HTTP Basic credentials.")
@click.option("--client-id", default=None,
              help="The OAuth 2.0 client id (with --client-secret and --token-url).")
@click.option("--client-secret", default=None, help="The OAuth 2.0 client secret.")
@click.option("--token-url", default=None,
              help="The OAuth 2.0 token URL: access tokens are fetched and renewed there "
                   "with the client credentials.")
@click.option("--users", default=5, show_default=True, type=click.IntRange(0, 10_000),
              help="Fake users in the source directory (every fifth has Default Access).")
@click.option("--groups", default=None, type=click.IntRange(0, 1_000),
              help="Fake groups to assign, where the endpoint has /Groups (default: 2 when "
                   "the vendor has groups, else 0).")
@click.option("--seed", default=0, show_default=True, type=int,
              help="Seed of the fake directory: the same seed gives the same people.")
@click.option("--locale", default=None,
              help="Faker locale of the fake people (default: the vendor's, else en_US).")
@click.option("--vendor", default=None,
              help="Pre-fill Attribute Mappings from this vendor profile (e.g. veritas); "
                   "default: the vendor of a sandbox Tenant URL.")
@click.option("--vendors", "vendors_dir", envvar="SCIM_SANDBOX_VENDORS", show_envvar=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A folder of extra vendors (*.toml profiles, *.json gallery records), as "
                   "for serve.")
@click.option("--flag", "flags", multiple=True,
              type=click.Choice([FLAG], case_sensitive=False), metavar=FLAG,
              help="An Entra SCIM behaviour flag: aadOptscim062020 sends RFC-compliant PATCH.")
@click.option("--cycles", default=None, type=click.IntRange(1, 20),
              help="Cycles to run (default 1). Before the second, the --change actions are "
                   "made, or else one user each is unassigned, disabled, renamed and deleted "
                   "for good; before later ones, the same scripted changes.")
@click.option("--change", "changes", multiple=True, metavar="ACTION:USER",
              help="A change in the source directory before the second cycle: "
                   f"{', '.join(DIRECTORY_ACTIONS)}; USER is a userPrincipalName, mail, "
                   "objectId or display name. Repeatable.")
@click.option("--on-demand", "on_demand", default=None, metavar="USERNAME",
              help="Provision this one user on demand instead of running cycles: Entra's "
                   "steps (import, scope, match, action) with their details.")
@click.option("--scope", type=click.Choice([ASSIGNED, ALL]), default=ASSIGNED,
              show_default=True,
              help="assigned: Sync only assigned users and groups; all: Sync all users and "
                   "groups.")
@click.option("--scope-filter", "scope_filters", multiple=True, metavar="CLAUSES",
              help="An attribute-based scoping filter, e.g. \"department EQUALS Sales AND "
                   "mail REGEX MATCH .*@example\\.com\"; clauses joined by AND must all "
                   "hold, repeated filters are ORed. Operators: "
                   f"{', '.join(OPERATORS)}.")
@click.option("--deletion-threshold", default=DEFAULT_DELETION_THRESHOLD, show_default=True,
              type=click.IntRange(0, 1_000_000),
              help="Prevent accidental deletions: a cycle that would disable or delete more "
                   "objects than this stages them and quarantines the job (0: off).")
@click.option("--timeout", default=30.0, show_default=True, type=click.FloatRange(0.1, 600),
              help="Seconds to wait for each answer.")
@click.option("--json", "as_json", is_flag=True,
              help="Print JSON lines (test connection, log entries, cycle summaries, "
                   "on-demand steps).")
def simulate(tenant_url: str, token: str | None, username: str | None, password: str | None,
             client_id: str | None, client_secret: str | None, token_url: str | None,
             users: int, groups: int | None, seed: int,
             locale: str | None, vendor: str | None, vendors_dir: Path | None,
             flags: tuple[str, ...], cycles: int | None, changes: tuple[str, ...],
             on_demand: str | None, scope: str, scope_filters: tuple[str, ...],
             deletion_threshold: int, timeout: float, as_json: bool) -> None:
    """Run Microsoft Entra's provisioning cycle against a SCIM endpoint and print the log."""
    credentials = _admin_credentials(token, username, password, client_id, client_secret,
                                     token_url)
    plan = _Plan(cycles, read_changes(changes), on_demand)
    profile, taken = _profile(vendor, tenant_url, vendors_dir)
    if groups is None:
        groups = default_groups(profile)
    try:
        directory = SourceDirectory.fake(users=users, groups=groups, seed=seed,
                                         locale=locale or (profile.locale if profile else None)
                                         or "en_US")
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--locale/--users/--groups") from None
    check_changes(directory, plan.changes)
    config = ProvisioningConfig.from_tenant_url(
        tenant_url, token or "", flags=flags, credentials=credentials,
        scope=read_scope(scope, scope_filters),
        quarantine_policy=read_policy(deletion_threshold), **profile_settings(profile),
    )
    engine = ProvisioningEngine(config, urllib_transport(timeout=timeout))
    out = JsonOutput(profile, taken) if as_json else TextOutput(config, profile, taken)
    if on_demand is not None:
        _run_on_demand(engine, directory, on_demand, out)
        return
    connection = engine.test_connection()
    out.connection(connection)
    if not connection.ok:
        sys.exit(EXIT_CONNECTION_FAILED)
    failed = _run_cycles(engine, directory, plan, out)
    out.outcome(failed)
    if failed:
        sys.exit(EXIT_ACTIONS_FAILED)


@dataclass(frozen=True, slots=True)
class _Plan:
    """The run the options ask for; usage errors for options that do not go together."""

    cycles: int | None
    changes: list[DirectoryChange]
    on_demand: str | None

    def __post_init__(self) -> None:
        if self.on_demand is not None and not self.on_demand.strip():
            raise click.BadParameter("type the user to provision: a userPrincipalName, mail, "
                                     "objectId or display name.", param_hint="--on-demand")
        if self.on_demand is not None and (self.cycles or self.changes):
            raise click.UsageError("--on-demand provisions one user without a cycle; leave "
                                   "out --cycles and --change.")
        if self.changes and (self.cycles or 1) < 2:
            raise click.UsageError("--change happens before the second cycle: add --cycles 2 "
                                   "(or more).")


def _run_cycles(engine: ProvisioningEngine, directory: SourceDirectory, plan: _Plan,
                out: JsonOutput | TextOutput) -> int:
    state = None
    failed = 0
    for number in range(1, (plan.cycles or 1) + 1):
        if number == 2 and plan.changes:
            out.changes(number, [change.apply(directory) for change in plan.changes])
        elif number > 1:
            out.changes(number, sample_changes(directory))
        result = engine.run_cycle(directory, state, progress=out.progress)
        out.cycle(result, directory)
        failed += len(result.failures)
        state = result.state
    return failed


def _run_on_demand(engine: ProvisioningEngine, directory: SourceDirectory, who: str,
                   out: JsonOutput | TextOutput) -> None:
    result = engine.provision_on_demand(directory, who)
    out.on_demand(who, result)
    if result.steps and result.steps[0].title == TEST_CONNECTION:
        sys.exit(EXIT_CONNECTION_FAILED)
    if not result.ok:
        sys.exit(EXIT_ACTIONS_FAILED)


def _admin_credentials(token: str | None, username: str | None, password: str | None,
                       client_id: str | None, client_secret: str | None,
                       token_url: str | None) -> AdminCredentials | None:
    """The Admin Credentials of one auth kind: a token, Basic, or an OAuth client."""
    kinds = [name for name, given in (
        ("--token", token), ("--username/--password", username or password),
        ("--client-id/--client-secret/--token-url", client_id or client_secret or token_url),
    ) if given]
    if len(kinds) != 1:
        raise click.UsageError("Give the credentials of one auth kind: --token, or --username "
                               "and --password, or --client-id, --client-secret and "
                               f"--token-url{'' if not kinds else '; got ' + ' and '.join(kinds)}.")
    if token:
        return None
    credentials = AdminCredentials(username=username or "", password=password or "",
                                   client_id=client_id or "", client_secret=client_secret or "",
                                   token_url=token_url or "")
    problem = credentials.problem()
    if problem:
        raise click.UsageError(problem[0].upper() + problem[1:] + ".")
    if token_url and not is_http_url(token_url):
        raise click.BadParameter(f"{token_url!r} is not an http(s) URL with a host.",
                                 param_hint="--token-url")
    return credentials


def _profile(vendor: str | None, tenant_url: str,
             vendors_dir: Path | None) -> tuple[Profile | None, str]:
    """The vendor whose mappings to use, and how it was chosen: `--vendor` when given, else
    the vendor whose Tenant URL template the URL fits (a sandbox tenant), else none."""
    from sandbox.vendors import ProfileError
    from sandbox.vendors.catalog import Catalog
    from sandbox.vendors.vendor_search import unknown_vendor_detail, url_candidates

    try:
        profiles = Catalog.load(*([vendors_dir] if vendors_dir else []))
        if vendor is None:
            found = vendor_of_url(tenant_url, url_candidates(profiles, tenant_url))
            return found, "the Tenant URL" if found is not None else ""
    except ProfileError as exc:
        raise click.BadParameter(str(exc), param_hint="--vendors") from None
    if vendor not in profiles:
        detail = unknown_vendor_detail(profiles, vendor)
        raise click.BadParameter(detail[0].lower() + detail[1:], param_hint="--vendor")
    return profiles[vendor], "--vendor"


def default_groups(profile: Profile | None) -> int:
    """Groups in the fake directory when --groups is not given: two where the vendor has
    groups (no more than it accepts), none otherwise or when the vendor is unknown."""
    if profile is None or "Group" not in profile.resource_types:
        return 0
    limits = [rule.max for rule in profile.rules_of("max_groups") if rule.max]
    return min([DEFAULT_GROUPS, *limits])


