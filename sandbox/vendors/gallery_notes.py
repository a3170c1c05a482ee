"""What a profile built from a gallery record says about itself: its one-line description and
its `[doc]` notes (the source, the licence, and each fact and choice in our own words)."""

from __future__ import annotations

from typing import Any

from sandbox.vendors.gallery_attributes import Table
from sandbox.vendors.gallery_setup import tenant_url_as_written

LICENCE = ("Facts from the Microsoft Entra documentation (MicrosoftDocs/entra-docs, "
           "CC BY 4.0, Microsoft and contributors), restated in our own words.")
_URL_KINDS = {
    "fixed": "one URL for every customer",
    "template": "a URL each customer completes",
    "console": "shown in the vendor's console",
    "support": "sent by the vendor's support",
    "oauth_preset": "preset by the gallery app, with OAuth sign-in",
    "external_doc": "given in another document",
    "region_list": "one of a list of regional URLs",
    "none": "not said",
}


def one_line(record: dict[str, Any], users: Table | None, groups_table: Table | None,
             groups: bool) -> str:
    """The description served by `GET /_sandbox/vendors`."""
    what = "Users and groups" if groups else "Users only"
    if users is None:
        table = "the core User schema (the tutorial shows no readable user table)"
    else:
        table = (f"{len(users.rows)} user attributes from the tutorial's table "
                 f"({len(users.required)} required)")
    line = f"{what}; {table}"
    if groups and groups_table is not None:
        line += f", {len(groups_table.rows)} group attributes"
    dropped = _dropped(users, groups_table)
    if dropped:
        line += f"; rows left out: {', '.join(dropped)}"
    return line + "."


def doc_notes(record: dict[str, Any], users: Table | None, groups_table: Table | None,
              groups: bool, data: dict[str, Any]) -> dict[str, str]:
    """The profile's `[doc]` table."""
    source = record["source"]
    notes = {
        "source": str(source.get("path", "")),
        "url": str(source.get("url", "")),
        "commit": str(source.get("commit", "")),
        "licence": LICENCE,
        "resource_types": _groups_note(record, groups),
        "required": _required_note(users, groups_table),
        "filterable": _filterable_note(users, groups_table, data["resource_types"]),
        "tenant_url": _tenant_url_note(record, data["tenant_url"]),
        "secret": _secret_note(record, data["auth"]),
    }
    dropped = _dropped(users, groups_table)
    if dropped:
        notes["dropped_rows"] = (f"The tutorial's table also lists {', '.join(dropped)}, "
                                 "which name no attribute the sandbox can keep; they are "
                                 "left out.")
    if record["setup"].get("self_service") is False and data["auth"]["token_from"] != "support":
        notes["setup"] = ("The tutorial has the vendor's support take part in the setup; "
                          "the credentials themselves come from "
                          f"{_from_words(data['auth']['token_from'])}.")
    if isinstance(record.get("notes"), str) and record["notes"].strip():
        notes["notes"] = record["notes"].strip()
    return notes


def _dropped(*tables: Table | None) -> list[str]:
    return [name for table in tables if table is not None for name in table.dropped]


def _groups_note(record: dict[str, Any], groups: bool) -> str:
    said = record["capabilities"].get("groups")
    if said is True:
        return "The tutorial says Entra provisions groups, with their members, and users."
    if said is False:
        return "The tutorial says Entra provisions users only."
    if groups:
        return ("The tutorial does not say whether groups are provisioned but shows a group "
                "table, so the sandbox serves groups.")
    return ("The tutorial does not say whether groups are provisioned and shows no group "
            "table, so the sandbox serves users only.")


def _required_note(users: Table | None, groups_table: Table | None) -> str:
    if users is None:
        return "No readable table: no attribute is required beyond the core schema's."
    parts = [f"{kind} table marks {', '.join(t.required)} as required"
             for kind, t in (("The user", users), ("the group", groups_table))
             if t is not None and t.required]
    return ("; ".join(parts) + ".") if parts else "The tables mark no attribute as required."


def _filterable_note(users: Table | None, groups_table: Table | None,
                     types: dict[str, Any]) -> str:
    lines = []
    for name, table in (("user", users), ("group", groups_table)):
        if name.title() not in types:
            continue
        served = ", ".join(types[name.title()].get("filterable", []))
        if table is None:
            lines.append(f"No readable {name} table: filters may use {served}.")
        elif table.filterable:
            lines.append(f"The {name} table marks {', '.join(table.filterable)} as "
                         f"filterable.")
        else:
            lines.append(f"The {name} table marks no attribute as filterable; {served}, "
                         "Entra's matching attribute, is.")
    return " ".join(lines)


def _tenant_url_note(record: dict[str, Any], sandbox_url: str) -> str:
    kind = record["tenant_url"].get("kind")
    written = tenant_url_as_written(record)
    line = f"The Tenant URL is {_URL_KINDS.get(kind, 'not said')}"
    line += f": {written}." if written else "."
    return line + f" In the sandbox: {sandbox_url}."


def _secret_note(record: dict[str, Any], auth: dict[str, str]) -> str:
    said = record["auth"].get("kind")
    line = f"Entra signs in with {auth['kind']}, its secret called {auth['token_label']}, from "
    line += _from_words(auth["token_from"]) + "."
    if said != auth["kind"]:
        line += (f" (The tutorial's way, {said}, is served as a bearer secret: Entra sends "
                 "one secret with each request.)")
    return line


def _from_words(token_from: str) -> str:
    return {"console": "the vendor's admin console", "support": "the vendor's support",
            "self_chosen": "the admin, who makes it up",
            "oauth": "an OAuth sign-in"}.get(token_from, token_from)
