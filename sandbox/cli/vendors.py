"""`scim-sandbox vendors [QUERY]`: the vendors this sandbox emulates, or those whose id or
name holds QUERY, with what tells them apart (groups, auth kind, rules)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from sandbox.vendors import ProfileError

_ID_WIDTH = 32  # a longer id pushes its own line's columns, not every line's


@click.command(epilog="""\b
Examples:
  scim-sandbox vendors                 every vendor: the core profiles, then the gallery
  scim-sandbox vendors github          those whose id or name holds "github"
  scim-sandbox vendors --json asana    as JSON, with each Tenant URL shape""")
@click.argument("query", required=False, default="")
@click.option("--vendors", "vendors_dir", type=click.Path(exists=True, file_okay=False,
                                                          path_type=Path),
              help="A folder of extra vendors: profiles (*.toml) and gallery records (*.json).")
@click.option("--json", "as_json", is_flag=True,
              help="One JSON object: the vendors found, and the gallery records not served.")
def vendors(query: str, vendors_dir: Path | None, as_json: bool) -> None:
    """List the vendors this sandbox emulates, or find one by id or name (any case)."""
    from sandbox.vendors.catalog import Catalog
    from sandbox.vendors.vendor_search import find_vendors, holds

    try:
        catalog = Catalog.load(*([vendors_dir] if vendors_dir else []))
        if vendors_dir:
            catalog.check_urls()
        found = find_vendors(catalog, query)
    except ProfileError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        refused = [asdict(entry) for entry in catalog.not_served()
                   if holds(query, entry.id, entry.name)]
        click.echo(json.dumps({"vendors": [card.to_dict() for card in found],
                               "not_served": refused}, indent=2))
        return
    if not found:
        raise click.ClickException(f"no vendor's id or name holds {query!r}; "
                                   "`scim-sandbox vendors` lists them all.")
    width = min(max(len(card.id) for card in found), _ID_WIDTH)
    click.echo(f"{'id':<{width}}  {'name':<36} {'groups':<6} {'auth':<26} rules")
    for card in found:
        name = card.name if len(card.name) <= 36 else card.name[:35] + "…"
        click.echo(f"{card.id:<{width}}  {name:<36} {'yes' if card.groups else 'no':<6} "
                   f"{card.auth:<26} {card.rule_count}")
    if not query:
        click.echo(f"{len(found)} vendors; {len(catalog.not_served())} gallery apps are not "
                   "served (--json lists them with the reason).")
