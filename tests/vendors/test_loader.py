"""Profile loading: the bundled generic profile, and clear errors naming file and key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sandbox.scim.schema import ENTERPRISE_USER_SCHEMA
from sandbox.vendors import ProfileError, bundled_vendors_dir, load_profile, load_profiles

GOOD = """
id = "acme"
name = "Acme"
tenant_url = "/acme/{slug}/scim"
delete_mode = "soft"
unknown_attributes = "ignore"
patch_response = "no_content"
[features]
patch = true
filter = true
[resource_types.User]
endpoint = "/Users"
schema = "urn:ietf:params:scim:schemas:core:2.0:User"
extensions = ["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]
attributes = ["userName", "active", "name.givenName",
              "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"]
required = ["name.givenName",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"]
filterable = ["userName"]
unique = ["userName"]
"""


def write(tmp_path: Path, text: str, name: str = "acme.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_generic_profile_offers_users_and_groups():
    profiles = load_profiles(bundled_vendors_dir())
    generic = profiles["generic"]
    assert list(generic.resource_types) == ["User", "Group"]
    assert generic.delete_mode == "hard"
    assert generic.by_endpoint("USERS").name == "User"
    assert generic.by_endpoint("groups").name == "Group"
    user = generic.resource_types["User"].schema
    assert [e.id for e in user.extensions] == [ENTERPRISE_USER_SCHEMA]
    assert all(generic.feature(f) for f in ("patch", "filter", "sort", "etag"))


def test_custom_profile_restricts_and_requires(tmp_path):
    profile = load_profile(write(tmp_path, GOOD))
    user = profile.resource_types["User"]
    names = [a.name for a in user.schema.core.attributes]
    assert names == ["userName", "name", "active"]
    assert user.schema.core.attribute("name").sub("givenName").required is True
    department = user.schema.extensions[0].attribute("department")
    assert department.required is True
    assert [a.name for a in user.schema.extensions[0].attributes] == ["department"]
    assert user.filterable == ("userName",)
    assert profile.tenant_placeholder == "slug"
    assert profile.tenant_path("t1", "my-org") == "/acme/my-org/scim"
    assert profile.delete_mode == "soft" and profile.patch_response == "no_content"


def test_extra_directory_adds_profiles(tmp_path):
    write(tmp_path, GOOD)
    profiles = load_profiles(bundled_vendors_dir(), tmp_path)
    assert {"generic", "acme"} <= set(profiles)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('delete_mode = "soft"', 'delete_mode = "sometimes"'), "key 'delete_mode' must be one of"),
        (('name = "Acme"\n', 'name = "Acme"\ncolour = "red"\n'),
         "key 'colour' is not a profile key"),
        (('endpoint = "/Users"\n', ''), "key 'resource_types.User.endpoint' is required"),
        (('schema = "urn:ietf:params:scim:schemas:core:2.0:User"',
          'schema = "urn:example:Nope"'), "unknown schema 'urn:example:Nope'"),
        (('"name.givenName",', '"name.nickName",'), "names attribute 'name.nickName'"),
        (('tenant_url = "/acme/{slug}/scim"', 'tenant_url = "acme"'), "key 'tenant_url' must"),
        (('patch = true', 'patch = "yes"'), "key 'features.patch' must be true or false"),
        (('filterable = ["userName"]', 'filterable = "userName"'),
         "key 'resource_types.User.filterable' must be a list of strings"),
    ],
)
def test_mistakes_name_the_file_and_key(tmp_path, change, expected):
    old, new = change
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new))
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert str(path) in str(caught.value)
    assert expected in str(caught.value)


def test_invalid_toml_is_reported_with_its_file(tmp_path):
    path = write(tmp_path, "id = [unclosed")
    with pytest.raises(ProfileError, match="not valid TOML") as caught:
        load_profile(path)
    assert str(path) in str(caught.value)


def test_two_profiles_cannot_share_a_url(tmp_path):
    write(tmp_path, GOOD)
    write(tmp_path, GOOD.replace('id = "acme"', 'id = "acme2"'), "acme2.toml")
    with pytest.raises(ProfileError, match="cannot share a URL"):
        load_profiles(tmp_path)


def test_missing_directory_is_an_error(tmp_path):
    with pytest.raises(ProfileError, match="not a directory"):
        load_profiles(tmp_path / "absent")


def test_the_minimal_profile_of_the_docs_serves_a_tenant(tmp_path):
    """docs/profiles.md's example, dropped in a folder, is a working vendor."""
    import re

    from sandbox import create_app

    text = (Path(__file__).resolve().parents[2] / "docs" / "profiles.md").read_text("utf-8")
    example = re.search(r"## A minimal profile\s+```toml\n(.*?)```", text, re.S).group(1)
    write(tmp_path, example)
    app = create_app({"admin_token": "admin-secret", "demo_token": "demo-token-1",
                      "vendors_dirs": [tmp_path]})
    client = app.test_client()
    headers = {"Authorization": "Bearer demo-token-1"}
    created = client.post("/acme/acme-demo/scim/v2/Users", headers=headers,
                          json={"userName": "ann", "name": {"familyName": "Lee"}, "title": "x"})
    assert created.status_code == 201
    assert "title" not in created.get_json()  # not kept by this profile
    missing = client.post("/acme/acme-demo/scim/v2/Users", headers=headers,
                          json={"userName": "bob"})
    assert missing.status_code == 400 and "name.familyName" in missing.get_json()["detail"]
    refused = client.get('/acme/acme-demo/scim/v2/Users?filter=title eq "x"', headers=headers)
    assert refused.status_code == 400 and refused.get_json()["scimType"] == "invalidFilter"


def test_a_broken_profile_folder_stops_create_app_naming_the_file(tmp_path):
    from sandbox import create_app

    path = write(tmp_path, GOOD.replace('delete_mode = "soft"', 'delete_mode = "never"'))
    with pytest.raises(ProfileError, match=re.escape(str(path))):
        create_app({"vendors_dirs": [tmp_path]})


def test_unknown_quirk_is_refused(tmp_path):
    path = write(tmp_path, GOOD.replace('patch_response = "no_content"',
                                        'patch_response = "no_content"\nquirks = ["teleport"]'))
    with pytest.raises(ProfileError, match="unknown quirk 'teleport'"):
        load_profile(path)


def test_required_entry_must_fit_the_schema(tmp_path):
    path = write(tmp_path, GOOD.replace('required = ["name.givenName",',
                                        'required = ["shoeSize",'))
    with pytest.raises(ProfileError, match="shoeSize"):
        load_profile(path)
