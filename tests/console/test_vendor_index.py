"""The console's vendor list over the whole catalog: a search by id and name, pages of
cards, and a home page that lists the hand-written profiles and points to the rest."""

from __future__ import annotations

import re

import pytest

from sandbox.console.vendor_index import PER_PAGE, page_number, vendor_page
from sandbox.vendors.catalog import Catalog, _built

CATALOG = Catalog.load()


def cards(html: str) -> list[str]:
    """The vendor ids of the Start links on a setup index page, in order."""
    return re.findall(r'href="/console/setup/([^"/?]+)"\s+aria-label="Start ', html)


def test_the_first_page_starts_with_the_hand_written_profiles(signed_in):
    _, client, _ = signed_in
    html = client.get("/console/setup").get_data(as_text=True)
    shown = cards(html)
    assert len(shown) == PER_PAGE
    assert shown[:6] == [p.id for p in CATALOG.hand_written().values()][:6]
    assert f"Showing 1\u2013{PER_PAGE} of {len(CATALOG)} vendors." in html
    assert 'rel="next" href="/console/setup?page=2"' in html


def test_a_search_finds_a_gallery_app_by_name_in_any_case(signed_in):
    _, client, _ = signed_in
    html = client.get("/console/setup", query_string={"q": "ASANA"}).get_data(as_text=True)
    assert cards(html) == ["asana"]
    assert "Showing 1\u20131 of 1 vendor matching \u201cASANA\u201d." in html
    assert 'value="ASANA"' in html


def test_a_search_with_no_match_says_so(signed_in):
    _, client, _ = signed_in
    html = client.get("/console/setup", query_string={"q": "no-such-app-xyz"}).get_data(
        as_text=True)
    assert cards(html) == []
    assert "No vendor matches \u201cno-such-app-xyz\u201d." in html


def test_the_next_page_holds_the_next_vendors(signed_in):
    _, client, _ = signed_in
    first = cards(client.get("/console/setup").get_data(as_text=True))
    second = cards(client.get("/console/setup?page=2").get_data(as_text=True))
    assert second and not set(first) & set(second)
    assert second == list(CATALOG)[PER_PAGE:2 * PER_PAGE]


@pytest.mark.parametrize(("raw", "number"), [(None, 1), ("3", 3), ("0", 1), ("-2", 1),
                                             ("abc", 1), ("", 1)])
def test_odd_page_numbers_are_read_sensibly(raw, number):
    assert page_number(raw) == number


def test_a_page_past_the_end_is_the_last_page():
    listing = vendor_page(CATALOG, "", 10_000)
    assert listing.page == listing.pages == -(-len(CATALOG) // PER_PAGE)
    assert listing.last == len(CATALOG)


def test_a_page_builds_only_the_profiles_it_shows():
    """Cards come from the records; only the page's own vendors become profiles."""
    before = _built.cache_info()
    listing = vendor_page(CATALOG, "", 3)
    after = _built.cache_info()
    lookups = (after.hits + after.misses) - (before.hits + before.misses)
    assert len(listing.profiles) == PER_PAGE
    assert lookups <= PER_PAGE


def test_home_lists_the_hand_written_profiles_and_points_to_the_gallery(signed_in):
    _, client, _ = signed_in
    html = client.get("/").get_data(as_text=True)
    hand_written = CATALOG.hand_written()
    for profile in hand_written.values():
        assert f"Set up {profile.name}" in html
    assert "Set up Asana" not in html
    assert f"And {len(CATALOG) - len(hand_written)} more apps" in html
