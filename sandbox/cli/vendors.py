"""`scim-sandbox vendors`: the vendor profiles this sandbox emulates."""

from __future__ import annotations

from pathlib import Path

import click

from sandbox.vendors import ProfileError


@click.command()
@click.option("--vendors", "vendors_dir", type=click.Path(exists=True, file_okay=False,
                                                          path_type=Path),
              help="A folder of extra vendor profiles (*.toml).")
def vendors(vendors_dir: Path | None) -> None:
    """List the vendor profiles this sandbox emulates."""
    from sandbox.vendors import bundled_vendors_dir, load_profiles

    dirs = [bundled_vendors_dir(), *([vendors_dir] if vendors_dir else [])]
    try:
        profiles = load_profiles(*dirs)
    except ProfileError as exc:
        raise click.ClickException(str(exc)) from None
    for profile in profiles.values():
        types = ", ".join(profile.resource_types)
        click.echo(f"{profile.id:<14} {profile.name:<30} {types:<12} delete={profile.delete_mode}"
                   f"  {profile.tenant_url}")
