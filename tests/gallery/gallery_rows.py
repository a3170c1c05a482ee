"""Shared by the gallery tests: where the repository and the shared gallery are, and
attribute-table rows in the shape of the shared records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
SHARED_GALLERY = REPO.parent / "shared" / "gallery"


def row(name: str, type_: str = "String", filterable: bool | None = False,
        required: bool | None = False) -> dict[str, Any]:
    """One attribute-table row, as records write them."""
    return {"name": name, "type": type_, "filterable": filterable, "required": required}
