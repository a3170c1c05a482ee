"""docs/vendors/*.md are what the profiles render, and the profiles' notes are our own words."""

from __future__ import annotations

from pathlib import Path

import pytest
from copied_text import shared_run

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
def test_no_doc_note_copies_the_vendor_tutorial(vendor):
    """The [doc] notes restate each tutorial's facts in our own words: none shares a run of
    eight words with the tutorial it stands for."""
    if not VENDOR_DOCS.is_dir():
        pytest.skip(f"the vendor tutorials are not beside the repository ({VENDOR_DOCS})")
    doc = PROFILES[vendor].doc
    tutorial = (VENDOR_DOCS / doc["source"]).read_text(encoding="utf-8")
    names = (PROFILES[vendor].name,)
    copied = {key: run for key, note in doc.items()
              if (run := shared_run(note, tutorial, names=names))}
    assert not copied, f"{vendor}: [doc] notes copy the tutorial: {copied}"
    assert len(doc) >= 5


def test_a_copied_sentence_is_caught():
    tutorial = "Before you start, select **Integrations** > **Host Synchronization** in the app."
    assert shared_run("select Integrations > Host Synchronization in the app.", tutorial) is None
    assert shared_run("Before you start, select Integrations > Host Synchronization in the app",
                      tutorial) == "before you start select integrations host synchronization in"


def test_each_vendor_names_its_tutorial():
    sources = {PROFILES[v].doc["source"][:3] for v in VENDORS}
    assert sources == {"000", "001", "002", "003", "004"}
    assert all(PROFILES[v].doc["url"].startswith("https://learn.microsoft.com/entra/")
               for v in VENDORS)
