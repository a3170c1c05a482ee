"""The admin API's vendor listing, `GET /_sandbox/vendors?q=&startIndex=&count=`.

Finding the vendors reads only cards (a gallery app's from its record, `vendor_search`);
only the page answered is built into profiles, for their full summaries. Paging reads as
SCIM's does (RFC 7644 §3.4.2.4): `startIndex` counts from 1 (less is read as 1), `count` is
how many at most (none: all of them), and the answer says `totalResults`, `startIndex` and
`itemsPerPage`. The gallery records that are not served and match the query follow, with
the reason, as `not_served`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from sandbox.scim.errors import invalid_value
from sandbox.vendors import Profile
from sandbox.vendors.catalog import Catalog
from sandbox.vendors.vendor_search import find_vendors, holds

QUERY_KEYS = ("q", "startIndex", "count")


def vendor_listing(profiles: Mapping[str, Profile], args: Mapping[str, str]) -> dict[str, Any]:
    """The listing's answer for the request's query parameters (`args`)."""
    unknown = sorted(set(args) - set(QUERY_KEYS))
    if unknown:
        raise invalid_value(f"Unknown query parameter(s) {unknown}; expected some of "
                            f"{list(QUERY_KEYS)}.")
    query = args.get("q", "")
    start = max(_whole(args, "startIndex", 1), 1)
    found = find_vendors(profiles, query)
    count = _whole(args, "count", len(found))
    page = found[start - 1:start - 1 + max(count, 0)]
    vendors = [{**profiles[card.id].summary(), "groups": card.groups,
                "rule_count": card.rule_count} for card in page]
    refused = profiles.not_served() if isinstance(profiles, Catalog) else []
    return {"vendors": vendors, "totalResults": len(found), "startIndex": start,
            "itemsPerPage": len(vendors),
            "not_served": [asdict(entry) for entry in refused
                           if holds(query, entry.id, entry.name)]}


def _whole(args: Mapping[str, str], key: str, default: int) -> int:
    value = args.get(key)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise invalid_value(f"'{key}' must be a whole number; got {value!r}.") from None
