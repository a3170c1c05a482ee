"""docs/gallery.md is what the catalog renders: the attribution first, one row per served
vendor, every record that is not served with its reason, and cells that stay readable."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sandbox.vendors.catalog import RECORDS_DIR, Catalog
from sandbox.vendors.gallery_docs import (
    MAX_REQUIRED,
    MAX_RULE_CHARS,
    gallery_counts,
    render_gallery_page,
    shorten,
)

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "gallery.md"
_ID_CELL = re.compile(r"\(`([^`]+)`\)")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load()


def _shipped_statuses() -> dict[str, str]:
    return {p.stem: json.loads(p.read_text("utf-8"))["status"] for p in RECORDS_DIR.glob("*.json")}


def _table(page: str, heading: str) -> list[list[str]]:
    """The rows of the table under `heading`, each as its cells (escaped pipes kept)."""
    section = page[page.index(heading):].split("\n\n")[1]
    rows = [line for line in section.splitlines() if line.startswith("|")][2:]
    return [[cell.strip() for cell in re.split(r"(?<!\\)\|", row)[1:-1]] for row in rows]


def _ids(rows: list[list[str]]) -> list[str]:
    return [_ID_CELL.search(row[0]).group(1) for row in rows]


def test_the_page_is_what_the_catalog_renders(catalog):
    assert PAGE.read_text(encoding="utf-8") == render_gallery_page(catalog), (
        f"{PAGE} is stale: run python scripts/generate_gallery_docs.py")


def test_the_attribution_comes_first():
    """The Microsoft Entra documentation is CC BY 4.0: its source and licence are named
    before anything taken from it."""
    page = PAGE.read_text(encoding="utf-8")
    first = page.split("\n\n")[1]
    for words in ("Microsoft Entra documentation", "MicrosoftDocs/entra-docs", "CC BY 4.0",
                  "creativecommons.org/licenses/by/4.0", "our own words", "commit"):
        assert words in first


def test_every_served_vendor_has_one_row_sorted_by_name(catalog):
    rows = _table(PAGE.read_text(encoding="utf-8"), "## Served apps")
    assert sorted(_ids(rows)) == sorted(catalog)
    assert len(rows) == len(catalog) > 200
    names = [row[0].rsplit(" (`", 1)[0].casefold() for row in rows]
    assert names == sorted(names)
    assert all(len(row) == 6 for row in rows)


def test_every_record_that_is_not_served_is_listed_with_its_status():
    statuses = _shipped_statuses()
    rows = _table(PAGE.read_text(encoding="utf-8"), "## Records not served")
    assert sorted(_ids(rows)) == sorted(i for i, s in statuses.items() if s != "scim")
    for row in rows:
        assert row[1] == f"`{statuses[_ID_CELL.search(row[0]).group(1)]}`"
        assert row[2]


def test_the_counts_are_the_records(catalog):
    statuses = _shipped_statuses()
    counts = gallery_counts(catalog)
    assert counts.records == len(statuses)
    assert counts.apps == sum(1 for s in statuses.values() if s == "scim")
    assert counts.not_served == counts.records - counts.apps
    assert counts.hand_written == len(catalog.covered()) == 5
    assert counts.vendors == len(catalog) == counts.from_records + 6  # + the six TOML ones
    page = PAGE.read_text(encoding="utf-8")
    assert f"serves {counts.apps} apps of the gallery" in page


def test_a_hand_written_profile_links_its_tutorial_and_its_page(catalog):
    rows = {row[0]: row for row in _table(PAGE.read_text(encoding="utf-8"), "## Served apps")}
    velpic = rows["Velpic (`velpic`)"]
    assert velpic[1] == "no" and velpic[2] == "bearer"
    assert "[page](vendors/velpic.md)" in velpic[5]
    assert "velpic-provisioning-tutorial" in velpic[5]
    assert (ROOT / "docs" / "vendors" / "velpic.md").is_file()
    generic = rows["Generic SCIM 2.0 (`generic`)"]
    assert generic[5] == "[page](vendors/generic.md)"
    vault = rows["Vault Platform (`vaultplatform`)"]
    assert vault[2] == "bearer" and vault[3].endswith(f"and {11 - MAX_REQUIRED} more")


def test_a_gallery_row_states_groups_auth_required_rules_and_tutorial(tmp_path, make_record,
                                                                     write_record):
    quirks = [
        {"kind": "max_length", "attribute": "userName", "max": 40, "summary": "Short names."},
        {"kind": "other", "summary": "Badges are printed | not synced."},
    ]
    write_record(make_record(auth={"kind": "basic", "token_label": "Password",
                                   "token_from": "console", "token_lifetime_days": None},
                             groups=True, quirks=quirks), tmp_path)
    catalog = Catalog.load(tmp_path, bundled=False)
    row = _table(render_gallery_page(catalog), "## Served apps")[0]
    assert row[0] == "Acme HR (`acme-hr`)"
    assert row[1:3] == ["yes", "basic"]
    assert row[3].startswith('User: `userName`, `emails[type eq "work"].value`')
    assert row[4].split("<br>") == [
        "userName longer than 40 characters is refused with 400 invalidValue",
        "documented only: Badges are printed \\| not synced."]
    assert row[5] == ("[tutorial](https://learn.microsoft.com/entra/identity/saas-apps/"
                      "acme-hr-provisioning-tutorial)")


def test_long_cells_are_shortened(tmp_path, make_record, write_record):
    long_summary = "The app " + "keeps a very long explanation here " * 10 + "at the end."
    attributes = [{"name": name, "type": "String", "filterable": True, "required": True}
                  for name in ("userName", "displayName", "title", "nickName", "locale",
                               "timezone", "profileUrl", "userType", "preferredLanguage",
                               "title", "urn:ietf:params:scim:schemas:extension:acme:2.0:"
                               "User:site")]
    write_record(make_record(user_attributes=attributes,
                             quirks=[{"kind": "other", "summary": long_summary}]), tmp_path)
    row = _table(render_gallery_page(Catalog.load(tmp_path, bundled=False)),
                 "## Served apps")[0]
    assert row[3].count("`") == 2 * MAX_REQUIRED and row[3].endswith("and 2 more")
    rule = row[4]
    assert rule.endswith("…") and len(rule) <= MAX_RULE_CHARS
    assert "at the end" not in rule


def test_an_attribute_required_twice_is_shown_once(tmp_path, make_record, write_record):
    """A required row and a rule requiring the same attribute: the profile requires it
    once, and the page names it once."""
    quirks = [{"kind": "attribute_required_by_text", "attribute": "userName",
               "summary": "A user name must be sent."}]
    write_record(make_record(quirks=quirks), tmp_path)
    catalog = Catalog.load(tmp_path, bundled=False)
    written = [r.written for r in catalog["acme-hr"].resource_types["User"].required]
    assert written.count("userName") == 1
    row = _table(render_gallery_page(catalog), "## Served apps")[0]
    assert row[3] == 'User: `userName`, `emails[type eq "work"].value`'


def test_an_extension_attribute_is_shown_without_the_common_prefix(tmp_path, make_record,
                                                                    write_record):
    site = "urn:ietf:params:scim:schemas:extension:acme:2.0:User:site"
    attributes = [{"name": "userName", "type": "String", "filterable": True, "required": True},
                  {"name": site, "type": "String", "filterable": False, "required": True}]
    write_record(make_record(user_attributes=attributes), tmp_path)
    row = _table(render_gallery_page(Catalog.load(tmp_path, bundled=False)),
                 "## Served apps")[0]
    assert row[3] == "User: `userName`, `acme:2.0:User:site`"


def test_a_record_not_served_is_listed_with_its_reason(tmp_path, make_record, write_record):
    write_record(make_record(), tmp_path)
    write_record(make_record(id="old-app", app_name="Old App", status="deprecated"), tmp_path)
    page = render_gallery_page(Catalog.load(tmp_path, bundled=False))
    assert _ids(_table(page, "## Served apps")) == ["acme-hr"]
    assert _table(page, "## Records not served") == [
        ["Old App (`old-app`)", "`deprecated`",
         "the tutorial marks the provisioning integration as deprecated"]]
    assert "serves 1 app of the gallery" in page and "1 of the 2 records are not served" in page


def test_shorten_cuts_at_a_word_and_never_leaves_a_code_span_open():
    assert shorten("short text", 20) == "short text"
    assert shorten("one two three four", 12) == "one two…"
    assert shorten("see `a long attribute name` here", 20) == "see…"
    assert shorten("a   spaced\ntext", 40) == "a spaced text"
