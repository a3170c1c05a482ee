"""The console's vendor list: a search by id and name over the whole catalog, a page at a
time, so that the gallery's hundreds of apps stay one click away without building every
profile to draw the list (a card is read from each app's record; only the profiles on the
page shown are built)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sandbox.vendors import Profile
from sandbox.vendors.vendor_search import VendorCard, find_vendors

PER_PAGE = 24  # cards on one page of the list: four rows of six, or six of four
MAX_QUERY = 100  # characters of a search kept; names are far shorter


@dataclass(frozen=True, slots=True)
class VendorPage:
    """One page of the vendors a search found, with what its pager needs."""

    query: str
    page: int
    pages: int
    total: int
    profiles: tuple[Profile, ...]

    @property
    def first(self) -> int:
        return (self.page - 1) * PER_PAGE + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.page * PER_PAGE, self.total)


def page_number(raw: str | None) -> int:
    """The page a query string asks for; anything that is no positive number is page 1."""
    try:
        number = int(raw or "1")
    except ValueError:
        return 1
    return max(number, 1)


def vendor_page(profiles: Mapping[str, Profile], query: str = "", page: int = 1) -> VendorPage:
    """The vendors whose id or name holds `query` (the hand-written profiles first, then the
    gallery apps, as the catalog orders them), page `page` of them (the last one when `page`
    is past the end)."""
    query = query.strip()[:MAX_QUERY]
    cards: list[VendorCard] = find_vendors(profiles, query)
    pages = max(1, -(-len(cards) // PER_PAGE))
    page = min(page, pages)
    shown = cards[(page - 1) * PER_PAGE:page * PER_PAGE]
    return VendorPage(query, page, pages, len(cards),
                      tuple(profiles[card.id] for card in shown))


def core_profiles(profiles: Mapping[str, Profile]) -> tuple[Profile, ...]:
    """The hand-written profiles (and any loaded with --vendors as TOML): the home page's
    short list."""
    return tuple(profiles[card.id] for card in find_vendors(profiles) if not card.gallery)
