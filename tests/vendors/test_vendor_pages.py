"""docs/vendors/*.md are what the profiles render, and every quoted line is in its tutorial."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sandbox.vendors import bundled_vendors_dir, load_profiles
from sandbox.vendors.docs import render_vendor_doc

ROOT = Path(__file__).resolve().parents[2]
VENDOR_DOCS = ROOT.parent / "shared" / "vendor-docs"
PROFILES = load_profiles(bundled_vendors_dir())
VENDORS = ["velpic", "visitly", "vaultplatform", "olfeo", "veritas"]


@pytest.mark.parametrize("vendor", sorted(PROFILES))
def test_vendor_page_is_generated_from_the_profile(vendor):
    page = ROOT / "docs" / "vendors" / f"{vendor}.md"
    assert page.read_text(encoding="utf-8") == render_vendor_doc(PROFILES[vendor]), (
        f"{page} is stale: run python scripts/generate_vendor_docs.py")


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_quoted_line_is_in_the_vendor_tutorial(vendor):
    if not VENDOR_DOCS.is_dir():
        pytest.skip(f"the vendor tutorials are not beside the repository ({VENDOR_DOCS})")
    doc = PROFILES[vendor].doc
    text = (VENDOR_DOCS / doc["source"]).read_text(encoding="utf-8")

    def squeeze(value: str) -> str:
        return re.sub(r"\s+", " ", value)

    missing = [key for key, quote in doc.items()
               if key != "source" and squeeze(quote) not in squeeze(text)]
    assert not missing, f"{vendor}: quoted lines not found in {doc['source']}: {missing}"
    assert len(doc) >= 5


def test_each_vendor_names_its_tutorial():
    sources = {PROFILES[v].doc["source"][:3] for v in VENDORS}
    assert sources == {"000", "001", "002", "003", "004"}
