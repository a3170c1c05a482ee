"""Copy the Entra gallery records into the package, where the catalog reads them.

    python scripts/sync_gallery.py [SOURCE]

SOURCE is the folder holding `records/*.json` and `record.schema.json` (default:
`../shared/gallery` beside the repository). Every record is copied to
`sandbox/vendors/gallery/records/`, and a shipped record the source no longer has is
removed. Nothing else changes: the catalog finds a new record file by itself. Each record is
checked as the catalog checks it before anything is written.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from sandbox.vendors.catalog import GALLERY_DIR, RECORDS_DIR, read_record
from sandbox.vendors.profile import ProfileError

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "gallery"
SCHEMA = "record.schema.json"


def sync(source: Path) -> tuple[int, int]:
    """Copy the records of `source`; (files copied, stale files removed)."""
    records = sorted((source / "records").glob("*.json"))
    if not records:
        raise SystemExit(f"{source / 'records'}: no *.json records to copy")
    for path in records:
        read_record(path)  # a broken record stops the copy before any file is written
    RECORDS_DIR.mkdir(parents=True, exist_ok=True)
    names = {path.name for path in records}
    stale = [path for path in RECORDS_DIR.glob("*.json") if path.name not in names]
    for path in stale:
        path.unlink()
    for path in records:
        shutil.copyfile(path, RECORDS_DIR / path.name)
    if (source / SCHEMA).is_file():
        shutil.copyfile(source / SCHEMA, GALLERY_DIR / SCHEMA)
    return len(records), len(stale)


def main(argv: list[str]) -> int:
    source = Path(argv[0]) if argv else DEFAULT_SOURCE
    try:
        copied, removed = sync(source)
    except ProfileError as error:
        print(f"not copied: {error}", file=sys.stderr)
        return 1
    print(f"copied {copied} records to {RECORDS_DIR}; removed {removed} stale ones")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
