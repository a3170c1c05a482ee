"""Where things are in a tutorial: the vendor-side setup, the Admin Credentials step, the
limitation lists, the attribute tables with the step that introduces each."""

from __future__ import annotations

import re

from sandbox.vendors.importer.markdown_text import BOLD, Block, Section, Tutorial, plain
from sandbox.vendors.importer.tables import AttributeTable, find_tables, read_attribute_table

_VENDOR_HEADING = re.compile(r"to support (\w+ )?provisioning|for (scim )?provisioning|"
                             r"(set ?up|configure|configuring|enable) .*\bscim\b", re.I)
_ENTRA_HEADING = re.compile(r"automatic|gallery|scope|monitor|assign|plan your", re.I)
_LIMITS_HEADING = re.compile(r"limitation|known issue|restriction", re.I)
_CHANGES_HEADING = re.compile(r"change ?log", re.I)
# Labels of the Entra admin center, which are no part of a vendor's console.
ENTRA_LABELS = re.compile(r"^(entra id|identity|applications|enterprise app\w*|all applications|"
                          r"new application|provisioning|microsoft entra( id| admin center)?)$",
                          re.I)
_STEP_MARK = re.compile(r"^\s*(?:\d+[.)]|[*+-])\s+")
_LIST_ITEM = re.compile(r"^(?:\d+[.)]|[*+-])\s+")


def is_vendor_section(section: Section) -> bool:
    """Whether a section is the vendor-side setup (by its own or its parent's heading)."""
    for heading in (section.heading, section.parent):
        if section.level > 1 and _VENDOR_HEADING.search(heading) and not _ENTRA_HEADING.search(
                heading):
            return True
    return False


def vendor_sections(tutorial: Tutorial) -> list[Section]:
    """The sections that set the app itself up, in order."""
    return [s for s in tutorial.sections if is_vendor_section(s)]


def menu_chains(text: str) -> list[list[str]]:
    """Each `A > B > C` chain of bold labels (in one bold or one bold per label)."""
    chains = []
    for line in text.splitlines():
        joined = BOLD.sub(lambda m: "\x00" + (m.group(1) or m.group(2)) + "\x01", line)
        for run in re.findall(r"\x00[^\x00]*?\x01(?:\s*(?:>|&gt;|→)\s*\x00[^\x00]*?\x01)*",
                              joined):
            labels = [plain(p) for p in re.split(r"\s*(?:>|&gt;|→)\s*", run.replace(
                "\x00", "").replace("\x01", "")) if plain(p)]
            if len(labels) > 1 and not any(ENTRA_LABELS.match(label) for label in labels):
                chains.append(labels)
    return chains


def credential_blocks(tutorial: Tutorial) -> list[Block]:
    """The Entra step(s) that fill in Admin Credentials (Tenant URL and secret)."""
    blocks = [b for s in tutorial.sections if not is_vendor_section(s) for b in s.blocks()]
    found = [b for b in blocks if re.search(r"admin credentials", b.text, re.I)]
    if not found:
        found = [b for b in blocks if re.search(r"tenant url|secret token", b.text, re.I)]
    return found


def vendor_text(tutorial: Tutorial) -> str:
    """Text about the app's own console: its setup sections, and credential steps that point
    into that console with a menu chain."""
    parts = [s.text for s in vendor_sections(tutorial)]
    parts += [b.text for b in credential_blocks(tutorial) if menu_chains(b.text)]
    return "\n".join(parts)


def list_items(section: Section) -> list[str]:
    """A section's items: each bullet or numbered item (with its indented lines), or each
    paragraph where the section has no list."""
    items: list[str] = []
    for block in section.blocks():
        text = block.text
        if not _STEP_MARK.match(text) and items and block.lines[0].startswith((" ", "\t")):
            items[-1] += " " + text
            continue
        items.append(_LIST_ITEM.sub("", text.strip()))
    return [" ".join(i.split()) for i in items if i.strip() and not i.strip().startswith("![")]


def limitation_items(tutorial: Tutorial) -> list[tuple[str, int, str]]:
    """(section heading, item number, item text) of every limitation list."""
    found = []
    for section in tutorial.sections:
        if _LIMITS_HEADING.search(section.heading):
            found += [(section.heading, n, item)
                      for n, item in enumerate(list_items(section), start=1)]
    return found


def change_log_items(tutorial: Tutorial) -> list[str]:
    """The change log's entries (some state a rate limit or schema discovery)."""
    return [item for s in tutorial.sections if _CHANGES_HEADING.search(s.heading)
            for item in list_items(s)]


def _whose(context: str, rows: list[dict]) -> str:
    lowered = context.lower()
    user_at = max(lowered.rfind("user attribute"), lowered.rfind("users to"))
    group_at = max(lowered.rfind("group attribute"), lowered.rfind("groups to"))
    if group_at > user_at:
        return "group"
    if user_at < 0 and any(r["name"].lower() == "members" for r in rows):
        return "group"
    return "user"


def attribute_tables(tutorial: Tutorial) -> list[AttributeTable]:
    """Every attribute table, each told apart as the users' or the groups' by its step."""
    found = []
    for section in tutorial.sections:
        lines = section.lines
        for start, rows in find_tables(lines):
            back = start
            while back > 0 and not _STEP_MARK.match(lines[back]) and start - back < 12:
                back -= 1
            context = "\n".join(lines[back:start])
            table = read_attribute_table(rows, "user")
            if table:
                table.of = _whose(context, table.rows)
                found.append(table)
    return found
