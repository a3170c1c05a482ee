"""`scim-sandbox import-tutorial`: a Microsoft Entra provisioning tutorial → a gallery record."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import click

_YES_NO = {True: "yes", False: "no", None: "unknown"}


def _attributes(rows: list[dict], table: str) -> str:
    filterable = sum(1 for row in rows if row["filterable"])
    required = sum(1 for row in rows if row["required"])
    return f"{len(rows)} (table: {table}; filterable {filterable}, required {required})"


def describe(record: dict) -> list[str]:
    """What the importer found, one fact a line."""
    auth, tenant, setup = record["auth"], record["tenant_url"], record["setup"]
    secret = f'secret "{auth["token_label"]}"' if auth.get("token_label") else "secret unnamed"
    where = tenant.get("value") or (f'label "{tenant["label"]}"' if tenant.get("label") else "")
    quirks = Counter(q["kind"] for q in record["quirks"])
    return [
        f"{record['app_name']} ({record['id']}), status {record['status']}",
        f"  user attributes   {_attributes(record['user_attributes'], record['user_table'])}",
        f"  group attributes  {_attributes(record['group_attributes'], record['group_table'])}",
        f"  groups            {_YES_NO[record['capabilities']['groups']]}",
        f"  auth              {auth['kind']}; {secret} (from: {auth.get('token_from') or '?'})",
        f"  Tenant URL        {tenant['kind']}" + (f" ({where})" if where else ""),
        f"  menu path         {' > '.join(setup['menu_path']) or '-'}"
        f" (console language {setup['language']})",
        "  quirks            " + (", ".join(f"{k} {n}" for k, n in quirks.items()) or "none"),
    ]


@click.command("import-tutorial")
@click.argument("tutorial", type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(path_type=Path),
              help="Folder to write <id>.json into (made when missing).")
@click.option("--id", "record_id", default=None,
              help="The record id, when the file name gives none (a copy named 000_<hash>.txt).")
@click.option("--commit", default=None,
              help="The docs repository commit the tutorial was read at (40 hex digits).")
def import_tutorial(tutorial: Path, out_dir: Path, record_id: str | None,
                    commit: str | None) -> None:
    """Read a Microsoft Entra provisioning tutorial (Markdown) into a gallery record.

    Writes DIR/<id>.json, valid against the gallery record schema; the id is the file name
    without '-provisioning-tutorial.md' (or '.md'). Prints what was found (attributes,
    groups, auth, Tenant URL, quirks) and what could not be read: a table shown only as a
    screenshot, a limitation no pattern classifies (kept as an 'other' quirk). Load the
    written folder with `serve --vendors DIR`.
    """
    from sandbox.vendors.importer import (
        NotATutorial,
        import_tutorial,
        record_id_for,
        schema_errors,
    )

    if not tutorial.is_file():
        raise click.ClickException(f"no tutorial file at {tutorial}")
    if commit is not None and not (len(commit) == 40 and set(commit) <= set("0123456789abcdef")):
        raise click.ClickException(f"--commit {commit!r} is not a 40-digit hex commit id")
    record_id = record_id or record_id_for(tutorial.name)
    if not record_id:
        raise click.ClickException(f"{tutorial.name} gives no record id: name it "
                                   "<id>-provisioning-tutorial.md or pass --id")
    try:
        text = tutorial.read_text(encoding="utf-8")
        result = import_tutorial(text, record_id, tutorial.name, commit)
    except UnicodeDecodeError:
        raise click.ClickException(f"{tutorial} is not UTF-8 text") from None
    except OSError as exc:
        raise click.ClickException(f"cannot read {tutorial}: {exc.strerror}") from None
    except (NotATutorial, ValueError) as exc:
        raise click.ClickException(f"{tutorial.name}: {exc}") from None
    errors = schema_errors(result.record)
    if errors:  # a reading we cannot stand behind is not written
        raise click.ClickException("the record does not fit the schema: " + "; ".join(errors))
    target = out_dir / f"{record_id}.json"
    if out_dir.exists() and not out_dir.is_dir():
        raise click.ClickException(f"cannot write to {out_dir}: it is a file, not a folder")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(result.record, indent=2, ensure_ascii=False) + "\n",
                          encoding="utf-8")
    except OSError as exc:
        raise click.ClickException(f"cannot write {target}: {exc.strerror or exc}") from None
    for line in describe(result.record):
        click.echo(line)
    if result.unread:
        click.echo("Could not read:")
        for gap in result.unread:
            click.echo(f"  - {gap}")
    click.echo(f"Wrote {target}")
