"""What `create_app` serves beyond the shipped catalog: demo tenants of the vendors asked for
(`demo_vendors`), and the `*.json` gallery records and `*.toml` profiles of a `--vendors`
folder, each given a demo tenant and a URL; a broken record stops the start naming its
file and key."""

from __future__ import annotations

import pytest

from sandbox import create_app
from sandbox.vendors.profile import ProfileError

ADMIN = {"Authorization": "Bearer admin-secret"}
CORE = ["generic", "olfeo", "vaultplatform", "velpic", "veritas", "visitly"]


def _demo_vendors(app) -> list[str]:
    return [tenant.profile.id for tenant in app.extensions["scim_sandbox"].tenants()]


def test_demo_tenants_are_the_core_six_unless_more_are_asked_for():
    assert _demo_vendors(create_app({"admin_token": "admin-secret"})) == CORE
    app = create_app({"admin_token": "admin-secret", "demo_vendors": ["miro", "asana",
                                                                        "miro"]})
    assert _demo_vendors(app) == [*CORE, "miro", "asana"]
    registry = app.extensions["scim_sandbox"]
    assert registry.tenant("miro-demo").path == "/miro/api/v1/scim"


def test_an_unknown_demo_vendor_is_refused_naming_close_ids():
    with pytest.raises(ValueError, match=r"Unknown vendor 'mirro'.*close ones: .*miro"):
        create_app({"admin_token": "admin-secret", "demo_vendors": ["mirro"]})
    with pytest.raises(ValueError, match="list of vendor ids"):
        create_app({"demo_vendors": "miro"})


def test_a_folder_record_is_served_and_has_a_demo_tenant(tmp_path, make_record,
                                                          write_record):
    write_record(make_record(id="acme-books", app_name="Acme Books"), tmp_path)
    app = create_app({"admin_token": "admin-secret", "vendors_dirs": [tmp_path]})
    assert _demo_vendors(app) == [*CORE, "acme-books"]
    demo = app.extensions["scim_sandbox"].tenant("acme-books-demo")
    client = app.test_client()
    listed = client.get(f"{demo.path}/Users", headers={"Authorization": f"Bearer {demo.token}"})
    assert listed.status_code == 200
    vendors = client.get("/_sandbox/vendors?q=acme", headers=ADMIN).json["vendors"]
    assert [v["id"] for v in vendors] == ["acme-books"]


def test_a_broken_folder_record_stops_the_start_naming_file_and_key(tmp_path, make_record,
                                                                    write_record):
    record = make_record(id="acme-books")
    del record["app_name"]
    path = write_record(record, tmp_path)
    with pytest.raises(ProfileError) as refused:
        create_app({"vendors_dirs": [tmp_path]})
    assert str(path) in str(refused.value) and "app_name" in str(refused.value)


def test_a_folder_profile_may_not_take_a_gallery_apps_first_segment(tmp_path):
    from sandbox.vendors import bundled_vendors_dir

    profile = (bundled_vendors_dir() / "generic.toml").read_text()
    (tmp_path / "mine.toml").write_text(profile.replace('id = "generic"', 'id = "mine"', 1)
                                        .replace("/generic/", "/asana/"))
    with pytest.raises(ProfileError, match=r"asana\.json: tenant_url .* profile 'mine'"):
        create_app({"vendors_dirs": [tmp_path]})
