"""One tutorial in, one gallery record out (the format of `record.schema.json`), with a list of
what could not be read."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from sandbox.vendors.importer import capabilities, credentials, limitations, parts
from sandbox.vendors.importer import setup_reading as setup
from sandbox.vendors.importer.markdown_text import Tutorial, parse_tutorial

REPOSITORY = "MicrosoftDocs/entra-docs"
TUTORIALS_PATH = "docs/identity/saas-apps"
UNKNOWN_COMMIT = "0" * 40
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class NotATutorial(ValueError):
    """The text is no Microsoft Entra provisioning tutorial."""


@dataclass
class ImportResult:
    """The record made from a tutorial and what the importer could not read in it."""

    record: dict
    unread: list[str] = field(default_factory=list)


def record_id_for(file_name: str) -> str | None:
    """The record id a tutorial's file name gives, as the shared records name them (None when
    the name gives no valid id, as for a copy named `000_<hash>.txt`)."""
    stem = file_name.lower()
    for suffix in ("-provisioning-tutorial.md", ".md"):
        if stem.endswith(suffix):
            stem = stem.removesuffix(suffix)
            break
    else:
        return None
    return stem if _ID.match(stem) else None


def source_stem(file_name: str, record_id: str) -> str:
    """The tutorial's file stem in the docs repository (a seed copy is named by its id)."""
    if file_name.lower().endswith(".md"):
        return Path(file_name).stem
    return f"{record_id}-provisioning-tutorial"


def _is_tutorial(tutorial: Tutorial) -> bool:
    text = tutorial.text.lower()
    return "provision" in (tutorial.title + " " + text).lower() and bool(
        re.search(r"admin credentials|tenant url|secret token|provisioning mode", text))


def _table_kind(rows: list[dict], tutorial: Tutorial, step: str) -> str:
    if rows:
        return "parsed"
    for section in tutorial.sections:
        if parts.is_vendor_section(section):
            continue
        for block in section.blocks():
            if block.has_image and re.search(step, block.text, re.I):
                return "image"
    return "none"


def _quirks(tutorial: Tutorial, names: list[str], unread: list[str]) -> list[dict]:
    quirks: list[dict] = []
    for heading, number, item in parts.limitation_items(tutorial):
        found = limitations.classify(item, names)
        if not found:
            found = [limitations.unclassified(heading, number)]
            unread.append(f"limitation {number} of '{heading}': no pattern fits; kept as an "
                          "'other' quirk")
        quirks += found
    for item in parts.change_log_items(tutorial):
        quirks += limitations.classify(item, names)
    unique: list[dict] = []
    for quirk in quirks:
        if not any(q["kind"] == quirk["kind"] and q.get("attribute") == quirk.get("attribute")
                   and q["kind"] != "other" for q in unique):
            unique.append(quirk)
    return unique


def _status(tutorial: Tutorial, auth_kind: str, tenant_kind: str) -> str:
    opening = " ".join(s.text for s in tutorial.sections[:2]).lower()
    if re.search(r"\binbound\b|\bto (microsoft )?entra\b|api-driven", tutorial.title, re.I):
        return "inbound"
    if re.search(r"\b(is|has been|was) (deprecated|retired)\b", opening):
        return "deprecated"
    if auth_kind == "basic" and tenant_kind == "none":
        return "non_scim"
    return "scim"


def import_tutorial(text: str, record_id: str, file_name: str = "",
                    commit: str | None = None) -> ImportResult:
    """Read one tutorial's Markdown into a gallery record with the id `record_id`."""
    if not _ID.match(record_id):
        raise ValueError(f"{record_id!r} is no record id (lower-case letters, digits, '-')")
    tutorial = parse_tutorial(text)
    if not _is_tutorial(tutorial):
        raise NotATutorial("this is not a Microsoft Entra provisioning tutorial (no "
                           "provisioning setup with Admin Credentials found)")
    unread: list[str] = []
    app = setup.app_name(tutorial)
    tables = parts.attribute_tables(tutorial)
    users = [row for t in tables if t.of == "user" for row in t.rows]
    groups = [row for t in tables if t.of == "group" for row in t.rows]
    user_table = _table_kind(users, tutorial, r"user attributes|synchroni[sz]e .*users to")
    group_table = _table_kind(groups, tutorial, r"group attributes|synchroni[sz]e .*groups to")
    caps, unread_items = capabilities.read_capabilities(tutorial, group_table != "none")
    vendor = parts.vendor_text(tutorial)
    creds = "\n".join(block.text for block in parts.credential_blocks(tutorial))
    path = setup.menu_path(vendor)
    auth = credentials.read_auth(creds, vendor, bool(path))
    tenant = credentials.read_tenant_url(creds, vendor, tutorial.text, auth["kind"])
    names = [row["name"] for row in users + groups]
    quirks = _quirks(tutorial, names, unread)
    auth["token_lifetime_days"] = next((q["days"] for q in quirks if q["kind"] ==
                                        "token_expires" and "days" in q), None)
    prerequisites, unread_prerequisites = setup.prerequisites(tutorial, app)
    setup_texts = "\n".join(s.text for s in parts.vendor_sections(tutorial))
    self_service = not (credentials.SUPPORT.search(setup_texts + "\n" + creds) and not path)
    labels = [*path, auth.get("token_label") or "", tenant.get("label") or ""]
    stem = source_stem(file_name, record_id)
    record = {
        "id": record_id,
        "app_name": app,
        "source": {"repository": REPOSITORY, "path": f"{TUTORIALS_PATH}/{stem}.md",
                   "commit": commit or UNKNOWN_COMMIT, "ms_date": tutorial.front.get("ms.date"),
                   "url": f"https://learn.microsoft.com/entra/identity/saas-apps/{stem}"},
        "status": _status(tutorial, auth["kind"], tenant["kind"]),
        "capabilities": caps,
        "auth": auth,
        "tenant_url": tenant,
        "setup": {"self_service": self_service, "menu_path": path,
                  "language": setup.console_language(labels), "prerequisites": prerequisites},
        "user_table": user_table, "user_attributes": users,
        "group_table": group_table, "group_attributes": groups,
        "matching": {"user": None, "group": None},
        "quirks": quirks,
        "notes": f"Read by scim-sandbox import-tutorial from {file_name or 'a tutorial'}.",
    }
    unread += _gaps(record, commit, unread_items, unread_prerequisites)
    return ImportResult(record, unread)


def _gaps(record: dict, commit: str | None, items: int, prerequisites: int) -> list[str]:
    gaps = []
    for table in ("user", "group"):
        if record[f"{table}_table"] == "image":
            gaps.append(f"{table} attribute table: shown only as a screenshot")
    if record["user_table"] == "none":
        gaps.append("user attribute table: none in the tutorial")
    if record["tenant_url"]["kind"] == "none":
        gaps.append("Tenant URL: the tutorial does not say where it comes from")
    if record["auth"]["kind"] == "bearer" and not record["auth"]["token_label"]:
        gaps.append("secret: no label for it found")
    if items:
        gaps.append(f"capabilities checklist: {items} item(s) not read")
    if prerequisites:
        gaps.append(f"prerequisites: {prerequisites} item(s) not restated")
    if not commit:
        gaps.append(f"source commit: unknown (give --commit); written as {UNKNOWN_COMMIT[:8]}...")
    return gaps
