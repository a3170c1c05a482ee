"""Every vendor the sandbox can emulate: the hand-written profiles, and the Entra gallery's
apps from their records, each built the first time it is asked for.

`Catalog.load(*dirs)` reads, in this order, a later id replacing an earlier one:

1. the gallery records shipped in the package (`gallery/records/*.json`; a new file there is
   a new vendor, named by its file name, which is its record's `id`);
2. the hand-written profiles (`vendors/*.toml`); one that names the record it covers
   (`gallery_id = "vault-platform"`) hides that record, so an app is never two vendors;
3. each directory given (`--vendors DIR`): its `*.toml` profiles and `*.json` records, in
   name order. These are few and written by the user, so they are built at once: a mistake
   stops the start with the file and the key.

Listing the catalog needs each shipped record's `status` (only `scim` records are vendors;
`not_served()` says why the others are not), so the first listing reads every record once;
looking one vendor up reads only its own. Records and profiles are cached per file while the
file is unchanged, so many apps in one process share them.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from sandbox.vendors.gallery_records import STATUSES, check_record, not_served_reason
from sandbox.vendors.gallery_urls import sandbox_tenant_url
from sandbox.vendors.loader import bundled_vendors_dir, check_distinct_urls, load_profiles
from sandbox.vendors.profile import Profile, ProfileError

GALLERY_DIR = Path(__file__).resolve().parent / "gallery"
RECORDS_DIR = GALLERY_DIR / "records"
# A record's top-level status; a key inside a JSON string would be written \"status\".
_STATUS = re.compile(rb'"status"\s*:\s*"([a-z_]+)"')
# First path segments the sandbox keeps for itself (admin API, OAuth endpoints, console).
RESERVED_SEGMENTS = frozenset({"_sandbox", "oauth", "console"})


@dataclass(frozen=True, slots=True)
class NotServed:
    """A gallery record that is no vendor, and why."""

    id: str
    name: str
    status: str
    reason: str


class Catalog(Mapping[str, Profile]):
    """Vendor id → Profile, for hand-written profiles and `scim` gallery records alike."""

    def __init__(self, profiles: Mapping[str, Profile], records: Mapping[str, str],
                 covered: Mapping[str, str] | None = None) -> None:
        """`profiles` are built already; `records` (id → file) are built when asked for;
        `covered` maps a record id to the hand-written profile that stands for it (such a
        record is no vendor of its own)."""
        self._profiles = dict(profiles)
        self._covered = dict(covered or {})
        self._all_records = dict(records)
        self._records = {k: v for k, v in sorted(records.items())
                         if k not in self._profiles and k not in self._covered}
        self._statuses: dict[str, str] = {}  # record id → status, as records are read
        self._from_folders: list[str] = []  # ids the user's folders gave, in load order

    @classmethod
    def load(cls, *directories: Path, bundled: bool = True) -> Catalog:
        """The bundled vendors (unless `bundled` is false) and those of `directories`.
        A hand-written profile stands for its id, whatever record has the same one."""
        profiles: dict[str, Profile] = {}
        records: dict[str, str] = {}
        from_folders: list[str] = []
        if bundled:
            records.update(_record_files(RECORDS_DIR))
            profiles.update(load_profiles(bundled_vendors_dir()))
        for directory in directories:
            folder_profiles = load_profiles(directory)  # a missing folder is refused here
            profiles.update(folder_profiles)
            from_folders += folder_profiles
            for record_id, path in _record_files(directory).items():
                # A user's record is checked, and built, now: a mistake stops the start.
                if read_record(path)["status"] == "scim":
                    profile_from_file(path)
                records[record_id] = path
                profiles.pop(record_id, None)
                from_folders.append(record_id)
        covered = _covered(profiles)
        check_distinct_urls((p.id, p.tenant_url, p.source) for p in profiles.values())
        catalog = cls(profiles, records, covered)
        catalog._from_folders = list(dict.fromkeys(from_folders))
        return catalog

    # Mapping
    def __getitem__(self, vendor_id: str) -> Profile:
        if vendor_id in self._profiles:
            return self._profiles[vendor_id]
        path = self._records[vendor_id]  # KeyError: no such vendor
        if self._status(vendor_id) != "scim":
            reason = not_served_reason(read_record(path))
            raise KeyError(f"{vendor_id}: not served: {reason}")
        return profile_from_file(path)

    def __contains__(self, vendor_id: object) -> bool:
        if vendor_id in self._profiles:
            return True
        return vendor_id in self._records and self._status(str(vendor_id)) == "scim"

    def __iter__(self) -> Iterator[str]:
        yield from self._profiles
        yield from (i for i in self._records if self._status(i) == "scim")

    def _status(self, record_id: str) -> str:
        status = self._statuses.get(record_id)
        if status is None:
            status = self._statuses[record_id] = record_status(self._records[record_id])
        return status

    def __len__(self) -> int:
        return sum(1 for _ in self)

    # What the catalog knows without building profiles
    def hand_written(self) -> dict[str, Profile]:
        """The profiles written as TOML (bundled and the user's)."""
        return dict(self._profiles)

    def covered(self) -> dict[str, str]:
        """Record id → the id of the hand-written profile that stands for it."""
        return dict(self._covered)

    def record(self, record_id: str) -> dict[str, Any]:
        """A gallery record by id, covered ones included (KeyError when there is none)."""
        return read_record(self._all_records[record_id])

    def from_folders(self) -> list[str]:
        """The vendor ids the directories given to `load` brought (a `scim` record's or a
        profile's), in the order they were read; what a folder replaced counts once."""
        return [i for i in self._from_folders if i in self]

    def refusal(self, vendor_id: str) -> str | None:
        """Why a gallery record's id is no vendor of its own: it is not served (the reason),
        or a hand-written profile stands for it; None for any other id."""
        if vendor_id in self._covered:
            return f"the app is served as vendor {self._covered[vendor_id]!r}"
        if vendor_id in self._records and vendor_id not in self:
            return f"not served: {not_served_reason(read_record(self._records[vendor_id]))}"
        return None

    def record_path(self, record_id: str) -> str:
        """The file of a gallery record by id, covered ones included (KeyError if none)."""
        return self._all_records[record_id]

    def record_ids(self) -> list[str]:
        """Every record's id, served or not, covered or not."""
        return sorted(self._all_records)

    def is_record(self, vendor_id: str) -> bool:
        """Whether the vendor is built from a gallery record (not written as TOML)."""
        return vendor_id not in self._profiles and vendor_id in self._records

    def tenant_url(self, vendor_id: str) -> str:
        """A vendor's Tenant URL template, found without building a record's profile."""
        if vendor_id in self._profiles:
            return self._profiles[vendor_id].tenant_url
        return sandbox_tenant_url(read_record(self._records[vendor_id]))

    def not_served(self) -> list[NotServed]:
        """The records that are no vendor (status other than `scim`), with the reason."""
        found = []
        for record_id, path in self._records.items():
            record = read_record(path)
            reason = not_served_reason(record)
            if reason is not None:
                found.append(NotServed(record_id, record["app_name"], record["status"],
                                       reason))
        return found

    def check_urls(self) -> None:
        """ProfileError unless every vendor's Tenant URL is its own on one host: no two
        share a URL shape, and no gallery app's first segment (`/<id>`) is another
        vendor's first segment or one the sandbox keeps for itself."""
        urls = [(i, self.tenant_url(i), self._source(i)) for i in self]
        check_distinct_urls(urls)
        firsts: dict[str, str] = {}
        for vendor_id, url, _ in urls:
            first = url.strip("/").split("/")[0].lower()
            if first in RESERVED_SEGMENTS:
                raise ProfileError(f"{self._source(vendor_id)}: tenant_url {url!r} starts "
                                   f"with /{first}, which the sandbox keeps for itself")
            if first in firsts and (self.is_record(vendor_id)
                                    or self.is_record(firsts[first])):
                raise ProfileError(f"{self._source(vendor_id)}: tenant_url {url!r} starts "
                                   f"as the one of vendor {firsts[first]!r} does")
            firsts.setdefault(first, vendor_id)

    def _source(self, vendor_id: str) -> str:
        if vendor_id in self._profiles:
            return self._profiles[vendor_id].source
        return self._records[vendor_id]


def read_record(path: str | Path) -> dict[str, Any]:
    """One record file, checked (cached while the file is unchanged)."""
    path = os.path.abspath(path)
    stat = _stat(path)
    return _parsed(path, stat.st_mtime_ns, stat.st_size)


def record_status(path: str | Path) -> str:
    """A record file's `status`, found without parsing the whole file when the key occurs
    once (cached while the file is unchanged): listing the catalog reads every status."""
    path = os.path.abspath(path)
    stat = _stat(path)
    return _scanned_status(path, stat.st_mtime_ns, stat.st_size)


def profile_from_file(path: str | Path) -> Profile:
    """The profile of a `scim` record file (cached while the file is unchanged)."""
    path = os.path.abspath(path)
    stat = _stat(path)
    return _built(path, stat.st_mtime_ns, stat.st_size)


def _stat(path: str) -> os.stat_result:
    try:
        return os.stat(path)
    except OSError as exc:
        raise ProfileError(f"{path}: cannot read: {exc}") from None


# Paths are plain absolute strings (os.path.abspath asks the file system nothing): listing
# the catalog looks every record up, and pathlib's parsing would cost more than the stat.
@lru_cache(maxsize=1024)
def _parsed(path: str, mtime_ns: int, size: int) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as file:
            record = json.load(file)
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(f"{path}: cannot read: {exc}") from None
    except json.JSONDecodeError as exc:
        raise ProfileError(f"{path}: not valid JSON: {exc}") from None
    check_record(record, path)
    stem = os.path.basename(path).removesuffix(".json")
    if record["id"] != stem:
        raise ProfileError(f"{path}: key 'id' must be the file's name, {stem!r}; got "
                           f"{record['id']!r}")
    return record


@lru_cache(maxsize=1024)
def _scanned_status(path: str, mtime_ns: int, size: int) -> str:
    try:
        with open(path, "rb") as file:
            found = _STATUS.findall(file.read())
    except OSError as exc:
        raise ProfileError(f"{path}: cannot read: {exc}") from None
    if len(found) == 1 and found[0].decode() in STATUSES:
        return found[0].decode()
    return _parsed(path, mtime_ns, size)["status"]  # anything unusual: read it properly


@lru_cache(maxsize=1024)
def _built(path: str, mtime_ns: int, size: int) -> Profile:
    # Imported here: the code that turns a record into a profile is needed only once a
    # gallery vendor is used, and a start that serves only hand-written ones skips it.
    from sandbox.vendors.gallery_profile import profile_from_record

    return profile_from_record(_parsed(path, mtime_ns, size), path)


def _record_files(directory: Path) -> dict[str, str]:
    """Record id (the file's name) → its absolute path, in name order."""
    if not directory.is_dir():
        return {}
    with os.scandir(os.path.abspath(directory)) as entries:
        found = {entry.name.removesuffix(".json"): entry.path for entry in entries
                 if entry.name.endswith(".json") and entry.is_file()}
    return dict(sorted(found.items()))


def _covered(profiles: dict[str, Profile]) -> dict[str, str]:
    covered = {}
    for profile in profiles.values():
        gallery_id = profile.raw.get("gallery_id")
        if gallery_id is None:
            continue
        if not isinstance(gallery_id, str) or not gallery_id:
            raise ProfileError(f"{profile.source}: key 'gallery_id' must be the id of the "
                               "gallery record the profile covers")
        covered[gallery_id] = profile.id
    return covered

