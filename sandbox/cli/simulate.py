"""`scim-sandbox simulate`: run Microsoft Entra's provisioning cycle against any SCIM endpoint.

A developer points it at their own server (or a sandbox tenant) and sees, as Entra's
Provisioning logs would show it, what Entra's dialect does to their endpoint: Test
Connection, match queries, creates, updates, disables, deletes, groups and memberships.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

import click

from sandbox.config import is_http_url
from sandbox.entra import (
    FLAG,
    ConnectionResult,
    CycleResult,
    LogEntry,
    ProvisioningConfig,
    ProvisioningEngine,
    SourceDirectory,
    sample_changes,
    urllib_transport,
)
from sandbox.entra.credentials import AdminCredentials
from sandbox.entra.mappings import profile_settings
from sandbox.entra.tenant_vendor import vendor_of_url

if TYPE_CHECKING:
    from sandbox.vendors import Profile

DEFAULT_GROUPS = 2
_NAME_WIDTH = 24
_REQUEST_WIDTH = 44
# Distinct from click's 2 (usage error), so a script can tell the three outcomes apart.
EXIT_CONNECTION_FAILED = 1
EXIT_ACTIONS_FAILED = 3


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
  scim-sandbox simulate --tenant-url URL --username U --password P
  scim-sandbox simulate --tenant-url URL --client-id C --client-secret S --token-url URL

\b
The flag can also be appended to the Tenant URL, as in Entra: URL?aadOptscim062020.
Without --vendor, a sandbox tenant's URL says its vendor, whose attribute table then
pre-fills the mappings (--vendors DIR adds profiles, as for serve).

\b
Exit status:
  0  Test Connection succeeded and every action of every cycle succeeded
  1  Test Connection failed (no cycle ran)
  2  usage error (a bad option)
  3  the cycles ran, but at least one action failed (see its Error code)""")
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
@click.option("--cycles", default=1, show_default=True, type=click.IntRange(1, 20),
              help="Cycles to run; before each further one a user is disabled, one renamed "
                   "and one removed.")
@click.option("--timeout", default=30.0, show_default=True, type=click.FloatRange(0.1, 600),
              help="Seconds to wait for each answer.")
@click.option("--json", "as_json", is_flag=True,
              help="Print JSON lines (test connection, log entries, cycle summaries).")
def simulate(tenant_url: str, token: str | None, username: str | None, password: str | None,
             client_id: str | None, client_secret: str | None, token_url: str | None,
             users: int, groups: int | None, seed: int,
             locale: str | None, vendor: str | None, vendors_dir: Path | None,
             flags: tuple[str, ...], cycles: int, timeout: float, as_json: bool) -> None:
    """Run Microsoft Entra's provisioning cycle against a SCIM endpoint and print the log."""
    credentials = _admin_credentials(token, username, password, client_id, client_secret,
                                     token_url)
    profile, taken = _profile(vendor, tenant_url, vendors_dir)
    if groups is None:
        groups = default_groups(profile)
    try:
        directory = SourceDirectory.fake(users=users, groups=groups, seed=seed,
                                         locale=locale or (profile.locale if profile else None)
                                         or "en_US")
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--locale/--users/--groups") from None
    config = ProvisioningConfig.from_tenant_url(
        tenant_url, token or "", flags=flags, credentials=credentials,
        **profile_settings(profile),
    )
    engine = ProvisioningEngine(config, urllib_transport(timeout=timeout))
    out = _JsonOutput(profile, taken) if as_json else _TextOutput(config, profile, taken)

    connection = engine.test_connection()
    out.connection(connection)
    if not connection.ok:
        sys.exit(EXIT_CONNECTION_FAILED)
    state = None
    failed = 0
    for number in range(1, cycles + 1):
        if number > 1:
            out.changes(number, sample_changes(directory))
        result = engine.run_cycle(directory, state, progress=out.progress)
        out.cycle(result, directory)
        failed += len(result.failures)
        state = result.state
    out.outcome(failed)
    if failed:
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


class _JsonOutput:
    """One JSON object per line on stdout, nothing else there."""

    def __init__(self, profile: Profile | None, taken: str) -> None:
        if profile is not None:
            _emit({"event": "vendor", "id": profile.id, "name": profile.name,
                   "taken_from": taken})

    def connection(self, result: ConnectionResult) -> None:
        _emit({"event": "test_connection", **result.to_dict()})

    def changes(self, cycle: int, done: list[str]) -> None:
        _emit({"event": "changes", "cycle": cycle, "changes": done})

    def progress(self, done: int, total: int, name: str) -> None:
        pass

    def cycle(self, result: CycleResult, directory: SourceDirectory) -> None:
        for entry in result.entries:
            _emit({"event": "log", **entry.to_dict()})
        _emit({"event": "cycle", "cycle": result.cycle, "requests": result.requests,
               "counts": result.counts})

    def outcome(self, failed: int) -> None:
        pass  # the log entries and the exit status already say it


class _TextOutput:
    """Test Connection's verdict, then per cycle a table like Entra's Provisioning logs."""

    def __init__(self, config: ProvisioningConfig, profile: Profile | None, taken: str) -> None:
        flags = ", ".join(sorted(config.flags)) or "none"
        mappings = f"{profile.name}'s attribute table" if profile else "Entra's defaults"
        matching = next((m.target for m in config.user_mappings
                         if m.matching_precedence is not None), "none")
        click.echo(f"Tenant URL: {config.tenant_url}")
        if profile is not None and taken != "--vendor":
            click.echo(f"Vendor: {profile.id} ({profile.name}), taken from {taken}; "
                       "--vendor chooses another.")
        click.echo(f"Flags: {flags}; attribute mappings: {mappings}; matching attribute: "
                   f"{matching}")
        self._live = sys.stderr.isatty()

    def connection(self, result: ConnectionResult) -> None:
        if result.ok:
            click.echo(f"Test Connection: Success. {result.message}")
            return
        click.echo(f"Test Connection: Failure. {result.message}")
        click.echo(f"  Error code: {result.error_code}")
        if result.http_status is not None:
            click.echo(f"  HTTP {result.http_status}; SCIM status {result.scim_status or '-'}, "
                       f"scimType {result.scim_type or '-'}")
        if result.detail and result.detail not in result.message:
            click.echo(f"  Detail: {result.detail}")
        click.echo(f"  Request: {unquote(result.request)}")

    def changes(self, cycle: int, done: list[str]) -> None:
        click.echo(f"\nChanges in the source directory before cycle {cycle}: "
                   + ("; ".join(done) or "none"))

    def progress(self, done: int, total: int, name: str) -> None:
        if self._live:  # progress while it runs, for a person at a terminal only
            end = "\n" if done == total else ""
            click.echo(f"\r  {done}/{total} {name[:40]:<40}", nl=False, err=True)
            click.echo(end, nl=False, err=True)

    def cycle(self, result: CycleResult, directory: SourceDirectory) -> None:
        kind = "initial" if result.cycle == 1 else "incremental"
        click.echo(f"\nCycle {result.cycle} ({kind}): {len(directory.users)} users, "
                   f"{len(directory.groups)} groups in the source directory; "
                   f"{result.requests} requests sent")
        if not result.entries:
            click.echo("  Nothing to do: the target is in sync.")
        else:
            click.echo(_row("TIME", "TYPE", "NAME", "ACTION", "STATUS", "TARGET ID", "REQUEST"))
            for entry in result.entries:
                self._entry(entry)
        summary = "; ".join(f"{action}: " + ", ".join(f"{n} {s}" for s, n in statuses.items())
                            for action, statuses in result.counts.items())
        click.echo(f"Summary: {summary or 'no entries'}")

    def outcome(self, failed: int) -> None:
        if failed:
            click.echo(f"\n{failed} action(s) failed; exit status {EXIT_ACTIONS_FAILED}.")

    @staticmethod
    def _entry(entry: LogEntry) -> None:
        click.echo(_row(entry.time[11:19], entry.object_type, entry.display_name,
                        entry.action, entry.status, (entry.target_id or "-")[:12],
                        unquote(entry.request) or "-"))
        if entry.error_code:
            scim = ", ".join(part for part in (
                f"HTTP {entry.http_status}" if entry.http_status else "",
                f"status {entry.scim_status}" if entry.scim_status else "",
                f"scimType {entry.scim_type}" if entry.scim_type else "") if part)
            click.echo(f"    Error code: {entry.error_code}" + (f" ({scim})" if scim else ""))
            if entry.detail:
                click.echo(f"    Detail: {entry.detail}")
        if entry.reason:
            click.echo(f"    {entry.reason}")


def _row(time: str, kind: str, name: str, action: str, status: str, target: str,
         request: str) -> str:
    name = name if len(name) <= _NAME_WIDTH else name[:_NAME_WIDTH - 1] + "…"
    if len(request) > _REQUEST_WIDTH:
        request = request[:_REQUEST_WIDTH - 1] + "…"
    return (f"{time:<9}{kind:<6}{name:<{_NAME_WIDTH + 1}}{action:<8}{status:<8}"
            f"{target:<13}{request}")


def _emit(data: dict[str, Any]) -> None:
    click.echo(json.dumps(data, ensure_ascii=False))
