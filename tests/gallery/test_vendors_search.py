"""Finding a vendor: each vendor's card (read from a gallery record without building its
profile) says what the built profile says, a search matches id and name in any case, and
`GET /_sandbox/vendors?q=&startIndex=&count=` answers a page of full summaries (with groups,
auth and rule count) and the records that are not served, with the reason."""

from __future__ import annotations

import pytest

import sandbox.vendors.gallery_profile as gallery_profile
import sandbox.vendors.vendor_search as vendor_search
from sandbox import create_app
from sandbox.vendors.catalog import Catalog
from sandbox.vendors.vendor_search import find_vendors, vendor_card

ADMIN = {"Authorization": "Bearer admin-secret"}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load()


@pytest.fixture(scope="module")
def client():
    return create_app({"admin_token": "admin-secret", "demo_tenants": False}).test_client()


def test_every_card_says_what_the_built_profile_says(catalog):
    for vendor_id in catalog:
        card, profile = vendor_card(catalog, vendor_id), catalog[vendor_id]
        assert (card.id, card.name, card.auth, card.tenant_url) == (
            profile.id, profile.name, profile.auth.kind, profile.tenant_url), vendor_id
        assert card.groups == ("Group" in profile.resource_types), vendor_id
        assert card.rule_count == len(profile.rules), vendor_id
        assert card.gallery == catalog.is_record(vendor_id)
        assert card.delete_mode == profile.delete_mode, vendor_id


def test_searching_the_whole_gallery_builds_no_profile(monkeypatch, tmp_path, make_record,
                                                       write_record):
    built = []
    monkeypatch.setattr(gallery_profile, "profile_from_record",
                        lambda record, source: built.append(record["id"]))
    vendor_search._record_card.cache_clear()
    path = write_record(make_record(id="acme-hr", app_name="Acme HR"))
    catalog = Catalog({}, {"acme-hr": str(path)})
    assert [card.id for card in find_vendors(catalog, "ACME h")] == ["acme-hr"]
    assert find_vendors(catalog, "zzz") == []
    assert built == []


@pytest.mark.parametrize("query", ["github", "GitHub", "GITHUB", "git hub", "Git-Hub"])
def test_a_search_matches_id_or_name_in_any_case_and_spacing(catalog, query):
    found = [card.id for card in find_vendors(catalog, query)]
    assert "github" in found
    assert all("github" in (i + catalog[i].name.lower().replace(" ", "")) for i in found)


def test_the_listing_is_every_vendor_by_default_with_groups_auth_and_rule_count(client,
                                                                               catalog):
    answer = client.get("/_sandbox/vendors", headers=ADMIN).json
    assert [v["id"] for v in answer["vendors"]] == list(catalog)
    assert answer["totalResults"] == answer["itemsPerPage"] == len(catalog)
    assert answer["startIndex"] == 1
    olfeo = next(v for v in answer["vendors"] if v["id"] == "olfeo")
    assert olfeo == {**catalog["olfeo"].summary(), "groups": True,
                     "rule_count": len(catalog["olfeo"].rules), "gallery": False}
    for entry in answer["vendors"]:
        profile = catalog[entry["id"]]
        assert (entry["name"], entry["resource_types"], entry["delete_mode"],
                entry["tenant_url_template"], entry["auth"], entry["rule_count"]) == (
            profile.name, list(profile.resource_types), profile.delete_mode,
            profile.tenant_url, profile.auth.kind, len(profile.rules)), entry["id"]
    assert {(e["id"], e["reason"]) for e in answer["not_served"]} == {
        (e.id, e.reason) for e in catalog.not_served()}


def test_listing_the_whole_gallery_builds_no_profile(built_gallery_profiles):
    built = built_gallery_profiles
    app = create_app({"admin_token": "admin-secret", "demo_tenants": False})
    answer = app.test_client().get("/_sandbox/vendors", headers=ADMIN).json
    assert len(answer["vendors"]) == len(app.extensions["scim_sandbox"].profiles)
    assert built == []


def test_detail_full_gives_each_vendor_of_the_page_its_full_summary(client, catalog):
    gallery_id = next(i for i in catalog if catalog.is_record(i) and catalog[i].rules)
    answer = client.get("/_sandbox/vendors", query_string={"q": gallery_id, "detail": "full"},
                        headers=ADMIN).json
    entry = next(v for v in answer["vendors"] if v["id"] == gallery_id)
    profile = catalog[gallery_id]
    assert entry == {**profile.summary(), "groups": "Group" in profile.resource_types,
                     "rule_count": len(profile.rules), "gallery": True}
    assert entry["rules"][0]["does"]  # the rules in words, which the brief entry leaves out
    brief = client.get("/_sandbox/vendors", query_string={"q": gallery_id},
                       headers=ADMIN).json
    assert "rules" not in next(v for v in brief["vendors"] if v["id"] == gallery_id)


def test_a_query_and_a_page(client, catalog):
    answer = client.get("/_sandbox/vendors", query_string={"q": "git"}, headers=ADMIN).json
    expected = [card.id for card in find_vendors(catalog, "git")]
    assert [v["id"] for v in answer["vendors"]] == expected and len(expected) > 2
    page = client.get("/_sandbox/vendors", query_string={"q": "git", "startIndex": 2,
                                                         "count": 2}, headers=ADMIN).json
    assert [v["id"] for v in page["vendors"]] == expected[1:3]
    assert (page["totalResults"], page["startIndex"], page["itemsPerPage"]) == (
        len(expected), 2, 2)
    empty = client.get("/_sandbox/vendors", query_string={"count": 0}, headers=ADMIN).json
    assert empty["vendors"] == [] and empty["totalResults"] == len(catalog)


def test_a_query_finds_a_record_that_is_not_served_with_its_reason(client, catalog):
    refused = catalog.not_served()[0]
    answer = client.get("/_sandbox/vendors", query_string={"q": refused.id},
                        headers=ADMIN).json
    assert refused.id not in [v["id"] for v in answer["vendors"]]
    assert {"id": refused.id, "name": refused.name, "status": refused.status,
            "reason": refused.reason} in answer["not_served"]


@pytest.mark.parametrize("query", [{"count": "ten"}, {"startIndex": "1.5"}, {"page": "2"},
                                   {"detail": "all"}])
def test_a_bad_query_parameter_is_a_400_naming_it(client, query, scim_error):
    response = client.get("/_sandbox/vendors", query_string=query, headers=ADMIN)
    body = scim_error(response, 400)
    assert body["scimType"] == "invalidValue" and next(iter(query)) in body["detail"]


def test_the_listing_needs_the_admin_token(client):
    assert client.get("/_sandbox/vendors?q=git").status_code == 401
