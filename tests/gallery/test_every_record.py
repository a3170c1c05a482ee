"""Every gallery record, shared and shipped, is what the catalog needs: a `scim` record is a
profile that loads with no error, any other is refused with its reason, and the shipped copies
are the shared records (`scripts/sync_gallery.py` makes them so)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gallery_rows import SHARED_GALLERY

from sandbox.vendors.catalog import GALLERY_DIR, RECORDS_DIR, read_record
from sandbox.vendors.gallery_profile import profile_from_record
from sandbox.vendors.profile import ProfileError

SHARED_RECORDS = SHARED_GALLERY / "records"
SHIPPED = sorted(RECORDS_DIR.glob("*.json"))
SHARED = sorted(SHARED_RECORDS.glob("*.json")) if SHARED_RECORDS.is_dir() else []


def _needs_shared() -> None:
    if not SHARED:
        pytest.skip(f"the shared gallery records are not beside the repository "
                    f"({SHARED_RECORDS})")


def _check_one(path: Path) -> None:
    record = read_record(path)
    if record["status"] != "scim":
        with pytest.raises(ProfileError, match="is not served"):
            profile_from_record(record, str(path))
        return
    profile = profile_from_record(record, str(path))
    assert profile.id == record["id"] == path.stem
    assert profile.name == record["app_name"].strip()
    assert profile.tenant_url.startswith(f"/{record['id']}")
    assert profile.raw["gallery_id"] == record["id"]


def test_the_package_ships_the_records():
    assert len(SHIPPED) >= 239
    assert (GALLERY_DIR / "record.schema.json").is_file()


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_every_shipped_record_loads(path):
    _check_one(path)


@pytest.mark.parametrize("path", SHARED or [None], ids=[p.stem for p in SHARED] or ["none"])
def test_every_shared_record_loads(path):
    _needs_shared()
    _check_one(path)


def test_the_shipped_records_are_the_shared_ones():
    """A shared record that is missing or different here: run scripts/sync_gallery.py."""
    _needs_shared()
    shipped = {p.name: p.read_bytes() for p in SHIPPED}
    shared = {p.name: p.read_bytes() for p in SHARED}
    assert sorted(shipped) == sorted(shared)
    assert [name for name in shared if shipped[name] != shared[name]] == []


def test_every_shipped_record_fits_the_record_schema():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((GALLERY_DIR / "record.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    wrong = {p.stem: next(iter(validator.iter_errors(json.loads(p.read_text("utf-8")))), None)
             for p in SHIPPED}
    assert {k: v.message for k, v in wrong.items() if v is not None} == {}

