"""Shared paths and helpers of the importer tests: our fixtures, and the seed tutorials and
gallery records of the shared folder beside the repository (tests that need it skip without)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sandbox.vendors.importer import ImportResult, import_tutorial, record_id_for

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).resolve().parents[3] / "shared"
SEED_TUTORIALS = SHARED / "vendor-docs"
GALLERY = SHARED / "gallery"
# The seed copies' file names give no id; the gallery names their records so.
SEED_IDS = {"000_b26008139e5c4a80.txt": "velpic", "001_2cae923768e0b662.txt": "visitly",
            "002_949e3d65c888623e.txt": "vault-platform", "003_b0c2c8a1b6b2c16f.txt": "olfeo-saas",
            "004_05b497e823acf2de.txt": "veritas"}


def read_fixture(name: str) -> ImportResult:
    """The importer's reading of one of our invented tutorials."""
    path = FIXTURES / f"{name}-provisioning-tutorial.md"
    return import_tutorial(path.read_text(encoding="utf-8"), record_id_for(path.name) or "",
                           path.name)


def need_shared(path: Path) -> Path:
    """`path` in the shared folder, or a skip saying it is not there."""
    if not path.exists():
        pytest.skip(f"the shared folder is not beside the repository ({path})")
    return path


def shared_record(record_id: str) -> dict:
    return json.loads(need_shared(GALLERY / "records" / f"{record_id}.json").read_text("utf-8"))
