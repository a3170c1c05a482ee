"""The catalog: every vendor id (the hand-written profiles, each `scim` gallery record, the
user's folders) known without building a profile; a record built on first use and then
reused; non-`scim` records listed with their reason; every Tenant URL distinct."""

from __future__ import annotations

import json

import pytest
from gallery_rows import row

import sandbox.vendors.catalog as catalog_module
import sandbox.vendors.gallery_profile as gallery_profile
from sandbox.vendors import bundled_vendors_dir, load_profiles
from sandbox.vendors.catalog import RECORDS_DIR, Catalog, read_record, record_status
from sandbox.vendors.profile import ProfileError

CORE = ["generic", "olfeo", "vaultplatform", "velpic", "veritas", "visitly"]


def _shipped() -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text("utf-8")) for p in RECORDS_DIR.glob("*.json")}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load()


def test_it_knows_the_core_profiles_and_every_scim_record_not_covered_by_one(catalog):
    records = _shipped()
    covered = {"olfeo-saas", "vault-platform", "velpic", "veritas", "visitly"}
    assert catalog.covered() == {"olfeo-saas": "olfeo", "vault-platform": "vaultplatform",
                                 "velpic": "velpic", "veritas": "veritas",
                                 "visitly": "visitly"}
    served = {i for i, r in records.items() if r["status"] == "scim"} - covered
    assert list(catalog)[:6] == CORE
    assert set(catalog) == {*CORE, *served}
    assert len(catalog) == len(CORE) + len(served)
    assert "olfeo-saas" not in catalog and "vault-platform" not in catalog
    assert catalog.record("vault-platform")["app_name"] == "Vault Platform"
    assert catalog["velpic"] is catalog.hand_written()["velpic"]


def test_records_that_are_not_scim_are_listed_with_their_reason_and_not_served(catalog):
    records = _shipped()
    refused = {i: r["status"] for i, r in records.items() if r["status"] != "scim"}
    listed = catalog.not_served()
    assert {entry.id: entry.status for entry in listed} == refused
    assert all(entry.reason and entry.name for entry in listed)
    docusign = next(entry for entry in listed if entry.id == "docusign")
    assert docusign.reason == "Entra provisions it through the app's own API, not SCIM"
    assert "docusign" not in catalog
    with pytest.raises(KeyError, match="docusign: not served: Entra provisions it"):
        catalog["docusign"]


def test_listing_builds_no_profile_and_a_vendor_is_built_once(monkeypatch, tmp_path,
                                                                make_record, write_record):
    built = []
    real = gallery_profile.profile_from_record
    monkeypatch.setattr(gallery_profile, "profile_from_record",
                        lambda record, source: built.append(record["id"]) or real(record,
                                                                                  source))
    path = write_record(make_record(id="lazy-app"))
    catalog = Catalog({}, {"lazy-app": str(path)})
    assert list(catalog) == ["lazy-app"] and "lazy-app" in catalog
    assert catalog.tenant_url("lazy-app") == "/lazy-app/{tenant}/scim/v2"
    assert built == []
    first = catalog["lazy-app"]
    assert catalog["lazy-app"] is first
    assert Catalog({}, {"lazy-app": str(path)})["lazy-app"] is first  # shared by apps
    assert built == ["lazy-app"]


def test_listing_reads_each_status_without_parsing_the_record(monkeypatch, make_record,
                                                             write_record):
    parsed = []
    real = catalog_module._parsed
    monkeypatch.setattr(catalog_module, "_parsed",
                        lambda path, *key: parsed.append(path) or real(path, *key))
    plain = write_record(make_record(id="plain-app"))
    # "status" twice (a key of a quirk): the scan cannot tell, so the record is parsed.
    odd = write_record(make_record(id="odd-app", quirks=[
        {"kind": "other", "summary": "x", "status": "deprecated"}]))
    catalog = Catalog({}, {"plain-app": str(plain), "odd-app": str(odd)})
    assert list(catalog) == ["odd-app", "plain-app"]
    assert parsed == [str(odd)]


def test_the_status_scan_agrees_with_the_parsed_record_everywhere():
    for path in RECORDS_DIR.glob("*.json"):
        assert record_status(path) == read_record(path)["status"], path.name


def test_a_new_record_file_in_a_vendors_folder_is_a_vendor(tmp_path, make_record,
                                                           write_record):
    folder = tmp_path / "mine"
    write_record(make_record(id="brand-new", app_name="Brand New"), folder)
    catalog = Catalog.load(folder)
    assert "brand-new" in catalog
    assert catalog["brand-new"].name == "Brand New"
    assert catalog.is_record("brand-new")


def test_a_users_profile_replaces_a_record_of_the_same_id(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    toml = (bundled_vendors_dir() / "generic.toml").read_text("utf-8")
    (folder / "miro.toml").write_text(
        toml.replace('id = "generic"', 'id = "miro"').replace("/generic/", "/my-miro/"),
        "utf-8")
    catalog = Catalog.load(folder)
    assert catalog["miro"].tenant_url == "/my-miro/{tenant}/scim/v2"
    assert not catalog.is_record("miro")


def test_a_users_profile_naming_a_record_hides_it(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    toml = (bundled_vendors_dir() / "generic.toml").read_text("utf-8")
    (folder / "whiteboard.toml").write_text(
        toml.replace('id = "generic"', 'id = "whiteboard"\ngallery_id = "miro"')
        .replace("/generic/", "/whiteboard/"), "utf-8")
    catalog = Catalog.load(folder)
    assert "whiteboard" in catalog and "miro" not in catalog
    assert catalog.covered()["miro"] == "whiteboard"


@pytest.mark.parametrize(("record_change", "message"), [
    ({"id": "other-name"}, "key 'id' must be the file's name, 'broken'"),
    ({"user_attributes": "none"}, "key 'user_attributes' must be a list of objects"),
])
def test_a_broken_record_in_a_vendors_folder_stops_the_load(tmp_path, make_record,
                                                            record_change, message):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "broken.json").write_text(json.dumps(make_record(**record_change)), "utf-8")
    with pytest.raises(ProfileError, match=f"broken.json: {message}"):
        Catalog.load(folder)


def test_a_file_that_is_no_json_stops_the_load(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "broken.json").write_text("{", "utf-8")
    with pytest.raises(ProfileError, match=r"broken\.json: not valid JSON"):
        Catalog.load(folder)


def test_a_missing_folder_stops_the_load(tmp_path):
    with pytest.raises(ProfileError, match="not a directory of vendor profiles"):
        Catalog.load(tmp_path / "nowhere")


def test_without_the_bundled_vendors_only_the_folders_count(tmp_path, make_record,
                                                            write_record):
    write_record(make_record(id="only-one"), tmp_path / "mine")
    assert list(Catalog.load(tmp_path / "mine", bundled=False)) == ["only-one"]


def test_every_tenant_url_of_the_catalog_is_distinct_and_its_own(catalog):
    catalog.check_urls()
    profiles = [catalog[vendor] for vendor in catalog]
    # The loader's rule over the whole catalog: no two share a URL shape.
    shapes = [p.tenant_url.replace("{slug}", "{tenant}").lower() for p in profiles]
    assert len(set(shapes)) == len(shapes) == len(catalog)
    assert all(catalog.tenant_url(p.id) == p.tenant_url for p in profiles)
    # The six core profiles still load together, as they did before the catalog.
    assert sorted(load_profiles(bundled_vendors_dir())) == CORE


def test_a_profile_starting_where_a_gallery_app_starts_is_refused(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    toml = (bundled_vendors_dir() / "generic.toml").read_text("utf-8")
    (folder / "clash.toml").write_text(
        toml.replace('id = "generic"', 'id = "clash"').replace("/generic/{tenant}",
                                                               "/miro/{tenant}"), "utf-8")
    with pytest.raises(ProfileError, match=r"miro.json: tenant_url '/miro/api/v1/scim' starts "
                                           r"as the one of vendor 'clash' does"):
        Catalog.load(folder).check_urls()


def test_a_record_whose_id_the_sandbox_keeps_for_itself_is_refused(tmp_path, make_record,
                                                                    write_record):
    write_record(make_record(id="console", user_attributes=[row("userName")]),
                 tmp_path / "mine")
    with pytest.raises(ProfileError, match="starts with /console"):
        Catalog.load(tmp_path / "mine").check_urls()

