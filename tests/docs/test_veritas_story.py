"""Veritas: the README, the vendor page, the profile and the Entra simulator tell one story.

The tutorial's attribute table (vendor-docs/004) lists userName and the work email as
filterable, userName first, and marks no other matching precedence; so Entra matches on
userName, and every place that says what Veritas matches on must say that.
"""

from __future__ import annotations

import re
from pathlib import Path

from sandbox.entra.mappings import default_mappings, matching_mapping
from sandbox.vendors import bundled_vendors_dir, load_profiles

ROOT = Path(__file__).resolve().parents[2]
VERITAS = load_profiles(bundled_vendors_dir())["veritas"]
ALIASES = "urn:ietf:params:scim:schemas:extension:veritas:2.0:User:emailAliases"
# "matches on X", "matched on X", "match users on X": X runs to the next punctuation.
_MATCHED_ON = re.compile(r"\bmatch(?:es|ed)? (?:users )?on ([^.;(|]+)", re.IGNORECASE)


def _matched_on(text: str) -> set[str]:
    return {m.group(1).strip().strip("`").strip() for m in _MATCHED_ON.finditer(text)}


def _readme_row() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return next(line for line in readme.splitlines() if line.startswith("| [`veritas`]"))


def test_the_simulator_matches_veritas_users_on_username():
    matching = matching_mapping(default_mappings(VERITAS))
    assert (matching.source, matching.target) == ("userPrincipalName", "userName")


def test_the_vendor_page_and_the_profile_say_userName_and_nothing_else():
    page = (ROOT / "docs" / "vendors" / "veritas.md").read_text(encoding="utf-8")
    assert _matched_on(VERITAS.description) == {"userName"}
    assert _matched_on(page) == {"userName"}
    # The tutorial's fact behind it, in our words, shown on the page.
    assert VERITAS.doc["matching"].startswith("userName is the first filterable")
    assert f"`matching`: {VERITAS.doc['matching']}" in page


def test_the_readme_says_what_the_simulator_does():
    row = _readme_row()
    simulator = matching_mapping(default_mappings(VERITAS)).target
    assert _matched_on(row) == {simulator}


def test_emailaliases_is_multi_valued_and_the_page_says_why():
    urn = ALIASES.rsplit(":", 1)[0]
    extension = next(e for e in VERITAS.resource_types["User"].schema.extensions if e.id == urn)
    aliases = next(a for a in extension.attributes if a.name == "emailAliases")
    assert aliases.multi_valued and aliases.type == "string"
    page = (ROOT / "docs" / "vendors" / "veritas.md").read_text(encoding="utf-8")
    intro = page.split("\n\n")[1]
    assert "String in the tutorial's table" in intro and "list of strings" in intro
    assert "proxyAddresses" in intro
    assert "(a list of strings)" in _readme_row()
