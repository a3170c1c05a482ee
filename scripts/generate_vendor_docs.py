"""Write docs/vendors/<id>.md for every bundled vendor profile.

    python scripts/generate_vendor_docs.py
"""

from __future__ import annotations

from pathlib import Path

from sandbox.vendors import bundled_vendors_dir, load_profiles
from sandbox.vendors.docs import render_vendor_doc

TARGET = Path(__file__).resolve().parent.parent / "docs" / "vendors"


def main() -> None:
    TARGET.mkdir(parents=True, exist_ok=True)
    for profile in load_profiles(bundled_vendors_dir()).values():
        path = TARGET / f"{profile.id}.md"
        path.write_text(render_vendor_doc(profile), encoding="utf-8")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
