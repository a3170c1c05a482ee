"""Finding a vendor among the catalog's: a short card per vendor (id, name, groups, auth kind,
rule count, Tenant URL), a search by id and name, and the words for an id that is no vendor.

A gallery vendor's card is read from its record, not from its built profile, so listing or
searching the whole gallery costs a read of each record (cached while the file is unchanged)
rather than building a profile per app. The card says what the built profile says: groups
where the profile has a Group type, the `[auth]` kind, one rule per quirk plus the token
lifetime rule the loader adds, soft delete where a quirk is a `soft_delete_only` rule
(tests/gallery/test_vendors_search.py checks every record).
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from sandbox.vendors.catalog import Catalog, read_record
from sandbox.vendors.gallery_urls import sandbox_tenant_url
from sandbox.vendors.profile import Profile

_SQUASH = re.compile(r"[^a-z0-9]+")
_LIST_ALL_UP_TO = 12  # an unknown id's error lists every vendor when there are this few


@dataclass(frozen=True, slots=True)
class VendorCard:
    """What a person looking for a vendor needs to pick one."""

    id: str
    name: str
    groups: bool
    auth: str
    rule_count: int
    tenant_url: str
    gallery: bool  # built from an Entra gallery record, not written as a profile
    delete_mode: str  # "hard" or "soft", as the profile's rules make it

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def listing(self) -> dict[str, Any]:
        """The vendor as the admin API lists a gallery app: the keys of a profile's summary
        that need no built profile, and the card's own."""
        return {"id": self.id, "name": self.name,
                "resource_types": ["User", "Group"] if self.groups else ["User"],
                "delete_mode": self.delete_mode, "tenant_url_template": self.tenant_url,
                "auth": self.auth, "groups": self.groups, "rule_count": self.rule_count,
                "gallery": self.gallery}


def vendor_card(profiles: Mapping[str, Profile], vendor_id: str) -> VendorCard:
    """The card of a vendor of `profiles` (a Catalog or a plain mapping); KeyError if none."""
    if isinstance(profiles, Catalog) and profiles.is_record(vendor_id):
        if vendor_id not in profiles:
            raise KeyError(vendor_id)
        path = os.path.abspath(profiles.record_path(vendor_id))
        stat = os.stat(path)
        return _record_card(path, stat.st_mtime_ns, stat.st_size)
    profile = profiles[vendor_id]
    return VendorCard(profile.id, profile.name, "Group" in profile.resource_types,
                      profile.auth.kind, len(profile.rules), profile.tenant_url, False,
                      profile.delete_mode)


def find_vendors(profiles: Mapping[str, Profile], query: str = "") -> list[VendorCard]:
    """The vendors whose id or name holds `query` (any letter case; spaces, hyphens and
    dots are ignored where the plain text does not match), in the catalog's order; every
    vendor for an empty query."""
    found = []
    for vendor_id in profiles:
        card = vendor_card(profiles, vendor_id)
        if holds(query, card.id, card.name):
            found.append(card)
    return found


def holds(query: str, *texts: str) -> bool:
    """Whether one of `texts` holds `query` as `find_vendors` reads it (an empty query is
    held by anything)."""
    wanted = query.strip().lower()
    squashed = _SQUASH.sub("", wanted)
    for text in texts:
        text = text.lower()
        if wanted in text or (squashed and squashed in _SQUASH.sub("", text)):
            return True
    return False


def url_candidates(profiles: Mapping[str, Profile], tenant_url: str) -> Mapping[str, Profile]:
    """The vendors a Tenant URL may be of, to match it against their templates: the gallery
    app its first path segment names, else the hand-written profiles. Matching against every
    vendor would build every gallery profile (a tenth of a second) for nothing."""
    if not isinstance(profiles, Catalog):
        return profiles
    try:
        first = urlsplit(tenant_url).path.strip("/").split("/")[0]
    except ValueError:
        return {}
    if profiles.is_record(first) and first in profiles:
        return {first: profiles[first]}
    return profiles.hand_written()


def close_ids(profiles: Mapping[str, Profile], vendor_id: str, limit: int = 5) -> list[str]:
    """Vendor ids that look like `vendor_id`: those holding it, then those spelt alike."""
    ids = list(profiles)
    wanted = vendor_id.lower()
    holding = [i for i in ids if wanted and wanted in i.lower()]
    alike = difflib.get_close_matches(wanted, ids, n=limit, cutoff=0.6)
    return list(dict.fromkeys([*alike, *holding]))[:limit]


def unknown_vendor_detail(profiles: Mapping[str, Profile], vendor_id: str) -> str:
    """Why `vendor_id` is no vendor here, in a sentence for a person: a gallery record that
    is not served (and why) or that a hand-written profile stands for, else the close ids."""
    refusal = profiles.refusal(vendor_id) if isinstance(profiles, Catalog) else None
    if refusal is not None:
        return f"Vendor '{vendor_id}' cannot be used: {refusal}."
    if len(profiles) <= _LIST_ALL_UP_TO or not isinstance(profiles, Catalog):
        return f"Unknown vendor '{vendor_id}'; known vendors: {', '.join(sorted(profiles))}."
    written = list(profiles.hand_written())
    close = close_ids(profiles, vendor_id)
    hint = f"close ones: {', '.join(close)}" if close else "none of them is close"
    return (f"Unknown vendor '{vendor_id}'; known vendors: {', '.join(written)} and "
            f"{len(profiles) - len(written)} Entra gallery apps ({hint}; "
            "`scim-sandbox vendors QUERY` or GET /_sandbox/vendors?q=QUERY finds one).")


@lru_cache(maxsize=1024)
def _record_card(path: str, mtime_ns: int, size: int) -> VendorCard:
    # Imported here, as the catalog builds profiles: only a listing needs these readers.
    from sandbox.vendors.gallery_profile import offers_groups
    from sandbox.vendors.gallery_rules import rule_entries
    from sandbox.vendors.gallery_setup import auth_table

    record = read_record(path)
    groups = offers_groups(record)
    # Every quirk is one rule (a quirk the sandbox cannot apply is an `other` rule), so the
    # count does not depend on which attributes the profile keeps.
    rules = rule_entries(record["quirks"], record["auth"].get("token_lifetime_days"),
                         lambda written: written, groups)
    kinds = {rule["kind"] for rule in rules}
    return VendorCard(record["id"], record["app_name"].strip(), groups,
                      auth_table(record)["kind"], len(rules), sandbox_tenant_url(record),
                      True, "soft" if "soft_delete_only" in kinds else "hard")
