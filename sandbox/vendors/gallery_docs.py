"""docs/gallery.md: every app the catalog serves, one table row each, generated from the
catalog so the page cannot drift from what the sandbox does.

`python scripts/generate_gallery_docs.py` writes the page; a test fails when the page differs
from what `render_gallery_page(Catalog.load())` gives. The words on the page come from the
profiles (`Rule.in_words()`) and the records (their summaries, written by us); no tutorial
text is shown, only a link to each tutorial.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sandbox.vendors.catalog import Catalog
from sandbox.vendors.profile import Profile

GALLERY_SOURCE = "https://github.com/MicrosoftDocs/entra-docs"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
# Extension attributes are long; the page shows them without this common prefix.
EXTENSION_PREFIX = "urn:ietf:params:scim:schemas:extension:"
MAX_REQUIRED = 8  # required attributes shown per resource type; the rest are counted
MAX_RULE_CHARS = 160  # a longer rule text is cut at a word


@dataclass(frozen=True, slots=True)
class GalleryCounts:
    """How many records ship and how the catalog uses them."""

    records: int  # every shipped gallery record, served or not
    apps: int  # gallery apps served: from their record or by a hand-written profile
    from_records: int  # of those, built from their record
    hand_written: int  # of those, served by a hand-written profile standing for the record
    not_served: int  # records whose status is not `scim`
    vendors: int  # every vendor id of the catalog (`generic` and the user's included)


def gallery_counts(catalog: Catalog) -> GalleryCounts:
    """The catalog's figures, as the page and the README state them."""
    from_records = sum(1 for vendor_id in catalog if catalog.is_record(vendor_id))
    hand_written = sum(1 for profile_id in catalog.covered().values() if profile_id in catalog)
    return GalleryCounts(records=len(catalog.record_ids()), apps=from_records + hand_written,
                         from_records=from_records, hand_written=hand_written,
                         not_served=len(catalog.not_served()), vendors=len(catalog))


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _text(text: str) -> str:
    """Plain text made safe in a table cell: no column break, no HTML tag, no emphasis."""
    for raw, safe in (("|", "\\|"), ("<", "&lt;"), (">", "&gt;"), ("*", "\\*"), ("\n", " ")):
        text = text.replace(raw, safe)
    return text


def _code(name: str) -> str:
    """An attribute name as code, the extension prefix left out."""
    return "`" + name.removeprefix(EXTENSION_PREFIX).replace("|", "\\|") + "`"


def shorten(text: str, limit: int = MAX_RULE_CHARS) -> str:
    """`text` up to `limit` characters, cut at a word and ended with an ellipsis when longer."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    if cut.count("`") % 2:  # a code span cut in two would swallow the rest of the cell
        cut = cut[:cut.rindex("`")].rstrip()
    return cut + "…"


def _required(profile: Profile) -> str:
    parts = []
    for rt in profile.resource_types.values():
        names = list(dict.fromkeys(r.written for r in rt.required))  # each once
        if not names:
            continue
        shown = ", ".join(_code(n) for n in names[:MAX_REQUIRED])
        more = len(names) - MAX_REQUIRED
        parts.append(f"{rt.name}: {shown}" + (f" and {more} more" if more > 0 else ""))
    return "; ".join(parts) or "RFC only"


def _rules(profile: Profile) -> str:
    lines = [f"documented only: {rule.summary}" if rule.kind == "other" else rule.in_words()
             for rule in profile.rules]
    return "<br>".join(_text(shorten(line.replace(EXTENSION_PREFIX, ""))) for line in lines
                       ) or "none"


def _links(catalog: Catalog, vendor_id: str, profile: Profile) -> str:
    if catalog.is_record(vendor_id):
        return f"[tutorial]({catalog.record(vendor_id)['source']['url']})"
    links = [f"[tutorial]({profile.doc['url']})"] if profile.doc.get("url") else []
    return ", ".join([*links, f"[page](vendors/{vendor_id}.md)"])


def _served_rows(catalog: Catalog) -> list[str]:
    rows = ["| app (vendor id) | groups | auth | required attributes | rules | tutorial |",
            "|---|---|---|---|---|---|"]
    profiles = sorted((catalog[v] for v in catalog), key=lambda p: (p.name.casefold(), p.id))
    for profile in profiles:
        groups = "yes" if "Group" in profile.resource_types else "no"
        rows.append(f"| {_text(profile.name)} (`{profile.id}`) | {groups} | "
                    f"{profile.auth.kind} | {_required(profile)} | {_rules(profile)} | "
                    f"{_links(catalog, profile.id, profile)} |")
    return rows


def _not_served_rows(catalog: Catalog) -> list[str]:
    rows = ["| app (record id) | status | why it is not served |", "|---|---|---|"]
    for record in sorted(catalog.not_served(), key=lambda r: (r.name.casefold(), r.id)):
        rows.append(f"| {_text(record.name)} (`{record.id}`) | `{record.status}` | "
                    f"{_text(record.reason)} |")
    return rows


def _introduction(counts: GalleryCounts, hand_written: Iterable[str]) -> list[str]:
    names = ", ".join(sorted(hand_written, key=str.casefold))
    by_hand = f"{counts.hand_written} by hand-written profiles" + (f" ({names})" if names else "")
    return [
        "# The Microsoft Entra gallery in the sandbox", "",
        "Source and licence: the facts on this page come from the provisioning tutorials of "
        "the Microsoft Entra documentation (public repository "
        f"[MicrosoftDocs/entra-docs]({GALLERY_SOURCE}), `docs/identity/saas-apps/`), "
        f"licensed under [CC BY 4.0]({LICENCE_URL}), © Microsoft Corporation and its "
        "contributors. They are restated in our own words; each app's record "
        "(`sandbox/vendors/gallery/records/<id>.json`) names the tutorial, the commit it was "
        "read at and its page. Neither Microsoft nor the vendors endorse them.", "",
        f"The sandbox serves {_count(counts.apps, 'app')} of the gallery: "
        f"{counts.from_records} built from their records and {by_hand}; "
        f"{counts.not_served} of the {_count(counts.records, 'record')} are not served "
        "(listed at the end). Each record holds what one tutorial states (attribute tables "
        "with their required and filterable flags, groups, sign-in, Tenant URL, limitations "
        "sorted into rule kinds with a summary of ours), and becomes a profile as "
        "[profiles.md](profiles.md#gallery-records-as-profiles) describes. The catalog also "
        "holds `generic`, a strict RFC 7643/7644 server.", "",
        "Find one with `scim-sandbox vendors QUERY` or `GET /_sandbox/vendors?q=QUERY`. "
        "Generated from the catalog by `python scripts/generate_gallery_docs.py`; do not "
        "edit by hand.", "",
        "How to read the table: **auth** is how Entra signs in; **required attributes** are "
        f"those the profile requires, at most {MAX_REQUIRED} per resource type "
        "(\"RFC only\": nothing beyond RFC 7643's `userName`, and a group's `displayName`); "
        "**rules** say what the sandbox does for each limitation of the tutorial "
        "(\"documented only\": shown, not enforced), a text over "
        f"{MAX_RULE_CHARS} characters cut short with …; **tutorial** links the Microsoft "
        "Entra tutorial, and for a hand-written profile its own page. Extension attributes "
        f"are written without `{EXTENSION_PREFIX}`.",
    ]


def render_gallery_page(catalog: Catalog) -> str:
    """The Markdown of docs/gallery.md for `catalog` (the bundled one for the shipped page)."""
    counts = gallery_counts(catalog)
    covered = catalog.covered()
    hand_written = [catalog[p].name for p in covered.values() if p in catalog]
    out = _introduction(counts, hand_written)
    out += ["", f"## Served apps ({counts.vendors} vendor ids)", "", *_served_rows(catalog)]
    out += ["", f"## Records not served ({counts.not_served})", "",
            *_not_served_rows(catalog), ""]
    return "\n".join(out)
