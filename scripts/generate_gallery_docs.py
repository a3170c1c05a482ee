"""Write docs/gallery.md: every app of the shipped catalog, one row each.

    python scripts/generate_gallery_docs.py
"""

from __future__ import annotations

from pathlib import Path

from sandbox.vendors.catalog import Catalog
from sandbox.vendors.gallery_docs import render_gallery_page

TARGET = Path(__file__).resolve().parent.parent / "docs" / "gallery.md"


def main() -> None:
    TARGET.write_text(render_gallery_page(Catalog.load()), encoding="utf-8")
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
