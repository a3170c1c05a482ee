"""The README's gallery section: its figures are the shipped catalog's, it keeps the CC BY 4.0
attribution to the Microsoft Entra documentation, and it says how to find and import an app."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sandbox.vendors.catalog import Catalog

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
HEADING = "### The Entra gallery"


@pytest.fixture(scope="module")
def section() -> str:
    start = README.index(HEADING)
    return README[start:README.index("\n## ", start)]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load()


def _number(section: str, pattern: str) -> tuple[int, ...]:
    found = re.search(pattern, " ".join(section.split()))
    assert found, f"the README's gallery section no longer says {pattern!r}"
    return tuple(int(n) for n in found.groups())


def test_the_gallery_figures_are_the_catalogs(section, catalog):
    statuses = {i: catalog.record(i)["status"] for i in catalog.record_ids()}
    served = sum(1 for s in statuses.values() if s == "scim")
    assert _number(section, r"emulates (\d+) apps of the Microsoft Entra") == (served,)
    from_records = sum(1 for v in catalog if catalog.is_record(v))
    assert _number(section, r"\((\d+) of them built from their records") == (from_records,)
    assert served == from_records + len(catalog.covered())
    assert _number(section, r"(\d+) of the (\d+) records are not served") == (
        len(statuses) - served, len(statuses))


def test_the_gallery_section_keeps_the_attribution(section):
    """The records are facts from the Microsoft Entra documentation (CC BY 4.0): whatever we
    ship from them names the source and the licence."""
    for words in ("Microsoft Entra documentation", "MicrosoftDocs/entra-docs", "CC BY 4.0",
                  "https://creativecommons.org/licenses/by/4.0/", "our own words"):
        assert words in " ".join(section.split())


def test_the_gallery_section_says_how_to_find_and_import_an_app(section):
    for words in ("`scim-sandbox vendors QUERY`", "`GET /_sandbox/vendors?q=QUERY`",
                  "(docs/gallery.md)", "`scim-sandbox import-tutorial TUTORIAL.md -o DIR`",
                  "`DIR/<id>.json`", "`--vendors DIR`"):
        assert words in section
    assert (ROOT / "docs" / "gallery.md").is_file()


def test_the_first_two_commands_are_unchanged():
    commands = re.findall(r"```sh\n(.*?)\n```", README, re.S)[:2]
    assert commands == [
        "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/scim-sandbox serve",
        "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && "
        ".venv/bin/python -m pytest",
    ]
