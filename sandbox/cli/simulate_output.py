"""What `scim-sandbox simulate` prints: a table like Entra's Provisioning logs, or JSON lines
(`--json`) for a script."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

import click

from sandbox.entra import ConnectionResult, CycleResult, LogEntry, ProvisioningConfig
from sandbox.entra.directory import SourceDirectory
from sandbox.entra.on_demand import IN_SCOPE, OnDemandResult

if TYPE_CHECKING:
    from sandbox.vendors import Profile

# Distinct from click's 2 (usage error), so a script can tell the three outcomes apart.
EXIT_CONNECTION_FAILED = 1
EXIT_ACTIONS_FAILED = 3
_NAME_WIDTH = 24
_REQUEST_WIDTH = 44


class JsonOutput:
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
        quarantine = result.quarantine.to_dict() if result.quarantine else None
        _emit({"event": "cycle", "cycle": result.cycle, "requests": result.requests,
               "counts": result.counts, "staged": result.staged,
               "escrow": len(result.state.escrow), "quarantine": quarantine})

    def on_demand(self, who: str, result: OnDemandResult) -> None:
        _emit({"event": "on_demand", "user": who, **result.to_dict()})

    def outcome(self, failed: int) -> None:
        pass  # the log entries and the exit status already say it


class TextOutput:
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
        if result.state.escrow:
            click.echo(f"Escrow: {len(result.state.escrow)} failed action(s) held for a retry "
                       "by the next cycle.")
        quarantine = result.quarantine
        if quarantine is not None:
            click.echo(f"Quarantine: {quarantine.status_text}.")
            click.echo(f"  Reason: {quarantine.reason}. {quarantine.detail}")
            click.echo(f"  Next attempt: {quarantine.next_attempt} (attempt "
                       f"{quarantine.series_count} in quarantine; a later --cycles run does "
                       "not wait for it).")

    def on_demand(self, who: str, result: OnDemandResult) -> None:
        click.echo(f"\nProvision on demand: {who}")
        for step in result.steps:
            click.echo(f"  [{step.status}] {step.title}: {step.summary}")
            if isinstance(step.details.get("request"), str):  # the match query
                click.echo(f"      {unquote(step.details['request'])}")
            for sent in step.details.get("requests", []):
                click.echo(f"      {unquote(sent['request'])} → HTTP {sent['http_status']}")
                if sent["body"] is not None:
                    click.echo("        " + json.dumps(sent["body"], ensure_ascii=False))
            if step.title == IN_SCOPE:
                for name, value in step.details.items():
                    if name != "Scoping filters":
                        click.echo(f"      {name}: {value}")
                for clause in step.details.get("Scoping filters", []):
                    verdict = "passes" if clause["passes"] else "fails"
                    click.echo(f"      Scoping filter {clause['filter']!r}: {verdict}")

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
        if entry.retry:
            click.echo(f"    Retry {entry.retry} of an action held in escrow.")
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
