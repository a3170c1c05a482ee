"""The admin API's vendor listing, `GET /_sandbox/vendors?q=&startIndex=&count=&detail=`.

The listing reads cards only (a gallery app's from its record, `vendor_search`), so listing
the whole gallery builds no profile: a hand-written profile is listed with its full summary
(it is built at start), a gallery app with the summary's keys a card gives (id, name,
resource types, delete mode, Tenant URL template, auth); every entry adds `groups`,
`rule_count` and `gallery`. `detail=full` gives every vendor of the page its full summary
(rules in words, settings, PATCH answers), building the page's gallery profiles. Paging reads as
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
from sandbox.vendors.vendor_search import VendorCard, find_vendors, holds

QUERY_KEYS = ("q", "startIndex", "count", "detail")
DETAILS = ("brief", "full")  # `brief`: the cards' keys for gallery apps (the default)


def vendor_listing(profiles: Mapping[str, Profile], args: Mapping[str, str]) -> dict[str, Any]:
    """The listing's answer for the request's query parameters (`args`)."""
    unknown = sorted(set(args) - set(QUERY_KEYS))
    if unknown:
        raise invalid_value(f"Unknown query parameter(s) {unknown}; expected some of "
                            f"{list(QUERY_KEYS)}.")
    query = args.get("q", "")
    detail = args.get("detail", DETAILS[0])
    if detail not in DETAILS:
        raise invalid_value(f"'detail' must be one of {list(DETAILS)}; got {detail!r}.")
    start = max(_whole(args, "startIndex", 1), 1)
    found = find_vendors(profiles, query)
    count = _whole(args, "count", len(found))
    page = found[start - 1:start - 1 + max(count, 0)]
    vendors = [card.listing() if card.gallery and detail == "brief"
               else full_summary(profiles, card) for card in page]
    refused = profiles.not_served() if isinstance(profiles, Catalog) else []
    return {"vendors": vendors, "totalResults": len(found), "startIndex": start,
            "itemsPerPage": len(vendors),
            "not_served": [asdict(entry) for entry in refused
                           if holds(query, entry.id, entry.name)]}


def full_summary(profiles: Mapping[str, Profile], card: VendorCard) -> dict[str, Any]:
    """A vendor's profile summary with its card's `groups`, `rule_count` and `gallery`."""
    return {**profiles[card.id].summary(), "groups": card.groups,
            "rule_count": card.rule_count, "gallery": card.gallery}


def _whole(args: Mapping[str, str], key: str, default: int) -> int:
    value = args.get(key)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise invalid_value(f"'{key}' must be a whole number; got {value!r}.") from None
