"""The gallery ships as package data with its source and licence, `scripts/sync_gallery.py`
copies the records again, and the wheel carries them."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from gallery_rows import REPO

from sandbox.vendors.catalog import GALLERY_DIR, RECORDS_DIR


def _sync_script():
    spec = importlib.util.spec_from_file_location("sync_gallery",
                                                  REPO / "scripts" / "sync_gallery.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_records_carry_their_source_and_the_folder_its_licence():
    readme = (GALLERY_DIR / "README.md").read_text("utf-8")
    for needed in ("MicrosoftDocs/entra-docs", "CC BY 4.0", "source.commit",
                   "creativecommons.org/licenses/by/4.0", "our", "sync_gallery.py"):
        assert needed in readme
    for path in RECORDS_DIR.glob("*.json"):
        source = json.loads(path.read_text("utf-8"))["source"]
        assert source["repository"] == "MicrosoftDocs/entra-docs"
        assert len(source["commit"]) == 40, path.name


@pytest.fixture
def sync(monkeypatch, tmp_path):
    module = _sync_script()
    monkeypatch.setattr(module, "GALLERY_DIR", tmp_path / "shipped")
    monkeypatch.setattr(module, "RECORDS_DIR", tmp_path / "shipped" / "records")
    return module


def _source(tmp_path: Path, make_record, *ids: str) -> Path:
    folder = tmp_path / "source"
    (folder / "records").mkdir(parents=True, exist_ok=True)
    for record_id in ids:
        (folder / "records" / f"{record_id}.json").write_text(
            json.dumps(make_record(id=record_id)), "utf-8")
    (folder / "record.schema.json").write_text("{}", "utf-8")
    return folder


def test_sync_copies_new_records_and_removes_stale_ones(sync, tmp_path, make_record):
    shipped = tmp_path / "shipped" / "records"
    shipped.mkdir(parents=True)
    (shipped / "gone.json").write_text("{}", "utf-8")
    source = _source(tmp_path, make_record, "first-app", "second-app")
    assert sync.sync(source) == (2, 1)
    assert sorted(p.name for p in shipped.iterdir()) == ["first-app.json", "second-app.json"]
    assert (tmp_path / "shipped" / "record.schema.json").read_text("utf-8") == "{}"


def test_sync_stops_before_writing_when_a_record_is_broken(sync, tmp_path, make_record,
                                                           capsys):
    source = _source(tmp_path, make_record, "good-app")
    (source / "records" / "bad-app.json").write_text(
        json.dumps(make_record(id="not-bad-app")), "utf-8")
    assert sync.main([str(source)]) == 1
    assert "bad-app.json: key 'id' must be the file's name" in capsys.readouterr().err
    assert not (tmp_path / "shipped" / "records").exists()


def test_the_wheel_ships_the_gallery(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "-q",
                    "-w", str(tmp_path)], check=True, capture_output=True, timeout=600)
    (wheel,) = tmp_path.glob("scim_sandbox-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {f"sandbox/vendors/gallery/records/{p.name}" for p in RECORDS_DIR.glob("*.json")}
    assert shipped <= names
    assert {"sandbox/vendors/gallery/README.md",
            "sandbox/vendors/gallery/record.schema.json"} <= names
