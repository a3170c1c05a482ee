"""`scim-sandbox serve`: the sandbox on a production WSGI server, with its demo tenants."""

from __future__ import annotations

import json
import signal
from errno import EACCES, EADDRINUSE, EADDRNOTAVAIL
from pathlib import Path
from typing import Any

import click

from sandbox import __version__
from sandbox.config import JOURNAL_SIZE, SandboxConfig, is_http_url
from sandbox.vendors import ProfileError


def _check_token(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from sandbox.service.registry import token_problem

    if value is not None and token_problem(value):
        raise click.BadParameter(f"{token_problem(value)}; for example: demo-token-123.")
    return value


def _check_data_file(ctx: click.Context, param: click.Parameter,
                     value: Path | None) -> Path | None:
    # A mistyped folder would otherwise become a new, empty store that nobody looks at.
    if value is not None and not value.absolute().parent.is_dir():
        raise click.BadParameter(f"the folder {value.absolute().parent} does not exist; create "
                                 "it first or choose a file in an existing folder.")
    return value


def _check_public_url(ctx: click.Context, param: click.Parameter,
                      value: str | None) -> str | None:
    if value is not None and not is_http_url(value):
        raise click.BadParameter(f"{value!r} is not an absolute http(s) URL with a host; "
                                 "for example: https://scim.example.com")
    return value


def _read_snapshot(ctx: click.Context, param: click.Parameter,
                   value: Path | None) -> tuple[Path, Any] | None:
    """The file and its JSON; a missing or unreadable file is a usage error before anything
    starts (its content is checked once the vendors are loaded)."""
    if value is None:
        return None
    try:
        return value, json.loads(value.read_text(encoding="utf-8"))
    except OSError as exc:
        raise click.BadParameter(f"cannot read {value}: {exc.strerror}.") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise click.BadParameter(f"{value} is not a JSON snapshot ({exc}); write one with "
                                 "GET /_sandbox/snapshot.") from None


def _split_ids(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[str, ...]:
    """`slack, zoom` → ("slack", "zoom"); which ids exist is checked once the catalog loads."""
    return tuple(dict.fromkeys(part.strip() for part in (value or "").split(",") if part.strip()))


@click.command(epilog="""\b
Examples:
  scim-sandbox serve
  scim-sandbox serve --port 9000 --token demo-token-123 --admin-token admin-secret
  scim-sandbox serve --data sandbox.json --seed-users 100 --seed 42
  scim-sandbox serve --demo-vendors asana,miro
  scim-sandbox serve --load sandbox-snapshot.json
  SCIM_SANDBOX_TOKEN=demo-token-123 scim-sandbox serve --host 0.0.0.0

Every option with an environment variable can be set by it (the Docker image does so).""")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="Port to listen on.")
@click.option("--admin-token", envvar="SCIM_SANDBOX_ADMIN_TOKEN", show_envvar=True,
              help="Bearer token of the admin API (default: a random one, printed).")
@click.option("--token", envvar="SCIM_SANDBOX_TOKEN", show_envvar=True, callback=_check_token,
              help="Secret token of every demo tenant, also of those a --data file kept "
                   "(default: a random one each, kept in the data file).")
@click.option("--vendors", "vendors_dir", envvar="SCIM_SANDBOX_VENDORS", show_envvar=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A folder of extra vendors: profiles (*.toml) and gallery records (*.json).")
@click.option("--demo-vendors", envvar="SCIM_SANDBOX_DEMO_VENDORS", show_envvar=True,
              callback=_split_ids,
              help="Comma-separated vendor ids (e.g. gallery apps: asana,miro) that get a demo "
                   "tenant too, beside the core profiles' (`scim-sandbox vendors QUERY` "
                   "finds an id).")
@click.option("--data", "data_file", envvar="SCIM_SANDBOX_DATA", show_envvar=True,
              type=click.Path(dir_okay=False, path_type=Path), callback=_check_data_file,
              help="Keep tenants and their data in this file across restarts (default: in "
                   "memory). Every acknowledged write is fsynced first. Its folder must exist.")
@click.option("--load", "snapshot", envvar="SCIM_SANDBOX_LOAD", show_envvar=True,
              type=click.Path(dir_okay=False, path_type=Path), callback=_read_snapshot,
              help="Start from a whole-sandbox snapshot (GET /_sandbox/snapshot): its tenants "
                   "replace every other, demo tenants included, and open with the secrets "
                   "they had.")
@click.option("--public-url", envvar="SCIM_SANDBOX_PUBLIC_URL", show_envvar=True,
              callback=_check_public_url,
              help="Absolute root URL clients reach the sandbox at (default: from each request).")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 1024),
              help="Worker threads.")
@click.option("--journal-size", default=JOURNAL_SIZE, show_default=True,
              envvar="SCIM_SANDBOX_JOURNAL_SIZE", show_envvar=True,
              type=click.IntRange(1, 1_000_000),
              help="Requests kept in each tenant's journal; the oldest fall off.")
@click.option("--seed-users", default=0, show_default=True, envvar="SCIM_SANDBOX_SEED_USERS",
              show_envvar=True,
              type=click.IntRange(0, 100_000),
              help="Fake users to seed into every demo tenant (groups too, where the vendor "
                   "has them: one per 25 users).")
@click.option("--seed", "seed_value", default=0, show_default=True, envvar="SCIM_SANDBOX_SEED",
              show_envvar=True,
              type=int, help="Seed of the fake data: the same seed gives the same data.")
def serve(host: str, port: int, admin_token: str | None, token: str | None,
          vendors_dir: Path | None, demo_vendors: tuple[str, ...], data_file: Path | None,
          snapshot: tuple[Path, Any] | None, public_url: str | None, threads: int,
          journal_size: int, seed_users: int, seed_value: int) -> None:
    """Serve the sandbox on a production WSGI server, with a demo tenant of each core
    vendor (and of each one --vendors or --demo-vendors adds)."""
    # The server's layers load only when it starts: `simulate` and `vendors` need none.
    import secrets

    if snapshot is not None and seed_users:
        raise click.UsageError("--load and --seed-users do not go together: the snapshot's "
                               "tenants bring their own users and groups.")
    from waitress import create_server

    from sandbox.app import create_app
    from sandbox.http.admin_routes import tenant_json
    from sandbox.service.registry import SandboxError
    from sandbox.store import StoreFileError

    config = SandboxConfig(
        admin_token=admin_token or secrets.token_urlsafe(24),
        demo_token=token,
        vendors_dirs=(vendors_dir,) if vendors_dir else (),
        demo_vendors=demo_vendors,
        public_url=public_url,
        data_file=data_file,
        journal_size=journal_size,
    )
    try:
        app = create_app(config)
    except (ProfileError, StoreFileError, SandboxError) as exc:
        raise click.ClickException(str(exc)) from None
    except ValueError as exc:  # a demo vendor that is no vendor: the close ids are named
        raise click.ClickException(f"--demo-vendors: {exc}") from None
    except OSError as exc:  # e.g. a data file or its log this user may not read or write
        raise click.ClickException(
            f"cannot open the data file: {exc.filename or data_file}: {exc.strerror}. Check "
            "that this user may read and write it, its .log file and its folder.") from None
    sandbox = app.extensions["scim_sandbox"]
    if snapshot is not None:
        _load_snapshot(sandbox, *snapshot)
    try:
        # Listen before saying so: a taken port is an error line, not a banner and a traceback.
        server = create_server(app, host=host, port=port, threads=threads, ident="scim-sandbox")
    except (OSError, ValueError) as exc:  # waitress: ValueError for a host it cannot resolve
        sandbox.store.close()
        raise click.ClickException(_listen_problem(host, port, exc)) from None
    # SIGTERM (docker stop) ends the server like Ctrl-C, so the data file is compacted and
    # closed; no acknowledged write depends on it, each was fsynced before its answer.
    signal.signal(signal.SIGTERM, _stop)
    try:
        if seed_users:
            _seed_demo_tenants(sandbox.tenants(), seed_users, seed_value)
        _print_banner(host, port, public_url, config.admin_token, sandbox, data_file,
                      tenant_json)
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        sandbox.store.close()
        click.echo("scim-sandbox stopped.")


def _load_snapshot(sandbox: Any, path: Path, document: Any) -> None:
    """Make the snapshot every tenant; a refused one is a usage error and changes nothing."""
    from sandbox.scim.errors import ScimError
    from sandbox.service.sandbox_snapshots import restore_sandbox

    try:
        restore_sandbox(sandbox, document)
    except ScimError as exc:
        sandbox.store.close()
        raise click.BadParameter(f"{path}: {exc.detail}", param_hint="'--load'") from None


def _listen_problem(host: str, port: int, exc: Exception) -> str:
    where = f"cannot listen on {host}:{port}"
    errno = getattr(exc, "errno", None)
    if errno == EADDRINUSE:
        return (f"{where}: the port is in use. Another program may be using it: stop it or "
                "choose another with --port.")
    if errno == EACCES:
        return f"{where}: permission denied. Choose a port above 1023 with --port."
    if errno == EADDRNOTAVAIL or isinstance(exc, ValueError):
        return (f"{where}: {host!r} is not an address of this machine. Give one of its "
                "addresses or names with --host (0.0.0.0 for all).")
    return f"{where}: {getattr(exc, 'strerror', None) or exc}. Check --host and --port."


# The credentials of a tenant answer, by auth kind, as the banner names them.
_CREDENTIAL_LABELS = (("token", "Secret Token"), ("username", "Username"),
                      ("password", "Password"), ("client_id", "Client ID"),
                      ("client_secret", "Client Secret"), ("token_url", "Token URL"),
                      ("authorize_url", "Authorize URL"))


def _print_banner(host: str, port: int, public_url: str | None, admin_token: str | None,
                  sandbox: Any, data_file: Path | None, tenant_json: Any) -> None:
    shown_host = "localhost" if host in ("0.0.0.0", "::", "127.0.0.1") else host
    root = (public_url or f"http://{shown_host}:{port}").rstrip("/") + "/"
    click.echo(f"scim-sandbox {__version__} listening on http://{host}:{port}")
    click.echo(f"Console:   {root}  (sign in with the admin token)")
    click.echo(f"Admin API: {root}_sandbox  (admin token: {admin_token})")
    click.echo("Demo tenants (paste into the provisioning client):")
    for tenant in sandbox.tenants():
        info = tenant_json(tenant, root)
        click.echo(f"  {tenant.profile.name:<31} Tenant URL:   {info['tenant_url']}")
        for key, label in _CREDENTIAL_LABELS:  # what this vendor's auth kind needs
            if key in info:
                # A tenant loaded from a snapshot knows only its secret's digest.
                shown = info[key] if info[key] is not None else "(as when the snapshot was taken)"
                click.echo(f"  {'':<31} {label + ':':<13} {shown}")
    if data_file:
        click.echo(f"Data file: {data_file} (kept across restarts)")


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _seed_demo_tenants(tenants: list, users: int, seed: int) -> None:
    from sandbox.service.seeding import seed_tenant

    total = users * len(tenants)
    with click.progressbar(length=total, label="Seeding demo tenants", file=None) as bar:
        for tenant in tenants:
            done = 0

            def advance(count: int, _total: int) -> None:
                nonlocal done
                bar.update(min(count, users) - done)
                done = min(count, users)

            seed_tenant(tenant, users=users, groups=users // 25, seed=seed, progress=advance)
            bar.update(users - done)
