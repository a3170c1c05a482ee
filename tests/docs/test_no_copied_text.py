"""No text of the repository copies the vendors' provisioning tutorials: we state their facts
in our own words. A run of eight words shared with a tutorial counts as a copy (product names,
URNs and URLs count as one word each)."""

from __future__ import annotations

from pathlib import Path

import pytest
from copied_text import RUN, word_list

ROOT = Path(__file__).resolve().parents[2]
TUTORIALS = ROOT.parent / "shared" / "vendor-docs"
NAMES = ("Veritas Enterprise Vault.cloud SSO-SCIM", "Vault Platform", "Olfeo SAAS", "Velpic",
         "Visitly", "Microsoft Entra ID")
SUFFIXES = {".py", ".md", ".html", ".toml", ".txt", ".js", ".css", ".yml", ".json"}
FOLDERS = ("sandbox", "tests", "docs", "vendors", "seed", "bench", "scripts")


def _our_files() -> list[Path]:
    files = [p for p in ROOT.glob("*") if p.is_file() and p.suffix in SUFFIXES]
    for folder in FOLDERS:
        files += [p for p in (ROOT / folder).rglob("*") if p.suffix in SUFFIXES]
    return sorted(files)


def test_no_file_shares_a_run_of_words_with_a_vendor_tutorial():
    if not TUTORIALS.is_dir():
        pytest.skip(f"the vendor tutorials are not beside the repository ({TUTORIALS})")
    runs: set[str] = set()
    for tutorial in TUTORIALS.glob("0*.txt"):
        words = word_list(tutorial.read_text(encoding="utf-8"), NAMES)
        runs |= {" ".join(words[i:i + RUN]) for i in range(len(words) - RUN + 1)}
    copied = {}
    for path in _our_files():
        words = word_list(path.read_text(encoding="utf-8", errors="replace"), NAMES)
        found = next((" ".join(words[i:i + RUN]) for i in range(len(words) - RUN + 1)
                      if " ".join(words[i:i + RUN]) in runs), None)
        if found:
            copied[str(path.relative_to(ROOT))] = found
    assert len(_our_files()) > 100
    assert not copied, f"these files copy a vendor tutorial: {copied}"
